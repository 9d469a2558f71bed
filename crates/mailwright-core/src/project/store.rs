//! Loading and saving the project file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use super::model::{PROJECT_VERSION, Project};

/// The largest project file read: 64 MiB (a real one is a few kilobytes).
const MAX_PROJECT_FILE: u64 = 64 * 1024 * 1024;

/// File name of the project inside the app-data directory.
const FILE_NAME: &str = "project.json";

/// Why the project file could not be read or written.
#[derive(Debug, Error)]
pub enum ProjectError {
    /// The directory or file could not be written.
    #[error(
        "Could not save your project to {path}: {reason}. Check that the folder exists and that you may write to it."
    )]
    Write {
        /// Where it was being written.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The file exists but could not be read.
    #[error("Could not read your project at {path}: {reason}. Check the file's permissions.")]
    Read {
        /// The file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The file was written by a newer Mailwright.
    #[error(
        "Your project at {path} was saved by a newer Mailwright (format {found}). Update Mailwright to open it; the file was left untouched."
    )]
    TooNew {
        /// The file.
        path: String,
        /// The format version found.
        found: u32,
    },
}

impl crate::error::FeatureError for ProjectError {
    fn code(&self) -> &'static str {
        "project_file"
    }
}

/// Only the format version of a project file.
#[derive(Deserialize)]
struct FormatVersion {
    #[serde(default)]
    version: u32,
}

/// The app's bundle identifier, which names its data folder.
pub const APP_IDENTIFIER: &str = "org.mailwright.Mailwright";

/// The desktop app's data folder, where its `project.json` and `reports.db` are, as Tauri
/// chooses it: `$XDG_DATA_HOME` (else `~/.local/share`) on Linux, `~/Library/Application
/// Support` on macOS, `%APPDATA%` on Windows, each with [`APP_IDENTIFIER`]. The command line
/// uses it when no project file is named, so it reads what the app keeps.
pub fn app_data_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(target_os = "windows") {
        var("APPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        var("XDG_DATA_HOME").or_else(|| var("HOME").map(|h| h.join(".local/share")))
    }?;
    Some(base.join(APP_IDENTIFIER))
}

/// The desktop app's project file, when it has saved one (the command line's default project).
pub fn app_project_file() -> Option<PathBuf> {
    app_data_dir()
        .map(|dir| dir.join(FILE_NAME))
        .filter(|p| p.is_file())
}

/// A loaded project and, when the file was unreadable, where its backup now is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoadedProject {
    /// The project (a new one when there was none or it was corrupt).
    pub project: Project,
    /// Set when a corrupt file was moved aside: a sentence saying so and where it went.
    pub recovered: Option<String>,
}

/// The project file: `project.json` in the app's data directory, or a file named on the
/// command line.
#[derive(Clone, Debug)]
pub struct ProjectStore {
    dir: PathBuf,
    file: PathBuf,
}

impl ProjectStore {
    /// A store keeping `project.json` in `dir` (created on first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        ProjectStore {
            file: dir.join(FILE_NAME),
            dir,
        }
    }

    /// A store for the project file at `path` (a corrupt one is kept aside in its folder).
    pub fn file(path: impl Into<PathBuf>) -> Self {
        let file = path.into();
        let dir = match file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        ProjectStore { dir, file }
    }

    /// The project file's path.
    pub fn path(&self) -> PathBuf {
        self.file.clone()
    }

    /// Loads the project; a missing file gives a new project, a corrupt one is moved aside.
    pub fn load(&self) -> Result<LoadedProject, ProjectError> {
        let path = self.path();
        let bytes = match crate::files::read_capped_io(&path, MAX_PROJECT_FILE) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LoadedProject {
                    project: Project::new(),
                    recovered: None,
                });
            }
            Err(e) => {
                return Err(ProjectError::Read {
                    path: shown(&path),
                    reason: e.to_string(),
                });
            }
        };
        // The version first, from a reading that ignores every other field: a newer
        // Mailwright's file may not parse as this version's project at all, and must be left
        // untouched rather than moved aside as corrupt.
        if let Ok(FormatVersion { version }) = serde_json::from_slice::<FormatVersion>(&bytes)
            && version > PROJECT_VERSION
        {
            return Err(ProjectError::TooNew {
                path: shown(&path),
                found: version,
            });
        }
        match serde_json::from_slice::<Project>(&bytes) {
            Ok(mut project) => {
                project.version = PROJECT_VERSION;
                Ok(LoadedProject {
                    project,
                    recovered: None,
                })
            }
            Err(parse_error) => {
                let backup = self.backup_path();
                tracing::warn!(%parse_error, backup = %shown(&backup), "project file unreadable, moved aside");
                fs::rename(&path, &backup).map_err(|e| ProjectError::Write {
                    path: shown(&backup),
                    reason: e.to_string(),
                })?;
                Ok(LoadedProject {
                    project: Project::new(),
                    recovered: Some(format!(
                        "Your saved project could not be read ({parse_error}), so Mailwright started a new one. The old file was kept as {}.",
                        shown(&backup)
                    )),
                })
            }
        }
    }

    /// Saves atomically: a temporary file in the same directory, flushed, then renamed.
    pub fn save(&self, project: &Project) -> Result<(), ProjectError> {
        let path = self.path();
        let write_error = |e: std::io::Error| ProjectError::Write {
            path: shown(&path),
            reason: e.to_string(),
        };
        fs::create_dir_all(&self.dir).map_err(write_error)?;
        let mut file = tempfile::NamedTempFile::new_in(&self.dir).map_err(write_error)?;
        let mut project = project.clone();
        project.version = PROJECT_VERSION;
        let json = serde_json::to_vec_pretty(&project).expect("a project always serializes");
        file.write_all(&json).map_err(write_error)?;
        file.as_file().sync_all().map_err(write_error)?;
        file.persist(&path).map_err(|e| write_error(e.error))?;
        tracing::debug!(path = %shown(&path), "project saved");
        Ok(())
    }

    /// A backup name that does not overwrite an earlier backup.
    fn backup_path(&self) -> PathBuf {
        (1..)
            .map(|n| {
                let suffix = if n == 1 {
                    String::new()
                } else {
                    format!("-{n}")
                };
                self.dir.join(format!("project.corrupt{suffix}.json"))
            })
            .find(|candidate| !candidate.exists())
            .expect("an unused backup name exists")
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Project {
        Project {
            domain: "example.com".into(),
            selectors: vec!["mw202611".into()],
            settings: super::super::Settings {
                nameserver: "127.0.0.1:5353".into(),
            },
            ..Project::new()
        }
    }

    #[test]
    fn a_missing_file_gives_a_new_project() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = ProjectStore::new(dir.path().join("sub")).load().unwrap();
        assert_eq!(loaded.project, Project::new());
        assert_eq!(loaded.recovered, None);
    }

    #[test]
    fn saved_projects_load_back_and_leave_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path().join("app"));
        store.save(&sample()).unwrap();
        store
            .save(&Project {
                domain: "example.org".into(),
                ..sample()
            })
            .unwrap();
        assert_eq!(store.load().unwrap().project.domain, "example.org");
        let names: Vec<_> = fs::read_dir(dir.path().join("app"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("project.json")]);
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("\"version\": 1"), "{text}");
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path());
        fs::write(store.path(), b"{ not json").unwrap();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.project, Project::new());
        let note = loaded.recovered.unwrap();
        let backup = dir.path().join("project.corrupt.json");
        assert!(note.contains(&backup.display().to_string()), "{note}");
        assert_eq!(fs::read(&backup).unwrap(), b"{ not json");
        assert!(!store.path().exists());
        // A second corrupt file does not overwrite the first backup.
        fs::write(store.path(), b"also not json").unwrap();
        store.load().unwrap();
        assert!(dir.path().join("project.corrupt-2.json").exists());
        assert_eq!(fs::read(&backup).unwrap(), b"{ not json");
    }

    #[test]
    fn a_newer_format_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectStore::new(dir.path());
        fs::write(store.path(), br#"{"version": 99, "domain": "x.com"}"#).unwrap();
        assert!(matches!(
            store.load(),
            Err(ProjectError::TooNew { found: 99, .. })
        ));
        assert!(store.path().exists());
        // A newer format whose fields this version cannot read is still recognized, and the
        // file is neither moved nor changed.
        let newer = br#"{"version": 7, "domain": {"ascii": "x.com"}, "smtp": [1, 2]}"#;
        fs::write(store.path(), newer).unwrap();
        assert!(matches!(
            store.load(),
            Err(ProjectError::TooNew { found: 7, .. })
        ));
        assert_eq!(fs::read(store.path()).unwrap(), newer);
        assert!(!dir.path().join("project.corrupt-1.json").exists());
    }
}
