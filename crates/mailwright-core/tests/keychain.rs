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
    use mailwright_core::dns::{DnsConfig, NameserverSource};
    use mailwright_core::project::{Project, ProjectStore};
    use mailwright_core::smtp::{
        PasswordBinding, SavedPassword, SmtpSetup, SmtpTarget, Trust, delete_password,
        load_password, password_saved, save_password,
    };

    let store = SecretStore::system().expect("the test's Secret Service is running");
    let user = format!("tester{}@example.com", std::process::id());
    let host = "smtp.example.com";
    let password = Sensitive::new("keychain test password 41c9".to_owned());
    let dns = DnsConfig::default();
    // Typed with a trailing dot and capitals: the same item the test looks up.
    let binding = PasswordBinding::new(
        &SmtpTarget::new("SMTP.example.com.", 587),
        &Trust::default(),
        &dns,
    );
    save_password(&store, &user, &binding, &password).unwrap();

    let account = format!("smtp:{user}@{host}");
    let out = Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", &account])
        .output()
        .expect("secret-tool runs");
    let item = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        item.ends_with(password.expose().as_str())
            && item.contains("\"server_name\":\"smtp.example.com\""),
        "the item holds the password and what it is bound to"
    );
    assert!(password_saved(&store, &user, "smtp.example.com.").unwrap());
    match load_password(&store, &user, &binding).unwrap() {
        SavedPassword::Found(found) => assert_eq!(found.expose(), password.expose()),
        other => panic!("{other:?}"),
    }

    // A changed certificate name, trust file or DNS server never gets the saved password.
    let mut renamed = SmtpTarget::new(host, 587);
    renamed.server_name = Some("attacker.example".into());
    let ca = Trust::from_pem(
        mailwright_testkit::TestCa::new("other").pem().as_str(),
        "ca",
    )
    .unwrap();
    let other_dns =
        DnsConfig::with_nameserver("192.0.2.1:53".parse().unwrap(), NameserverSource::Settings);
    for changed in [
        PasswordBinding::new(&renamed, &Trust::default(), &dns),
        PasswordBinding::new(&SmtpTarget::new(host, 587), &ca, &dns),
        PasswordBinding::new(&SmtpTarget::new(host, 587), &Trust::default(), &other_dns),
    ] {
        assert!(matches!(
            load_password(&store, &user, &changed).unwrap(),
            SavedPassword::BoundElsewhere { .. }
        ));
    }

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
    assert!(matches!(
        load_password(&store, &user, &binding).unwrap(),
        SavedPassword::Missing
    ));
}

/// A key is never destroyed silently: making a key for a selector whose keychain item already
/// holds one, or importing another key there, needs the same "replace" as a published
/// selector. Importing the very key the keychain holds replaces nothing.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a running Secret Service; run by `cargo xtask test`"]
async fn a_key_in_the_keychain_is_replaced_only_when_the_user_agrees() {
    use mailwright_core::dkim::{
        DkimError, KeyAlgorithm, NewKey, create_key, delete_key, generate_key, keep_imported,
        load_key, store_key,
    };
    use mailwright_core::dns::{DnsConfig, NameserverSource};
    use mailwright_core::{Selector, parse_domain_input};

    let dns = mailwright_testkit::fixtures::start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let store = SecretStore::system().expect("the test's Secret Service is running");
    let domain = parse_domain_input(mailwright_testkit::fixtures::DKIM_DOMAIN)
        .unwrap()
        .domain;
    let selector = Selector::parse(&format!("held{}", std::process::id())).unwrap();
    let held = generate_key(KeyAlgorithm::Ed25519).unwrap();
    store_key(&store, &selector, &domain, &held).unwrap();

    let new = NewKey {
        domain: domain.clone(),
        selector: selector.clone(),
        algorithm: KeyAlgorithm::Ed25519,
        replace: false,
        keychain: true,
    };
    let refused = create_key(&new, &config, |_| {}).await.unwrap_err();
    assert!(
        matches!(refused.feature(), Some(DkimError::KeyInKeychain(_))),
        "{refused}"
    );
    let other = generate_key(KeyAlgorithm::Ed25519).unwrap();
    let refused = keep_imported(other.clone(), &selector, &domain, false, &config, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(
        refused.feature(),
        Some(DkimError::KeyInKeychain(_))
    ));
    assert_eq!(
        load_key(&store, &selector, &domain).unwrap().public_p,
        held.public_p,
        "the held key is untouched"
    );
    // The same key again: nothing is replaced, so nothing is asked.
    keep_imported(held.clone(), &selector, &domain, false, &config, |_| {})
        .await
        .unwrap();
    // With the user's consent the new key replaces it.
    let made = create_key(
        &NewKey {
            replace: true,
            ..new
        },
        &config,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(
        load_key(&store, &selector, &domain).unwrap().public_p,
        made.pair.public_p
    );
    assert!(delete_key(&store, &selector, &domain).unwrap());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a running Secret Service; run by `cargo xtask test`"]
async fn a_spamhaus_dqs_key_is_kept_in_the_keychain_used_and_never_shown() {
    use mailwright_core::dns::{DnsConfig, NameserverSource};
    use mailwright_core::session::Session;

    let key = "abcdefghij0123456789klmnop";
    // A DNS server that answers only the DQS zones of this key (test points and one listing).
    let dns = mailwright_testkit::TestDns::start(&[mailwright_testkit::Zone::new(
        &format!("{key}.zen.dq.spamhaus.net"),
        "2.0.0.127 A 127.0.0.2\n2.0.0.127 A 127.0.0.10\n5.2.0.192 A 127.0.0.4\n",
    )])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project.json");
    std::fs::write(
        &project,
        r#"{"version": 1, "domain": "shop.test", "senders": {"senders": [{"id": "own_server", "hosts": ["192.0.2.5"]}]}}"#,
    )
    .unwrap();
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let session = Session::from_file(&project, config).unwrap();

    // Not a key: refused with a sentence, nothing saved.
    let refused = session
        .save_dqs_key(Sensitive::new("not a key".into()))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("not a Spamhaus DQS key"),
        "{refused}"
    );

    let view = session
        .save_dqs_key(Sensitive::new(key.to_uppercase()))
        .await
        .unwrap();
    assert!(view.dqs_key_saved);
    let stored = Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", "spamhaus-dqs"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&stored.stdout).trim(), key);

    // The check asks the DQS zone with the key, and shows the zone without it.
    let view = session.check_reputation(Vec::new()).await.unwrap();
    let check = view.check.unwrap();
    let zen = check
        .blocklists
        .iter()
        .find(|v| v.list == "Spamhaus ZEN")
        .unwrap();
    assert_eq!(zen.zone, "zen.dq.spamhaus.net");
    assert!(
        matches!(&zen.listing, mailwright_core::reputation::Listing::Listed { reasons, .. } if reasons[0].contains("XBL")),
        "{zen:?}"
    );
    let shown = serde_json::to_string(&check).unwrap();
    assert!(!shown.contains(key), "the key never reaches a view");

    // Forgotten: the public zone again.
    let view = session
        .save_dqs_key(Sensitive::new(String::new()))
        .await
        .unwrap();
    assert!(!view.dqs_key_saved);
}
