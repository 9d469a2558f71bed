//! The `mailwright` binary against the testkit's DNS server.

use std::process::Output;

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::{AuditRequest, run_audit};
use mailwright_testkit::fixtures::*;
use mailwright_testkit::silent_dns_server;
use serde_json::Value;
use tokio::process::Command;

async fn mailwright(args: &[&str], env_nameserver: Option<String>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mailwright"));
    // No keychain reachable: these tests never touch the user's secrets.
    command.args(args).env_remove("MAILWRIGHT_NAMESERVER").env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/mailwright-test-bus",
    );
    if let Some(ns) = env_nameserver {
        command.env("MAILWRIGHT_NAMESERVER", ns);
    }
    command.output().await.expect("the mailwright binary runs")
}

/// Asserts the exit status, showing standard error when it differs.
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn ids(value: &Value) -> Vec<String> {
    value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn json_output_has_the_documented_shape_and_exit_zero_when_nothing_fails() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let out = mailwright(
        &[
            "audit",
            GOOD,
            "--selector",
            USER_SELECTOR,
            "--nameserver",
            &ns,
            "--json",
        ],
        None,
    )
    .await;
    assert_exit(&out, 0);
    let value = json(&out);
    assert_eq!(value["domain"], GOOD);
    for finding in value["findings"].as_array().unwrap() {
        for key in ["id", "severity", "title", "detail", "fix", "evidence"] {
            assert!(finding.get(key).is_some(), "{key} missing in {finding}");
        }
    }
    assert!(ids(&value).contains(&"dmarc.ok".to_owned()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_finding_exits_one_and_reads_well() {
    let dns = start_demo_dns().await;
    let out = mailwright(
        &["audit", NO_SPF, "--nameserver", &dns.addr().to_string()],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("[FAIL] nospf.test publishes no SPF record.  (spf.missing)"),
        "{text}"
    );
    assert!(text.contains("Fix: Publish one TXT record"), "{text}");
    assert!(
        text.contains("\nSPF\n") && text.contains("\nDMARC\n"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_variable_names_the_server_and_urls_are_normalized() {
    let dns = start_demo_dns().await;
    let out = mailwright(
        &["audit", "https://www.good.test/contact", "--json"],
        Some(dns.addr().to_string()),
    )
    .await;
    assert_exit(&out, 0);
    let value = json(&out);
    assert_eq!(value["domain"], GOOD);
    assert_eq!(value["nameserver"], dns.addr().to_string());
    assert!(value["note"].as_str().unwrap().contains("web address"));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_exits_two_with_a_sentence() {
    let out = mailwright(&["audit", "not a domain"], None).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("mailwright: “not a domain” is not a valid domain name."),
        "{err}"
    );
    let out = mailwright(
        &[
            "audit",
            "example.com",
            "--nameserver",
            "dns.example",
            "--json",
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["error"]["code"], "invalid_nameserver");
    let out = mailwright(
        &["audit", "example.com", "--selector", "bad_selector"],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_server_exits_two() {
    let (_socket, addr) = silent_dns_server();
    let out = mailwright(
        &["audit", GOOD, "--nameserver", &addr.to_string(), "--json"],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(ids(&json(&out)), ["dns.unreachable"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_shows_exactly_the_engines_findings() {
    let dns = start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    for domain in [
        GOOD,
        NO_SPF,
        TWO_SPF,
        MONITOR_ONLY,
        SUBDOMAIN,
        CNAME_DKIM,
        NULL_MX,
        SERVFAIL,
    ] {
        let (request, _) = AuditRequest::parse(domain, &[]).unwrap();
        let engine = run_audit(&request, &config, None).await.unwrap();
        let out = mailwright(
            &[
                "audit",
                domain,
                "--nameserver",
                &dns.addr().to_string(),
                "--json",
            ],
            None,
        )
        .await;
        let cli = json(&out);
        assert_eq!(
            cli["findings"],
            serde_json::to_value(&engine.findings).unwrap(),
            "{domain}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn dkim_check_proves_a_matching_key_and_names_a_mismatch() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("test.pem");
    std::fs::write(&key, TEST_DKIM_PRIVATE_KEY).unwrap();
    let key = key.to_str().unwrap();
    let check = |selector: &'static str| {
        let ns = ns.clone();
        let key = key.to_owned();
        async move {
            let args = [
                "dkim",
                "check",
                "--domain",
                DKIM_DOMAIN,
                "--selector",
                selector,
                "--private-key",
                &key,
                "--nameserver",
                &ns,
                "--json",
            ];
            mailwright(&args, None).await
        }
    };
    let pass = check(USER_SELECTOR).await;
    assert_exit(&pass, 0);
    assert_eq!(ids(&json(&pass)), ["dkim.selftest.pass"]);
    assert_eq!(json(&pass)["proof_passed"], true);
    let mismatch = check("other").await;
    assert_exit(&mismatch, 1);
    assert_eq!(ids(&json(&mismatch)), ["dkim.key_mismatch"]);
    // Without a key (and no keychain), only the published record is checked, and the note says why.
    let args = [
        "dkim",
        "check",
        "--domain",
        DKIM_DOMAIN,
        "--selector",
        "cut",
        "--nameserver",
        &ns,
    ];
    let text = mailwright(&args, None).await;
    assert_exit(&text, 1);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("[FAIL]")
            && stdout.contains("cut off")
            && stdout.contains("proof was not run"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dkim_keygen_exports_an_owner_only_key_and_refuses_a_published_selector() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let taken = [
        "dkim",
        "keygen",
        "--domain",
        DKIM_DOMAIN,
        "--selector",
        USER_SELECTOR,
        "--nameserver",
        &ns,
    ];
    let refused = mailwright(&taken, None).await;
    assert_exit(&refused, 2);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("already published") && stderr.contains("--replace"),
        "{stderr}"
    );

    // No keychain and no export: refused with the way out, nothing written.
    let fresh = [
        "dkim",
        "keygen",
        "--domain",
        DKIM_DOMAIN,
        "--selector",
        "mw202612",
        "--nameserver",
        &ns,
    ];
    let no_keychain = mailwright(&fresh, None).await;
    assert_exit(&no_keychain, 2);
    assert!(String::from_utf8_lossy(&no_keychain.stderr).contains("--export-private"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mw202612.pem");
    let file = file.to_str().unwrap();
    let args = [
        "dkim",
        "keygen",
        "--domain",
        DKIM_DOMAIN,
        "--selector",
        "mw202612",
        "--nameserver",
        &ns,
        "--no-keychain",
        "--export-private",
        file,
        "--format",
        "pkcs1",
        "--json",
    ];
    let made = mailwright(&args, None).await;
    assert_exit(&made, 0);
    // Run again: the file is there, so nothing is made or written without --force.
    let before = std::fs::read(file).unwrap();
    let again = mailwright(&args, None).await;
    assert_exit(&again, 2);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("--force")
            || String::from_utf8_lossy(&again.stderr).contains("--force"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(std::fs::read(file).unwrap(), before);
    let value = json(&made);
    assert_eq!(
        value["key"]["record"]["name"],
        "mw202612._domainkey.dkim.test"
    );
    assert_eq!(value["in_keychain"], false);
    let pem = std::fs::read_to_string(file).unwrap();
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    assert!(!String::from_utf8_lossy(&made.stdout).contains("PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // The exported key is the one the record holds: not published yet, proof against the composed record passes.
    let args = [
        "dkim",
        "check",
        "--domain",
        DKIM_DOMAIN,
        "--selector",
        "mw202612",
        "--private-key",
        file,
        "--nameserver",
        &ns,
        "--json",
    ];
    let check = mailwright(&args, None).await;
    assert_exit(&check, 1);
    let value = json(&check);
    assert_eq!(ids(&value), ["dkim.not_published"]);
    assert!(
        value["findings"][0]["evidence"]
            .to_string()
            .contains("verifies against the record Mailwright composed")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn spf_check_reports_lookup_counts_and_the_include_tree() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let over = mailwright(
        &["spf", "check", spf::ELEVEN, "--nameserver", &ns, "--json"],
        None,
    )
    .await;
    assert_exit(&over, 1);
    let value = json(&over);
    assert_eq!(value["dns_lookups"], 11);
    assert_eq!(value["void_lookups"], 0);
    assert_eq!(value["tree"]["children"].as_array().unwrap().len(), 11);
    assert_eq!(ids(&value), ["spf.lookups.over_limit"]);
    let ok = mailwright(&["spf", "check", spf::REDIRECT, "--nameserver", &ns], None).await;
    assert_exit(&ok, 0);
    let text = String::from_utf8_lossy(&ok.stdout);
    assert!(
        text.contains("3 of 10 DNS lookups") && text.contains("redirect=r1.lk.test → r1.lk.test"),
        "{text}"
    );
    let looped = mailwright(&["spf", "check", spf::LOOP, "--nameserver", &ns], None).await;
    assert_exit(&looped, 1);
    assert!(String::from_utf8_lossy(&looped.stdout).contains("loops back: not followed"));
}

#[tokio::test(flavor = "multi_thread")]
async fn spf_check_decides_for_one_message_as_a_receiver_does() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let out = mailwright(
        &[
            "spf",
            "check",
            spf::EXP,
            "--ip",
            "198.51.100.9",
            "--mail-from",
            "someone@exp.spf.test",
            "--helo",
            "mail.example.net",
            "--nameserver",
            &ns,
            "--json",
        ],
        None,
    )
    .await;
    let value = json(&out);
    assert_eq!(value["result"], "fail", "{value}");
    assert_eq!(value["decided_by"], "-all");
    assert_eq!(
        value["explanation"],
        "Mail from exp.spf.test is not allowed from 198.51.100.9"
    );
    assert_eq!(value["lookups"], 0);
    assert_eq!(value["void_lookups"], 0);
    assert_eq!(value["sender"], "someone@exp.spf.test");
    assert!(value.get("mail_auth_result").is_none(), "{value}");
    assert_eq!(value["check"]["domain"], spf::EXP);

    // Where mail-auth reads the record otherwise, its result is shown beside ours.
    let lenient = mailwright(
        &[
            "spf",
            "check",
            spf::LENIENT,
            "--ip",
            "192.0.2.7",
            "--nameserver",
            &ns,
            "--json",
        ],
        None,
    )
    .await;
    let value = json(&lenient);
    assert_eq!(value["result"], "permerror", "{value}");
    assert_eq!(value["mail_auth_result"], "pass");
    let text = mailwright(
        &[
            "spf",
            "check",
            spf::LENIENT,
            "--ip",
            "192.0.2.7",
            "--nameserver",
            &ns,
        ],
        None,
    )
    .await;
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("would fail SPF with an error"), "{text}");
    assert!(
        text.contains("some receivers may read this record differently"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn spf_compose_simulates_the_new_record_and_cross_checks_an_address() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let out = mailwright(
        &[
            "spf",
            "compose",
            spf::TEN,
            "--host",
            "203.0.113.7",
            "--sender",
            "sendgrid",
            "--ip",
            "203.0.113.7",
            "--nameserver",
            &ns,
            "--json",
        ],
        None,
    )
    .await;
    let value = json(&out);
    let record = value["composition"]["record"].as_str().unwrap();
    assert!(record.starts_with("v=spf1 include:n1.lk.test"), "{record}");
    assert!(
        record.ends_with("ip4:203.0.113.7 -all"),
        "keeps the published -all: {record}"
    );
    assert_eq!(value["report"]["dns_lookups"], 10);
    assert_eq!(value["cross_check"]["result"], "pass");
    assert_eq!(value["cross_check"]["lookups"], 10);
    assert!(
        value["cross_check"].get("mail_auth_result").is_none(),
        "mail-auth agrees: {value}"
    );
    assert_exit(&out, 0);

    let text = mailwright(
        &[
            "spf",
            "compose",
            spf::ELEVEN,
            "--sender",
            "google",
            "--nameserver",
            &ns,
        ],
        None,
    )
    .await;
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("Fixes, in the order to try them:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("go stale"),
        "flattening comes with its warning: {stdout}"
    );
    assert_exit(&text, 1);

    let check = mailwright(
        &[
            "spf",
            "check",
            spf::TEN,
            "--ip",
            "198.51.100.1",
            "--nameserver",
            &ns,
        ],
        None,
    )
    .await;
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains(
            "would fail SPF, and may be refused: -all in the record of ten.spf.test decides it."
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("10 DNS-querying terms (limit 10)"),
        "{stdout}"
    );
    assert!(!stdout.contains("mail-auth"), "mail-auth agrees: {stdout}");
    let (_socket, silent) = silent_dns_server();
    let unreachable = mailwright(
        &[
            "spf",
            "compose",
            spf::TEN,
            "--host",
            "203.0.113.7",
            "--nameserver",
            &silent.to_string(),
        ],
        None,
    )
    .await;
    assert_exit(&unreachable, 2);
    assert!(
        String::from_utf8_lossy(&unreachable.stdout).is_empty(),
        "nothing composed from nothing"
    );
    let bad = mailwright(
        &[
            "spf",
            "check",
            spf::TEN,
            "--ip",
            "1.2.3",
            "--nameserver",
            &ns,
        ],
        None,
    )
    .await;
    assert_exit(&bad, 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("“1.2.3” is not an IP address"));
}

#[tokio::test(flavor = "multi_thread")]
async fn dmarc_check_and_compose() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let out = mailwright(
        &[
            "dmarc",
            "check",
            dmarc::IGNORED,
            "--nameserver",
            &ns,
            "--json",
        ],
        None,
    )
    .await;
    assert_eq!(ids(&json(&out)), ["dmarc.syntax"]);
    assert_exit(&out, 1);
    let out = mailwright(
        &[
            "dmarc",
            "check",
            dmarc::EXTERNAL_MISSING,
            "--nameserver",
            &ns,
        ],
        None,
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("has not agreed to receive them"),
        "{stdout}"
    );
    let out = mailwright(
        &[
            "dmarc",
            "compose",
            "example.com",
            "--nameserver",
            &ns,
            "--rua",
            "agg@vendor.example",
            "--np",
            "reject",
            "--json",
        ],
        None,
    )
    .await;
    let value = json(&out);
    assert_eq!(
        value["record"],
        "v=DMARC1; p=none; np=reject; rua=mailto:agg@vendor.example"
    );
    assert_eq!(
        value["authorizations"][0]["name"],
        "example.com._report._dmarc.vendor.example"
    );
    assert_eq!(value["ramp"].as_array().unwrap().len(), 3);
    let bad = mailwright(
        &[
            "dmarc",
            "compose",
            "example.com",
            "--nameserver",
            &ns,
            "--rua",
            "nobody",
        ],
        None,
    )
    .await;
    assert_exit(&bad, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn composers_keep_what_an_already_strict_domain_publishes_unless_told_to_weaken() {
    let dns = start_demo_dns().await;
    let server = start_policy_server().await;
    let ns = dns.addr().to_string();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, server.ca_pem()).unwrap();
    let port = server.addr().port().to_string();
    let dmarc = |extra: &[&str]| {
        let mut args = vec!["dmarc", "compose", STRICT, "--nameserver", &ns];
        args.extend_from_slice(extra);
        args.iter().map(|a| a.to_string()).collect::<Vec<_>>()
    };
    let run = |args: Vec<String>| async move {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        mailwright(&refs, None).await
    };
    let same = run(dmarc(&["--json"])).await;
    assert_eq!(json(&same)["record"], STRICT_DMARC);
    let kept = run(dmarc(&["--policy", "none"])).await;
    let stdout = String::from_utf8_lossy(&kept.stdout);
    assert!(stdout.contains("add --weaken"), "{stdout}");
    assert!(stdout.contains(&format!("  {STRICT_DMARC}\n")), "{stdout}");
    let weaker = run(dmarc(&["--policy", "none", "--weaken", "--json"])).await;
    let value = json(&weaker);
    assert!(
        value["record"]
            .as_str()
            .unwrap()
            .starts_with("v=DMARC1; p=none; adkim=s")
    );
    assert_eq!(value["weaker"]["chosen"], true);

    let sts = mailwright(
        &[
            "mta-sts",
            "compose",
            STRICT,
            "--mode",
            "testing",
            "--ca",
            ca.to_str().unwrap(),
            "--policy-port",
            &port,
            "--nameserver",
            &ns,
            "--json",
        ],
        None,
    )
    .await;
    let value = json(&sts);
    assert_eq!(value["policy"]["mode"], "enforce");
    assert_eq!(value["unchanged"], true);
    assert_eq!(value["weaker"]["chosen"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn mta_sts_check_fetches_the_policy_from_a_trusted_private_server_and_compose_lists_mx() {
    let dns = start_demo_dns().await;
    let server = start_policy_server().await;
    let ns = dns.addr().to_string();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, server.ca_pem()).unwrap();
    let port = server.addr().port().to_string();
    let out = mailwright(
        &[
            "mta-sts",
            "check",
            mta_sts::ENFORCE,
            "--ca",
            ca.to_str().unwrap(),
            "--policy-port",
            &port,
            "--nameserver",
            &ns,
            "--json",
        ],
        None,
    )
    .await;
    let value = json(&out);
    assert_eq!(
        ids(&value),
        ["mta_sts.found", "mta_sts.ok", "tls_rpt.found"]
    );
    assert_eq!(value["policy"]["mode"], "enforce");
    assert_exit(&out, 0);
    let out = mailwright(
        &["mta-sts", "compose", mta_sts::NONE, "--nameserver", &ns],
        None,
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("mx: mx1.plain.sts.test"), "{stdout}");
    assert!(stdout.contains("v=TLSRPTv1; rua=mailto:tls-reports@plain.sts.test"));
    assert_exit(&out, 0);
}

/// A hostile DNS server's records hold terminal escapes (clear the screen, set the window
/// title, ring the bell): the text output shows them as `\u001b…`, the JSON stays valid, and
/// nothing reaches the terminal.
#[tokio::test(flavor = "multi_thread")]
async fn terminal_escapes_in_records_are_shown_never_obeyed() {
    use mailwright_testkit::{TestDns, Zone};
    let dns = TestDns::start(&[Zone::new(
        "escape.test",
        "@ TXT \"v=spf1 ip4:192.0.2.1 \u{1b}[2J\u{1b}]0;pwned\u{7} -all\"\n\
         _dmarc TXT \"v=DMARC1; p=none; rua=mailto:\u{1b}[31mx@escape.test\"",
    )])
    .await;
    let ns = dns.addr().to_string();
    for args in [
        vec!["audit", "escape.test", "--nameserver", &ns],
        vec!["spf", "check", "escape.test", "--nameserver", &ns],
        vec!["audit", "escape.test", "--nameserver", &ns, "--json"],
    ] {
        let output = mailwright(&args, None).await;
        for stream in [&output.stdout, &output.stderr] {
            assert!(
                !stream.iter().any(|b| *b == 0x1b || *b == 0x07),
                "{args:?}: {}",
                String::from_utf8_lossy(stream)
            );
        }
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("\\u001b[2J"), "{args:?}: {text}");
        if args.contains(&"--json") {
            let value = json(&output);
            assert!(value.to_string().contains("[2J"));
        }
    }
}
