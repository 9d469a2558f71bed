//! The wizard's saved state: a versioned JSON file written atomically; a corrupt file is kept
//! aside as a backup and reported, never silently dropped.

mod model;
mod store;

pub use crate::dkim::DkimSetup;
pub use model::{MtaStsSetup, PROJECT_VERSION, Project, Settings, SpfSetup};
pub use store::{LoadedProject, ProjectError, ProjectStore};
