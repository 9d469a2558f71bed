//! Build script: embeds the UI and the access-control list. Only the commands listed in
//! `generated/command_names.rs` get permissions, and `capabilities/main.json` grants exactly
//! these to the main window; both are generated from the commands themselves.

fn main() {
    // generate_context! embeds the built UI: rebuild whenever it changes.
    println!("cargo:rerun-if-changed=../ui/dist");
    // Every #[tauri::command] in src/commands/, listed by `cargo xtask generate`.
    println!("cargo:rerun-if-changed=generated/command_names.rs");
    let manifest = tauri_build::AppManifest::new().commands(include!("generated/command_names.rs"));
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri build step failed; see the message above");
}
