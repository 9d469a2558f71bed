//! The system's file dialog, with a filter for the kind of file asked for; and the rule for
//! every file the app writes.

use std::path::PathBuf;

use mailwright_core::files::{Replace, is_hidden_place};
use mailwright_core::{EngineError, UserError};
use tauri::{AppHandle, Manager};

use crate::state::AppState;
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// The dialog's filter for `kind`: "pem" (keys and certificates), "csv", "ics", "text", "md",
/// "html", "pdf", "json", "eml" (email messages), "reports", "bounces", or anything else for
/// no filter.
fn filter(kind: &str) -> Option<(&'static str, &'static [&'static str])> {
    match kind {
        "pem" => Some(("PEM file", &["pem", "key", "crt", "cer"])),
        "csv" => Some(("CSV file", &["csv", "txt"])),
        "ics" => Some(("Calendar file", &["ics"])),
        "text" => Some(("Text file", &["txt", "cf", "conf"])),
        "md" => Some(("Markdown file", &["md"])),
        "html" => Some(("Web page", &["html", "htm"])),
        "pdf" => Some(("PDF file", &["pdf"])),
        "json" => Some(("JSON file", &["json"])),
        "eml" => Some(("Email message", &["eml", "txt"])),
        "reports" => Some((
            "DMARC and TLS reports",
            &["xml", "gz", "zip", "json", "eml", "mbox"],
        )),
        "bounces" => Some(("Bounces", &["eml", "mbox", "msg", "txt", "csv"])),
        _ => None,
    }
}

/// Asks the user for a file with the system's dialog: where to save (`save`) or what to open.
#[tauri::command]
pub async fn pick_file(
    app: AppHandle,
    save: bool,
    suggested: String,
    kind: String,
) -> Option<String> {
    let suggested = PathBuf::from(suggested);
    let mut dialog = app.dialog().file();
    if let Some((name, extensions)) = filter(&kind) {
        dialog = dialog.add_filter(name, extensions);
    }
    if let Some(dir) = suggested.parent().filter(|d| !d.as_os_str().is_empty()) {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = suggested.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let done = move |path: Option<tauri_plugin_dialog::FilePath>| {
        let _ = sender.send(path.and_then(|p| p.into_path().ok()));
    };
    if save {
        dialog.save_file(done);
    } else {
        dialog.pick_file(done);
    }
    let chosen = receiver
        .await
        .ok()
        .flatten()
        .and_then(|p| std::path::absolute(p).ok())?;
    app.state::<AppState>().chose(chosen.clone());
    Some(chosen.display().to_string())
}

/// Asks the user for files of `kind` ("reports", "bounces"; several at once) or, with
/// `folder`, one folder of them.
#[tauri::command]
pub async fn pick_paths(app: AppHandle, folder: bool, kind: String) -> Vec<String> {
    let mut dialog = app.dialog().file();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    if folder {
        dialog.pick_folder(move |path| {
            let _ = sender.send(path.into_iter().collect::<Vec<_>>());
        });
    } else {
        if let Some((name, extensions)) = filter(&kind) {
            dialog = dialog.add_filter(name, extensions);
        }
        dialog.pick_files(move |paths| {
            let _ = sender.send(paths.unwrap_or_default());
        });
    }
    let chosen: Vec<PathBuf> = receiver
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .filter_map(|p| std::path::absolute(p).ok())
        .collect();
    let state = app.state::<AppState>();
    chosen
        .into_iter()
        .map(|path| {
            state.chose(path.clone());
            path.display().to_string()
        })
        .collect()
}

/// Whether the app may write `path`, which came from the window. A file the user chose in the
/// system's save dialog in this session (which itself asked before replacing a file); else a
/// file in the user's Documents or Downloads folder, and one already there only after the user
/// confirms replacing it in a native dialog, which the window can neither open nor answer.
/// Never a hidden file or a file in a hidden folder of the home folder (`~/.ssh`,
/// `~/.config/autostart`, `~/.bashrc`). The writes themselves never follow a symbolic link and
/// create files readable by their owner only (`mailwright_core::files::write_bytes`).
pub async fn may_write(app: &AppHandle, path: &str) -> Result<(PathBuf, Replace), UserError> {
    let path = checked(app, path, "write")?;
    if app.state::<AppState>().was_chosen(&path) {
        return Ok((path, Replace::Confirmed));
    }
    let resolver = app.path();
    let user_folders = [resolver.document_dir(), resolver.download_dir()];
    if !user_folders
        .iter()
        .flatten()
        .any(|folder| path.starts_with(folder))
    {
        return Err(refused(
            &path,
            "write",
            "it is not a place you chose. Choose it with Browse…, or type the name of a new file in your Documents or Downloads folder.",
        ));
    }
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok((path, Replace::Never));
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog()
        .message(format!(
            "{} already exists. Replace it with the new file?",
            path.display()
        ))
        .title("Replace the file?")
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(
            "Replace".into(),
            "Keep the old file".into(),
        ))
        .show(move |replace| {
            let _ = sender.send(replace);
        });
    if receiver.await.unwrap_or(false) {
        Ok((path, Replace::Confirmed))
    } else {
        Err(refused(
            &path,
            "write",
            "a file of that name is there and you chose to keep it. Type another name, or choose one with Browse…",
        ))
    }
}

/// Whether the app may read `path`, which came from the window: a file chosen in the system's
/// dialog, or one typed in a field, but never a hidden file or one in a hidden folder of the
/// home folder (where SSH keys and other programs' secrets live). The reads themselves are
/// capped in size and refuse anything but a regular file (`mailwright_core::files`).
pub fn may_read(app: &AppHandle, path: &str) -> Result<PathBuf, UserError> {
    checked(app, path, "read")
}

/// [`may_read`] for every path the window sent; the first refused one refuses them all.
pub fn may_read_all(app: &AppHandle, paths: &[String]) -> Result<Vec<PathBuf>, UserError> {
    paths.iter().map(|p| may_read(app, p)).collect()
}

/// `path` made absolute, refused when it is empty or a hidden place (unless the user chose it
/// in the system's dialog).
fn checked(app: &AppHandle, path: &str, action: &'static str) -> Result<PathBuf, UserError> {
    let text = path.trim();
    let path = std::path::absolute(PathBuf::from(text))
        .ok()
        .filter(|_| !text.is_empty())
        .ok_or_else(|| {
            refused(
                &PathBuf::from(text),
                action,
                "it is not a file path. Choose a file with Browse…",
            )
        })?;
    let home = app.path().home_dir().ok();
    if is_hidden_place(&path, home.as_deref()) && !app.state::<AppState>().was_chosen(&path) {
        return Err(refused(
            &path,
            action,
            "it is a hidden file or folder, where programs keep their settings and secrets. Choose another place with Browse…",
        ));
    }
    Ok(path)
}

fn refused(path: &std::path::Path, action: &'static str, why: &'static str) -> UserError {
    super::user(EngineError::PathRefused {
        action,
        path: path.display().to_string(),
        why,
    })
}
