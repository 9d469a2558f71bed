//! Generated DMARC aggregate and SMTP TLS reports, as receivers send them (XML, JSON, gzip,
//! zip, in a message), for tests, the GUI walk and the benchmarks.

use std::io::Write;

use base64::Engine;

/// One row of a generated aggregate report.
#[derive(Clone, Debug)]
pub struct Row {
    /// The source IP.
    pub ip: String,
    /// Messages.
    pub count: u64,
    /// The DKIM signature's domain and whether it passed (none when unsigned).
    pub dkim: Option<(String, bool)>,
    /// The SPF domain (envelope) and whether it passed.
    pub spf: (String, bool),
    /// The receiver's DMARC evaluation: aligned DKIM passed.
    pub dkim_aligned: bool,
    /// Aligned SPF passed.
    pub spf_aligned: bool,
    /// `none`, `quarantine` or `reject`.
    pub disposition: &'static str,
}

impl Row {
    /// Mail from the domain's own sender: SPF and DKIM pass, both aligned.
    pub fn passing(ip: &str, count: u64, domain: &str) -> Row {
        Row {
            ip: ip.into(),
            count,
            dkim: Some((domain.into(), true)),
            spf: (domain.into(), true),
            dkim_aligned: true,
            spf_aligned: true,
            disposition: "none",
        }
    }

    /// Mail from someone else using the domain: nothing passes aligned.
    pub fn spoofed(ip: &str, count: u64, disposition: &'static str) -> Row {
        Row {
            ip: ip.into(),
            count,
            dkim: None,
            spf: ("spoofer.example".into(), true),
            dkim_aligned: false,
            spf_aligned: false,
            disposition,
        }
    }

    /// Mail signed by the domain, relayed by a forwarder: SPF fails for the domain, DKIM
    /// passes aligned.
    pub fn forwarded(ip: &str, count: u64, domain: &str) -> Row {
        Row {
            ip: ip.into(),
            count,
            dkim: Some((domain.into(), true)),
            spf: (domain.into(), false),
            dkim_aligned: true,
            spf_aligned: false,
            disposition: "none",
        }
    }
}

fn pass(yes: bool) -> &'static str {
    if yes { "pass" } else { "fail" }
}

/// An aggregate report (RFC 7489 appendix C form) from `reporter` about `domain` for the day
/// starting at `begin` (Unix seconds).
pub fn aggregate_xml(
    reporter: &str,
    report_id: &str,
    domain: &str,
    begin: i64,
    policy: &str,
    rows: &[Row],
) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<feedback>\n  <version>1.0</version>\n  <report_metadata>\n    <org_name>{reporter}</org_name>\n    <email>noreply-dmarc@{reporter}</email>\n    <report_id>{report_id}</report_id>\n    <date_range><begin>{begin}</begin><end>{}</end></date_range>\n  </report_metadata>\n  <policy_published>\n    <domain>{domain}</domain><adkim>r</adkim><aspf>r</aspf><p>{policy}</p><sp>{policy}</sp>\n  </policy_published>\n",
        begin + 86_399
    );
    for row in rows {
        xml.push_str(&format!(
            "  <record>\n    <row><source_ip>{}</source_ip><count>{}</count><policy_evaluated><disposition>{}</disposition><dkim>{}</dkim><spf>{}</spf></policy_evaluated></row>\n    <identifiers><envelope_from>{}</envelope_from><header_from>{domain}</header_from></identifiers>\n    <auth_results>",
            row.ip,
            row.count,
            row.disposition,
            pass(row.dkim_aligned),
            pass(row.spf_aligned),
            row.spf.0
        ));
        if let Some((d, ok)) = &row.dkim {
            xml.push_str(&format!(
                "<dkim><domain>{d}</domain><selector>s1</selector><result>{}</result></dkim>",
                pass(*ok)
            ));
        }
        xml.push_str(&format!(
            "<spf><domain>{}</domain><scope>mfrom</scope><result>{}</result></spf></auth_results>\n  </record>\n",
            row.spf.0,
            pass(row.spf.1)
        ));
    }
    xml.push_str("</feedback>\n");
    xml
}

/// An SMTP TLS report (RFC 8460) from `reporter` about `domain`'s MTA-STS policy for the day
/// starting at `begin`; `failures` are (result type, MX host, sessions).
pub fn tls_json(
    reporter: &str,
    report_id: &str,
    domain: &str,
    begin: i64,
    successful: u64,
    failures: &[(&str, &str, u64)],
) -> String {
    let day = |t: i64| {
        let days = t.div_euclid(86_400);
        // Civil date from days since the epoch (H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        format!("{y:04}-{m:02}-{d:02}")
    };
    let failed: u64 = failures.iter().map(|f| f.2).sum();
    let details: Vec<String> = failures
        .iter()
        .map(|(t, mx, n)| {
            format!(
                "{{\"result-type\": \"{t}\", \"sending-mta-ip\": \"192.0.2.25\", \"receiving-mx-hostname\": \"{mx}\", \"failed-session-count\": {n}}}"
            )
        })
        .collect();
    let date = day(begin);
    let details = details.join(", ");
    format!(
        "{{\"organization-name\": \"{reporter}\", \"date-range\": {{\"start-datetime\": \"{date}T00:00:00Z\", \"end-datetime\": \"{date}T23:59:59Z\"}}, \"contact-info\": \"tlsrpt@{reporter}\", \"report-id\": \"{report_id}\", \"policies\": [{{\"policy\": {{\"policy-type\": \"sts\", \"policy-string\": [\"version: STSv1\", \"mode: enforce\"], \"policy-domain\": \"{domain}\", \"mx-host\": [\"mx.{domain}\"]}}, \"summary\": {{\"total-successful-session-count\": {successful}, \"total-failure-session-count\": {failed}}}, \"failure-details\": [{details}]}}]}}"
    )
}

/// `bytes` gzipped.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// A zip archive holding `bytes` as `name`.
pub fn zip(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(name, zip::write::SimpleFileOptions::default())
        .expect("writing to memory");
    zip.write_all(bytes).expect("writing to memory");
    zip.finish().expect("writing to memory").into_inner()
}

/// A report message as receivers send it: a text part and the report attached (base64).
pub fn report_message(
    reporter: &str,
    to: &str,
    subject: &str,
    file_name: &str,
    content_type: &str,
    attachment: &[u8],
) -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(attachment);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
        .collect();
    format!(
        "From: noreply-dmarc@{reporter}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <{}@{reporter}>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThis is a report for your domain.\r\n--b1\r\nContent-Type: {content_type}; name=\"{file_name}\"\r\nContent-Disposition: attachment; filename=\"{file_name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1--\r\n",
        file_name.replace(['!', '.'], "-"),
        lines.join("\r\n")
    )
    .into_bytes()
}
