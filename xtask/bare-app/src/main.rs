//! A bare Tauri 2 app: one command, one page.

/// The page's first (and only) call.
#[tauri::command]
fn hello() -> String {
    "Hello".into()
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![hello])
        .run(tauri::generate_context!())
        .expect("the bare app could not start");
}
