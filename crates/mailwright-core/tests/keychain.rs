//! Secrets in the real OS keychain: a Secret Service (gnome-keyring) that `cargo xtask test`
//! starts headless under dbus-run-session, read back with an independent client (secret-tool).

use std::process::Command;

use mailwright_core::secrets::{SERVICE, SecretStore, Sensitive};

#[test]
#[ignore = "needs a running Secret Service; run by `cargo xtask test`"]
fn a_secret_is_stored_in_the_real_keychain_read_back_and_deleted() {
    let store = SecretStore::system().expect("the test's Secret Service is running");
    let account = format!("test:{}@example.com", std::process::id());
    let secret = Sensitive::new(b"-----not a real private key-----".to_vec());
    store.put(&account, &secret).unwrap();
    assert_eq!(
        store.get(&account).unwrap().unwrap().expose(),
        secret.expose()
    );

    // Another program sees it in the keychain: it really left this process.
    let out = Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", &account])
        .output()
        .expect("secret-tool (libsecret-tools) runs");
    assert_eq!(
        out.stdout,
        *secret.expose(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    assert!(store.delete(&account).unwrap());
    assert!(store.get(&account).unwrap().is_none());
    assert!(!store.delete(&account).unwrap());
}
