//! The wizard's saved state: a versioned JSON file written atomically; a corrupt file is kept
//! aside as a backup and reported, never silently dropped.

mod model;
mod store;

pub use crate::dkim::DkimSetup;
pub use crate::mta_sts::MtaStsSetup;
pub use crate::spf::SpfSetup;
pub use model::{PROJECT_VERSION, Project, Settings};
pub use store::{
    APP_IDENTIFIER, LoadedProject, ProjectError, ProjectStore, app_data_dir, app_project_file,
};
