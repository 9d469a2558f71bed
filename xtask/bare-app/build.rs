//! Embeds the page and grants the window its one command.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&["hello"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri build step failed");
}
