//! Secrets in the real OS keychain: a Secret Service (gnome-keyring) that `cargo xtask test`
//! starts headless under dbus-run-session, read back with an independent client (secret-tool).

use std::process::Command;

use mailwright_core::secrets::{SERVICE, SecretStore, Sensitive};
use mailwright_testkit::files_containing;

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

#[test]
#[ignore = "needs a running Secret Service; run by `cargo xtask test`"]
fn a_dkim_key_lives_only_in_the_keychain_never_in_a_file_we_wrote() {
    use base64::Engine;
    use mailwright_core::dkim::{
        KeyAlgorithm, PemFormat, delete_key, generate_key, load_key, private_key_pem, store_key,
    };
    use mailwright_core::project::{Project, ProjectStore};
    use mailwright_core::{Selector, parse_domain_input};

    let store = SecretStore::system().expect("the test's Secret Service is running");
    let domain = parse_domain_input("keychain-test.example").unwrap().domain;
    let selector = Selector::parse(&format!("mw{}", std::process::id())).unwrap();
    let pair = generate_key(KeyAlgorithm::Rsa2048).unwrap();
    store_key(&store, &selector, &domain, &pair).unwrap();

    // Read back through the engine and through secret-tool: the same PKCS#8 key.
    assert_eq!(
        load_key(&store, &selector, &domain).unwrap().public_p,
        pair.public_p
    );
    let account = format!("dkim:{}@{}", selector.as_str(), domain.as_str());
    let out = Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", &account])
        .output()
        .unwrap();
    assert_eq!(out.stdout, *pair.private_pkcs8.expose());

    // Everything the app writes for this key: the project with the DKIM setup.
    let data =
        std::path::PathBuf::from(std::env::var("XDG_DATA_HOME").expect("xtask sets XDG_DATA_HOME"));
    let projects = data.join("mailwright-test-project");
    let mut project = Project::new();
    project.domain = domain.as_str().to_owned();
    project.dkim.selector = selector.as_str().to_owned();
    project.dkim.in_keychain = true;
    ProjectStore::new(&projects).save(&project).unwrap();

    // No form of the private key appears in any file there or in the keyring's own files:
    // raw DER (a slice of the private exponent), its base64, or its PEM.
    let der = pair.private_pkcs8.expose();
    let middle = &der[300..340];
    let pem = private_key_pem(&pair, PemFormat::Pkcs8).unwrap();
    let pem_line = pem.expose().lines().nth(10).unwrap().to_owned();
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    for needle in [middle, pem_line.as_bytes(), &b64.as_bytes()[400..460]] {
        let hits = files_containing(&data, needle);
        assert!(hits.is_empty(), "private key bytes found in {hits:?}");
    }
    assert!(
        std::fs::read_to_string(ProjectStore::new(&projects).path())
            .unwrap()
            .contains(&selector.as_str().to_owned())
    );

    assert!(delete_key(&store, &selector, &domain).unwrap());
    assert!(load_key(&store, &selector, &domain).is_err());
}

#[test]
#[ignore = "needs a running Secret Service; run by `cargo xtask test`"]
fn an_smtp_password_lives_only_in_the_keychain_under_smtp_user_at_host() {
    use mailwright_core::project::{Project, ProjectStore};
    use mailwright_core::smtp::{SmtpSetup, delete_password, load_password, save_password};

    let store = SecretStore::system().expect("the test's Secret Service is running");
    let user = format!("tester{}@example.com", std::process::id());
    let host = "smtp.example.com";
    let password = Sensitive::new("keychain test password 41c9".to_owned());
    save_password(&store, &user, host, &password).unwrap();

    let account = format!("smtp:{user}@{host}");
    let out = Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", &account])
        .output()
        .expect("secret-tool runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), *password.expose());
    assert_eq!(
        load_password(&store, &user, host)
            .unwrap()
            .unwrap()
            .expose(),
        password.expose()
    );

    // The project keeps the choices; saving it writes no password.
    let dir = tempfile::tempdir().unwrap();
    let project = Project {
        smtp: SmtpSetup {
            host: host.into(),
            ports: vec![465],
            user: user.clone(),
            ..SmtpSetup::default()
        },
        ..Project::default()
    };
    ProjectStore::new(dir.path()).save(&project).unwrap();
    assert!(files_containing(dir.path(), password.expose().as_bytes()).is_empty());
    assert!(files_containing(dir.path(), user.as_bytes()).len() == 1);

    assert!(delete_password(&store, &user, host).unwrap());
    assert!(load_password(&store, &user, host).unwrap().is_none());
}
