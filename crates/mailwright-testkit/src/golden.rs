//! Golden files: output compared with a committed copy, rewritten with `UPDATE_GOLDEN=1` (then
//! review the diff before committing).

use std::path::Path;

/// Asserts that `text` equals the file at `path`; with `UPDATE_GOLDEN` set, writes it first.
pub fn assert_golden(path: &Path, text: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("a golden file has a folder")).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("{} is missing; run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == text,
        "{} differs from its golden file; if the change is intended, run with UPDATE_GOLDEN=1 and review the diff",
        path.display()
    );
}
