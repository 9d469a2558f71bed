//! Build script: embeds the UI and the access-control list. Only the commands listed here get
//! permissions, and `capabilities/main.json` grants exactly these to the main window.

fn main() {
    // generate_context! embeds the built UI: rebuild whenever it changes.
    println!("cargo:rerun-if-changed=../ui/dist");
    let manifest = tauri_build::AppManifest::new().commands(&[
        "normalize_domain",
        "run_audit",
        "load_project",
        "save_project",
        "dns_settings",
        "cancel_audit",
        "dkim_overview",
        "dkim_generate",
        "dkim_import",
        "dkim_export",
        "dkim_default_export_path",
        "pick_file",
        "dkim_check",
        "dkim_provider_check",
        "dkim_provider_records",
        "dkim_snippets",
        "dkim_rotation_start",
        "dkim_rotation_status",
        "dkim_rotation_advance",
        "sender_catalog",
        "spf_check",
        "spf_simulate",
        "spf_cross_check",
        "dmarc_check",
        "dmarc_compose",
        "sender_alignment",
        "mta_sts_check",
        "mta_sts_compose",
        "smtp_provider_list",
        "smtp_discover",
        "smtp_password_saved",
        "smtp_save_password",
        "smtp_forget_password",
        "smtp_test",
        "smtp_cancel",
        "smtp_export_transcript",
        "warmup_view",
        "warmup_plan",
        "warmup_record",
        "warmup_import_results",
        "warmup_remove_day",
        "warmup_resume",
        "warmup_count_recipients",
        "warmup_count_recipients_file",
        "warmup_export",
        "report_make",
        "report_save",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri build step failed; see the message above");
}
