//! `mailwright publish` against the testkit's DNS server, which is also `publish.test`'s own
//! name server: the records of a saved project written for a host, with the warning about the
//! SPF record already there, the report receiver's authorization, the zone snippet, and
//! `verify` naming what differs and asking the receiver's own name server.

use mailwright_testkit::fixtures::{publish_project_json, start_demo_dns};
mod common;

use common::mailwright;

#[tokio::test(flavor = "multi_thread")]
async fn shows_the_records_for_a_host_and_verifies_them() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project.json");
    std::fs::write(&project, publish_project_json()).unwrap();
    let path = project.to_str().unwrap();

    let show = mailwright(&[
        "publish",
        "show",
        "--project",
        path,
        "--host",
        "godaddy",
        "--nameserver",
        &ns,
    ])
    .await;
    assert_eq!(
        show.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    let page = String::from_utf8(show.stdout).unwrap();
    assert!(page.contains("Add these records at **GoDaddy**"), "{page}");
    assert!(page.contains("| Name | `_dmarc` |"), "{page}");
    assert!(page.contains("include:_spf.google.com"), "{page}");
    assert!(
        page.contains("already has an SPF record (v=spf1 mx -all)"),
        "{page}"
    );
    assert!(
        page.contains("| Name | `publish.test._report._dmarc.reports.vendor.test` |"),
        "the report receiver's authorization is a card, in full: {page}"
    );
    assert!(
        page.contains("Send it to whoever runs reports.vendor.test"),
        "{page}"
    );
    let notes = String::from_utf8_lossy(&show.stderr);
    assert!(notes.contains("No DKIM key yet"), "{notes}");

    let zone = mailwright(&[
        "publish",
        "show",
        "--project",
        path,
        "--format",
        "zone",
        "--nameserver",
        &ns,
    ])
    .await;
    let zone = String::from_utf8(zone.stdout).unwrap();
    assert!(
        zone.contains("_dmarc.publish.test. 3600 IN TXT \"v=DMARC1; p=quarantine"),
        "{zone}"
    );

    let port = dns.addr().port().to_string();
    let verify = mailwright(&[
        "publish",
        "verify",
        "--project",
        path,
        "--nameserver",
        &ns,
        "--port",
        &port,
        "--rounds",
        "1",
    ])
    .await;
    assert_eq!(verify.status.code(), Some(1), "not everything is published");
    let out = String::from_utf8(verify.stdout).unwrap();
    assert!(
        out.contains("name servers: ns1.publish.test 127.0.0.1"),
        "{out}"
    );
    assert!(out.contains("TXT _dmarc.publish.test: DIFFERENT"), "{out}");
    assert!(
        out.contains("TXT publish.test._report._dmarc.reports.vendor.test: not found"),
        "{out}"
    );
    assert!(out.contains("ns1.vendor.test 127.0.0.1"), "{out}");
    assert!(out.contains("p=none"), "the difference is shown: {out}");

    let unknown = mailwright(&["publish", "show", "--project", path, "--host", "nowhere"]).await;
    assert_eq!(unknown.status.code(), Some(2));
}
