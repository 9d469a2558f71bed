//! Reading a file the user chose and writing one they asked for, with errors as sentences.

use std::path::{Path, PathBuf};

use crate::EngineError;

/// The largest file read as text (a recipient list or a results sheet): 64 MiB.
pub const MAX_TEXT_FILE: u64 = 64 * 1024 * 1024;

/// What a write may do with a file already at its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// Leave it: the write is refused and the file stays as it was.
    Never,
    /// The user confirmed replacing it (a native dialog in the app, `--force` on the command
    /// line).
    Confirmed,
}

/// Writes `text` to `path` (see [`write_bytes`]).
pub fn write_text(path: &Path, text: &str, replace: Replace) -> Result<PathBuf, EngineError> {
    write_bytes(path, text.as_bytes(), replace)
}

/// Writes `bytes` to `path` readable by its owner only (mode 0600 where the system has modes),
/// through a temporary file in the same folder renamed into place, so a crash leaves the old
/// file or the new one, never half of one. A symbolic link at `path` is never followed, and a
/// file already there is replaced only when `replace` says the user confirmed it. Returns the
/// absolute path written.
pub fn write_bytes(path: &Path, bytes: &[u8], replace: Replace) -> Result<PathBuf, EngineError> {
    let shown = path.display().to_string();
    match write_atomically(path, bytes, replace) {
        Ok(path) => Ok(path),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(EngineError::Exists(shown)),
        Err(e) => Err(EngineError::Export(shown, io_reason(&e))),
    }
}

/// The write of [`write_bytes`] with the system's error: `AlreadyExists` when the file is there
/// and may not be replaced, `Other` (with a sentence) for a symbolic link.
pub fn write_atomically(path: &Path, bytes: &[u8], replace: Replace) -> std::io::Result<PathBuf> {
    use std::io::Write;
    let path = std::path::absolute(path)?;
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(std::io::Error::other(
                "it is a link to another file, which Mailwright does not write through",
            ));
        }
        Ok(meta) if meta.is_dir() => {
            return Err(std::io::Error::other("it is a folder"));
        }
        Ok(_) if replace == Replace::Never => {
            return Err(std::io::ErrorKind::AlreadyExists.into());
        }
        _ => {}
    }
    let parent = path.parent().unwrap_or(Path::new("."));
    // A named temporary file is created with mode 0600 on Unix; persisting keeps that mode.
    let mut file = tempfile::NamedTempFile::new_in(parent)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    match replace {
        // Atomic and never replacing: a file that appeared meanwhile is left alone.
        Replace::Never => file.persist_noclobber(&path).map_err(|e| e.error)?,
        // rename() replaces a link at the path itself; it never writes through it.
        Replace::Confirmed => file.persist(&path).map_err(|e| e.error)?,
    };
    Ok(path)
}

/// The reason a file operation failed, for a sentence: Mailwright's own refusals (`Other`, made
/// with a sentence here) as written, the system's errors by their kind (never a raw OS message).
pub fn io_reason(error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::Other {
        error.to_string()
    } else {
        error.kind().to_string()
    }
}

/// Whether `path` names a hidden file or lies in a hidden folder of the home folder
/// (`~/.ssh`, `~/.config/autostart`, `~/.bashrc`): places the app never writes to, whatever
/// the window asks.
pub fn is_hidden_place(path: &Path, home: Option<&Path>) -> bool {
    let hidden = |c: std::path::Component| c.as_os_str().to_string_lossy().starts_with('.');
    if path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    {
        return true;
    }
    let Ok(path) = std::path::absolute(path) else {
        return true;
    };
    let under_home = home.and_then(|h| path.strip_prefix(h).ok());
    under_home.is_some_and(|rest| {
        rest.components()
            .any(|c| matches!(c, std::path::Component::Normal(_)) && hidden(c))
    }) || path
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
}

/// Reads a text file of at most [`MAX_TEXT_FILE`] bytes; bytes that are not UTF-8 are replaced.
pub fn read_text(path: &Path) -> Result<String, EngineError> {
    let bytes = read_capped(path, MAX_TEXT_FILE)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The largest PEM file read (a key, a certificate or a CA bundle): 1 MiB.
pub const MAX_PEM_FILE: u64 = 1024 * 1024;

/// Reads at most `cap` bytes of the regular file `path`. A larger file is refused, and so is
/// anything that is not a regular file (a FIFO would block, `/dev/zero` never ends); the read
/// itself stops after `cap + 1` bytes whatever the file claims its size is.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, EngineError> {
    read_capped_io(path, cap)
        .map_err(|e| EngineError::Import(path.display().to_string(), io_reason(&e)))
}

/// [`read_capped`] with the system's error (`Other`, with a sentence, for what is refused).
pub fn read_capped_io(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    let too_big = || {
        std::io::Error::other(format!(
            "it is larger than the {} this reads",
            if cap >= 1_048_576 {
                format!("{} MB", cap / 1_048_576)
            } else {
                format!("{} KB", cap / 1024)
            }
        ))
    };
    if meta.len() > cap {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(cap + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Reads a JSON file as a `T`; a file that is not one is refused as "not `what`".
pub fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
) -> Result<T, EngineError> {
    serde_json::from_str(&read_text(path)?)
        .map_err(|_| EngineError::Import(path.display().to_string(), format!("it is not {what}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_private_atomic_and_never_replace_or_follow_a_link_unasked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_text(&path, "first", Replace::Never).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(matches!(
            write_text(&path, "second", Replace::Never),
            Err(EngineError::Exists(_))
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        write_text(&path, "second", Replace::Confirmed).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
        #[cfg(unix)]
        {
            let target = dir.path().join("target.txt");
            std::fs::write(&target, "keep").unwrap();
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            for replace in [Replace::Never, Replace::Confirmed] {
                assert!(write_text(&link, "evil", replace).is_err());
            }
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(names.len() <= 3, "no temporary file is left behind");
    }

    #[test]
    fn hidden_places_under_home_are_recognized() {
        let home = Path::new("/home/ann");
        assert!(is_hidden_place(Path::new("/home/ann/.bashrc"), Some(home)));
        assert!(is_hidden_place(
            Path::new("/home/ann/.config/autostart/x.desktop"),
            Some(home)
        ));
        assert!(is_hidden_place(
            Path::new("/home/ann/Documents/../.ssh/a"),
            Some(home)
        ));
        assert!(!is_hidden_place(
            Path::new("/home/ann/Documents/report.html"),
            Some(home)
        ));
        assert!(!is_hidden_place(
            Path::new("/tmp/.tmpX/report.html"),
            Some(home)
        ));
    }

    #[test]
    fn reads_are_capped_and_refuse_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, vec![b'a'; 2048]).unwrap();
        assert!(read_capped(&path, 1024).is_err());
        assert_eq!(read_capped(&path, 4096).unwrap().len(), 2048);
        #[cfg(unix)]
        {
            // /dev/zero claims size 0 and never ends; a FIFO would block on open.
            let zero = read_capped(Path::new("/dev/zero"), 1024).unwrap_err();
            assert!(zero.to_string().contains("not a regular file"), "{zero}");
            let fifo = dir.path().join("fifo");
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&fifo)
                    .status()
                    .unwrap()
                    .success()
            );
            assert!(read_text(&fifo).is_err());
        }
    }
}
