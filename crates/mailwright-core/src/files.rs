//! Reading a file the user chose and writing one they asked for, with errors as sentences.

use std::path::Path;

use crate::EngineError;

/// The largest file read as text (a recipient list or a results sheet): 64 MiB.
pub const MAX_TEXT_FILE: u64 = 64 * 1024 * 1024;

/// Writes `text` to `path`, replacing what is there.
pub fn write_text(path: &Path, text: &str) -> Result<(), EngineError> {
    write_bytes(path, text.as_bytes())
}

/// Writes `bytes` to `path`, replacing what is there.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    std::fs::write(path, bytes)
        .map_err(|e| EngineError::Export(path.display().to_string(), e.kind().to_string()))
}

/// Reads a text file of at most [`MAX_TEXT_FILE`] bytes; bytes that are not UTF-8 are replaced.
pub fn read_text(path: &Path) -> Result<String, EngineError> {
    let unreadable = |why: String| EngineError::Import(path.display().to_string(), why);
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(e.kind().to_string()))?
        .len();
    if size > MAX_TEXT_FILE {
        return Err(unreadable(format!(
            "it is {} MB, more than the {} MB this reads",
            size / 1_048_576,
            MAX_TEXT_FILE / 1_048_576
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.kind().to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads a JSON file as a `T`; a file that is not one is refused as "not `what`".
pub fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
) -> Result<T, EngineError> {
    serde_json::from_str(&read_text(path)?)
        .map_err(|_| EngineError::Import(path.display().to_string(), format!("it is not {what}")))
}
