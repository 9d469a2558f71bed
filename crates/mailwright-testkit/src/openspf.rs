//! The OpenSPF RFC 7208 conformance suite (`data/openspf/`, BSD licence): each scenario's
//! `zonedata` turned into DNS records for [`TestDns`], and its tests, read as pyspf's driver
//! reads them: an `SPF` entry is served as TXT unless the name has its own `TXT` entries,
//! `TXT: NONE` means no TXT record, and `TIMEOUT` makes every query for a type not listed before
//! it go unanswered.

use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::rr::rdata::{A, AAAA, CNAME, MX, PTR, TXT};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use yaml_rust2::{Yaml, YamlLoader};

use crate::{TestDns, Zone};

/// The suite as published.
const SUITE: &str = include_str!("../data/openspf/rfc7208-tests.yml");

/// One scenario: its DNS data and its tests.
#[derive(Clone, Debug)]
pub struct SpfScenario {
    /// What the scenario is about.
    pub description: String,
    records: Vec<Record>,
    timeouts: Vec<(String, Vec<RecordType>)>,
    /// The tests that run against this DNS data.
    pub tests: Vec<SpfSuiteTest>,
}

/// One test: who connects, and what the RFC says the result is.
#[derive(Clone, Debug)]
pub struct SpfSuiteTest {
    /// The test's name in the suite.
    pub name: String,
    /// The RFC 7208 section it is about.
    pub spec: String,
    /// The client address.
    pub host: String,
    /// The MAIL FROM (may be empty).
    pub mail_from: String,
    /// The HELO name.
    pub helo: String,
    /// The accepted results (the first is preferred).
    pub results: Vec<String>,
    /// The expected explanation; `DEFAULT` means none published.
    pub explanation: Option<String>,
}

impl SpfScenario {
    /// A DNS server answering with this scenario's data.
    pub async fn serve(&self) -> TestDns {
        let dns = TestDns::start(&[Zone::root_with(self.records.clone())]).await;
        for (name, answered) in &self.timeouts {
            dns.drop_queries_except(name, answered);
        }
        dns
    }
}

/// Every scenario of `rfc7208-tests.yml`.
pub fn rfc7208_scenarios() -> Vec<SpfScenario> {
    let documents = YamlLoader::load_from_str(SUITE).expect("the suite is valid YAML");
    documents.iter().map(scenario).collect()
}

fn text(yaml: &Yaml) -> String {
    match yaml {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => String::new(),
    }
}

fn scenario(document: &Yaml) -> SpfScenario {
    let mut records = Vec::new();
    let mut timeouts = Vec::new();
    if let Some(zones) = document["zonedata"].as_hash() {
        for (name, entries) in zones {
            let name = text(name);
            let (mut found, timeout) = name_records(&name, entries.as_vec().unwrap_or(&vec![]));
            records.append(&mut found);
            if let Some(answered) = timeout {
                timeouts.push((name, answered));
            }
        }
    }
    let mut tests: Vec<SpfSuiteTest> = document["tests"]
        .as_hash()
        .map(|tests| {
            tests
                .iter()
                .map(|(name, test)| SpfSuiteTest {
                    name: text(name),
                    spec: text(&test["spec"]),
                    host: text(&test["host"]),
                    mail_from: text(&test["mailfrom"]),
                    helo: text(&test["helo"]),
                    results: match &test["result"] {
                        Yaml::Array(list) => list.iter().map(text).collect(),
                        one => vec![text(one)],
                    },
                    explanation: test["explanation"].as_str().map(str::to_owned),
                })
                .collect()
        })
        .unwrap_or_default();
    tests.sort_by(|a, b| a.name.cmp(&b.name));
    SpfScenario {
        description: text(&document["description"]),
        records,
        timeouts,
        tests,
    }
}

/// The records of one name, and, when it has a `TIMEOUT` entry, the types answered anyway.
fn name_records(name: &str, entries: &[Yaml]) -> (Vec<Record>, Option<Vec<RecordType>>) {
    let Some(owner) = dns_name(name) else {
        return (Vec::new(), None);
    };
    let has_txt = entries.iter().any(|e| !e["TXT"].is_badvalue());
    let mut records = Vec::new();
    let mut listed = Vec::new();
    let mut timeout = None;
    for entry in entries {
        if entry.as_str() == Some("TIMEOUT") {
            timeout.get_or_insert_with(|| listed.clone());
            continue;
        }
        let Some(map) = entry.as_hash() else { continue };
        for (kind, value) in map {
            let kind = text(kind);
            let rtype = match kind.as_str() {
                "SPF" if has_txt => continue,
                "SPF" | "TXT" => RecordType::TXT,
                "A" => RecordType::A,
                "AAAA" => RecordType::AAAA,
                "MX" => RecordType::MX,
                "PTR" => RecordType::PTR,
                "CNAME" => RecordType::CNAME,
                _ => continue,
            };
            // `TXT: NONE` is no record at all, so it does not keep its type from timing out.
            if text(value) != "NONE" {
                listed.push(rtype);
            }
            if let Some(data) = rdata(rtype, value) {
                records.push(Record::from_rdata(owner.clone(), 300, data));
            }
        }
    }
    (records, timeout)
}

fn rdata(rtype: RecordType, value: &Yaml) -> Option<RData> {
    let v = text(value);
    Some(match rtype {
        RecordType::TXT => {
            let strings: Vec<String> = match value {
                // An empty record (`SPF: [ ]`) is served as one empty string, as zone files
                // write it (`TXT ""`): DNS has no TXT record without a string.
                Yaml::Array(list) if list.is_empty() => vec![String::new()],
                Yaml::Array(list) => list.iter().map(text).collect(),
                _ if v == "NONE" => return None,
                _ => vec![v],
            };
            // Each character-string holds at most 255 octets.
            let chunks = strings
                .iter()
                .flat_map(|s| {
                    let bytes = s.as_bytes();
                    if bytes.is_empty() {
                        vec![Vec::new()]
                    } else {
                        bytes.chunks(255).map(<[u8]>::to_vec).collect()
                    }
                })
                .collect::<Vec<_>>();
            RData::TXT(TXT::from_bytes(chunks.iter().map(Vec::as_slice).collect()))
        }
        RecordType::A => RData::A(A(v.parse::<Ipv4Addr>().ok()?)),
        RecordType::AAAA => RData::AAAA(AAAA(v.parse::<Ipv6Addr>().ok()?)),
        RecordType::MX => {
            let preference = value[0].as_i64().unwrap_or(0) as u16;
            RData::MX(MX::new(preference, dns_name(&text(&value[1]))?))
        }
        RecordType::PTR => RData::PTR(PTR(dns_name(&v)?)),
        RecordType::CNAME => RData::CNAME(CNAME(dns_name(&v)?)),
        _ => return None,
    })
}

/// A name as written, byte for byte (the suite has names with spaces and `%`); `None` for one
/// DNS cannot carry (a label over 63 octets).
fn dns_name(name: &str) -> Option<Name> {
    let mut name =
        Name::from_labels(name.split('.').filter(|l| !l.is_empty()).map(str::as_bytes)).ok()?;
    name.set_fqdn(true);
    Some(name)
}
