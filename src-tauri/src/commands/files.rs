//! The system's file dialog, with a filter for the kind of file asked for.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// The dialog's filter for `kind`: "pem" (keys and certificates), "csv", "ics", "text", "md",
/// "html", "pdf", "json", or anything else for no filter.
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
    receiver
        .await
        .ok()
        .flatten()
        .map(|p| p.display().to_string())
}
