//! `check_host()` (RFC 7208 §4–§6): the SPF result a receiver computes for one client address,
//! MAIL FROM and HELO name. Written here rather than taken from mail-auth because mail-auth 0.13
//! gets a quarter of the RFC's conformance suite wrong (README, "SPF evaluation"): this is the
//! verdict Mailwright shows.

use std::net::IpAddr;
use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::lookups::{Lookups, MAX_NAMES_PER_TERM, spf_records};
use super::macros::{MacroValues, expand, expand_name, uses_validated_name};
use super::{MAX_DNS_LOOKUPS, MAX_VOID_LOOKUPS, SpfVerdict};
use crate::dns::{
    DnsClient, DnsConfig, Lookup, Outcome, ProgressSink, RData, RecordType, reverse_name,
};
use crate::error::EngineError;
use crate::spf_record::{MacroContext, Mechanism, Qualifier, SpfRecord, macro_tokens};

/// The message a receiver checks: the client's address, the MAIL FROM (empty for a bounce) and
/// the HELO name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpfQuery {
    /// The SMTP client's address.
    pub ip: IpAddr,
    /// The MAIL FROM address as given (`""` for a bounce, then the HELO name is checked).
    pub mail_from: String,
    /// The HELO/EHLO name.
    pub helo: String,
}

/// The result of `check_host()` and what decided it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpfEvaluation {
    /// The domain whose record was evaluated.
    pub domain: String,
    /// The client address, as checked.
    pub ip: String,
    /// The sender checked (`postmaster@<HELO>` for a bounce).
    pub sender: String,
    /// The result.
    pub result: SpfVerdict,
    /// The term that decided (`-all`, `include:_spf.example.net`), when one did.
    pub decided_by: Option<String>,
    /// The domain whose record holds that term.
    pub decided_in: Option<String>,
    /// For `fail`: the explanation the domain publishes (`exp=`), expanded.
    pub explanation: Option<String>,
    /// For `none`, `permerror` and `temperror`: why, in plain words.
    pub problem: Option<String>,
    /// DNS-querying terms evaluated (limit 10).
    pub lookups: u32,
    /// Lookups that found nothing (limit 2).
    pub void_lookups: u32,
    /// What receivers do, in one plain sentence.
    pub sentence: String,
}

/// Evaluates SPF as a receiver does for `query`: the record of `domain` (by default the MAIL
/// FROM's domain, or the HELO name for a bounce), or `record` as if published there.
pub async fn check_host(
    query: &SpfQuery,
    domain: Option<&str>,
    record: Option<&str>,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<SpfEvaluation, EngineError> {
    let client = DnsClient::new(dns, progress)?;
    Ok(evaluate(query, domain, record, client).await.0)
}

/// `check_host()` with a client already made; also every DNS answer it received.
pub(crate) async fn evaluate(
    query: &SpfQuery,
    domain: Option<&str>,
    record: Option<&str>,
    client: DnsClient,
) -> (SpfEvaluation, Vec<Lookup>) {
    let (local, sender_domain) = sender(query);
    let domain = domain
        .unwrap_or(&sender_domain)
        .trim_end_matches('.')
        .to_owned();
    let ip = match query.ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(query.ip, IpAddr::V4),
        v4 => v4,
    };
    let values = MacroValues {
        local,
        sender_domain,
        helo: query.helo.clone(),
        ip,
        receiver: "unknown".into(),
        now: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    };
    let sender = format!("{}@{}", values.local, values.sender_domain);
    let outcome = if is_checkable(&domain) {
        let mut run = Run {
            lookups: Lookups::new(client, values.clone()),
            values,
            terms: 0,
            voids: 0,
            validated: None,
        };
        let outcome = run.host(domain.clone(), record.map(str::to_owned)).await;
        (outcome, run.terms, run.voids, run.lookups.answered())
    } else {
        let problem = format!("“{domain}” is not a domain name receivers can check");
        (
            HostOutcome::stop(SpfVerdict::None, problem),
            0,
            0,
            Vec::new(),
        )
    };
    let (outcome, lookups, void_lookups, answers) = outcome;
    let mut evaluation = SpfEvaluation {
        domain,
        ip: ip.to_string(),
        sender,
        result: outcome.verdict,
        decided_by: outcome.decided.as_ref().map(|(term, _)| term.clone()),
        decided_in: outcome.decided.map(|(_, domain)| domain),
        explanation: outcome.explanation,
        problem: outcome.problem,
        lookups,
        void_lookups,
        sentence: String::new(),
    };
    evaluation.sentence = sentence(&evaluation);
    (evaluation, answers)
}

/// The local part and domain checked (RFC 7208 §2.4, §4.3): the MAIL FROM's, `postmaster` when
/// it has no local part, and `postmaster@<HELO>` for a bounce.
fn sender(query: &SpfQuery) -> (String, String) {
    let from = query.mail_from.trim();
    let (local, domain) = match from.rsplit_once('@') {
        Some((local, domain)) => (local, domain),
        None if from.is_empty() => ("", query.helo.trim()),
        None => ("", from),
    };
    let local = if local.is_empty() {
        "postmaster"
    } else {
        local
    };
    (local.to_owned(), domain.to_owned())
}

/// RFC 7208 §4.3: a domain with an empty or over-long label, or with a single label, gets `none`.
fn is_checkable(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| !l.is_empty() && l.len() <= 63)
}

/// The one plain sentence for an evaluation.
fn sentence(evaluation: &SpfEvaluation) -> String {
    let why = match (
        &evaluation.decided_by,
        &evaluation.decided_in,
        &evaluation.problem,
    ) {
        (_, _, Some(problem)) => format!(" ({problem})"),
        (Some(term), Some(domain), None) => {
            format!(": {term} in the record of {domain} decides it")
        }
        _ => ": no term of the record matches it, so the result is neutral".to_owned(),
    };
    format!(
        "Mail from {} (MAIL FROM {}) would {}{why}.",
        evaluation.ip,
        evaluation.sender,
        evaluation.result.meaning()
    )
}

/// How the evaluation of one domain's record ended.
#[derive(Clone, Debug)]
struct HostOutcome {
    verdict: SpfVerdict,
    decided: Option<(String, String)>,
    explanation: Option<String>,
    problem: Option<String>,
}

impl HostOutcome {
    fn stop(verdict: SpfVerdict, problem: String) -> Self {
        HostOutcome {
            verdict,
            decided: None,
            explanation: None,
            problem: Some(problem),
        }
    }
}

/// Why the evaluation stopped early: a temperror or permerror, in plain words.
struct Stop(SpfVerdict, String);

impl Stop {
    fn perm(problem: String) -> Self {
        Stop(SpfVerdict::PermError, problem)
    }

    fn temp(lookup: &Lookup) -> Self {
        Stop(
            SpfVerdict::TempError,
            format!(
                "the {} lookup of {} failed ({})",
                lookup.rtype,
                lookup.name,
                lookup.kind().label()
            ),
        )
    }
}

/// One evaluation: the lookups and the counters the limits apply to.
struct Run {
    lookups: Arc<Lookups>,
    values: MacroValues,
    terms: u32,
    voids: u32,
    validated: Option<Vec<String>>,
}

impl Run {
    /// check_host() for `domain`, with its record looked up or given.
    fn host(&mut self, domain: String, given: Option<String>) -> BoxFuture<'_, HostOutcome> {
        async move {
            let text = match given {
                Some(text) => text,
                None => match self.record(&domain).await {
                    Ok(Some(text)) => text,
                    Ok(None) => {
                        let problem = format!("{domain} publishes no SPF record");
                        return HostOutcome::stop(SpfVerdict::None, problem);
                    }
                    Err(Stop(verdict, problem)) => return HostOutcome::stop(verdict, problem),
                },
            };
            let record = match SpfRecord::parse(&text) {
                Ok(record) => record,
                Err(e) => {
                    let problem = format!("the record of {domain} is malformed: {e}");
                    return HostOutcome::stop(SpfVerdict::PermError, problem);
                }
            };
            self.lookups.prefetch(&domain, &record);
            match self.terms_of(&domain, &record).await {
                Ok(Some((qualifier, term))) => {
                    let explanation = match (qualifier, record.explanation()) {
                        (Qualifier::Fail, Some(spec)) => self.explain(&domain, spec).await,
                        _ => None,
                    };
                    HostOutcome {
                        verdict: qualifier.into(),
                        decided: Some((term, domain)),
                        explanation,
                        problem: None,
                    }
                }
                Ok(None) => match (record.redirect(), record.has_all()) {
                    (Some(target), false) => self.redirect(&domain, target).await,
                    _ => HostOutcome {
                        verdict: SpfVerdict::Neutral,
                        decided: None,
                        explanation: None,
                        problem: None,
                    },
                },
                Err(Stop(verdict, problem)) => HostOutcome::stop(verdict, problem),
            }
        }
        .boxed()
    }

    /// The domain's one SPF record (RFC 7208 §4.4, §4.5): `None` when it has none.
    async fn record(&self, domain: &str) -> Result<Option<String>, Stop> {
        let lookup = self.lookups.lookup(domain, RecordType::TXT).await;
        if lookup.failed() {
            return Err(Stop::temp(&lookup));
        }
        match spf_records(&lookup).as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.clone())),
            many => Err(Stop::perm(format!(
                "{domain} publishes {} SPF records (only one is allowed)",
                many.len()
            ))),
        }
    }

    /// The mechanisms in order: the first that matches, with its qualifier and text.
    async fn terms_of(
        &mut self,
        domain: &str,
        record: &SpfRecord,
    ) -> Result<Option<(Qualifier, String)>, Stop> {
        for (qualifier, mechanism, text) in record.mechanisms() {
            if mechanism.queries_dns() {
                self.count_term(text)?;
            }
            if self.matches(domain, mechanism, text).await? {
                return Ok(Some((*qualifier, text.to_owned())));
            }
        }
        Ok(None)
    }

    /// One more DNS-querying term; past 10 it is a permerror (RFC 7208 §4.6.4).
    fn count_term(&mut self, text: &str) -> Result<(), Stop> {
        self.terms += 1;
        if self.terms > MAX_DNS_LOOKUPS {
            return Err(Stop::perm(format!(
                "{text} is DNS-querying term number {} (receivers stop at {MAX_DNS_LOOKUPS})",
                self.terms
            )));
        }
        Ok(())
    }

    /// Counts a lookup that found nothing; past 2 it is a permerror (RFC 7208 §4.6.4).
    fn void(&mut self, lookup: &Lookup, text: &str) -> Result<(), Stop> {
        if matches!(lookup.outcome, Outcome::NoData | Outcome::NxDomain) {
            self.voids += 1;
            if self.voids > MAX_VOID_LOOKUPS {
                return Err(Stop::perm(format!(
                    "{text} is lookup number {} to find nothing (receivers stop after \
                     {MAX_VOID_LOOKUPS})",
                    self.voids
                )));
            }
        }
        Ok(())
    }

    /// Whether one mechanism matches the client (RFC 7208 §5).
    async fn matches(
        &mut self,
        domain: &str,
        mechanism: &Mechanism,
        text: &str,
    ) -> Result<bool, Stop> {
        let ip = self.values.ip;
        match mechanism {
            Mechanism::All => Ok(true),
            Mechanism::Ip4(net, len) => Ok(match ip {
                IpAddr::V4(ip) => in_network(IpAddr::V4(*net), ip.into(), *len),
                IpAddr::V6(_) => false,
            }),
            Mechanism::Ip6(net, len) => Ok(match ip {
                IpAddr::V6(ip) => in_network(IpAddr::V6(*net), ip.into(), *len),
                IpAddr::V4(_) => false,
            }),
            Mechanism::Include(spec) => {
                let target = self.name(domain, Some(spec)).await?;
                let outcome = self.host(target.clone(), None).await;
                match outcome.verdict {
                    SpfVerdict::Pass => Ok(true),
                    SpfVerdict::Fail | SpfVerdict::SoftFail | SpfVerdict::Neutral => Ok(false),
                    SpfVerdict::None => Err(Stop::perm(format!(
                        "{text} names {target}, which publishes no SPF record"
                    ))),
                    verdict => Err(Stop(verdict, outcome.problem.unwrap_or_default())),
                }
            }
            Mechanism::A(spec, cidr) => {
                let name = self.name(domain, spec.as_deref()).await?;
                let lookup = self.lookups.lookup(&name, self.address_type()).await;
                if lookup.failed() {
                    return Err(Stop::temp(&lookup));
                }
                self.void(&lookup, text)?;
                Ok(self.any_address(&lookup, cidr.v4, cidr.v6))
            }
            Mechanism::Mx(spec, cidr) => {
                let name = self.name(domain, spec.as_deref()).await?;
                let lookup = self.lookups.lookup(&name, RecordType::MX).await;
                if lookup.failed() {
                    return Err(Stop::temp(&lookup));
                }
                self.void(&lookup, text)?;
                let hosts = lookup.host_names();
                if hosts.len() > MAX_NAMES_PER_TERM {
                    return Err(Stop::perm(format!(
                        "{text} names {} mail servers (receivers look up at most \
                         {MAX_NAMES_PER_TERM})",
                        hosts.len()
                    )));
                }
                let rtype = self.address_type();
                let answers = futures::future::join_all(
                    hosts.iter().map(|host| self.lookups.lookup(host, rtype)),
                )
                .await;
                for answer in &answers {
                    if self.any_address(answer, cidr.v4, cidr.v6) {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Mechanism::Ptr(spec) => {
                let target = self.name(domain, spec.as_deref()).await?;
                let target = target.to_ascii_lowercase();
                let ptr = self
                    .lookups
                    .lookup(&reverse_name(self.values.ip), RecordType::PTR)
                    .await;
                self.void(&ptr, text)?;
                let names = self.validated_names().await;
                Ok(names.iter().any(|n| {
                    let n = n.to_ascii_lowercase();
                    n == target || n.ends_with(&format!(".{target}"))
                }))
            }
            Mechanism::Exists(spec) => {
                let name = self.name(domain, Some(spec)).await?;
                let lookup = self.lookups.lookup(&name, RecordType::A).await;
                if lookup.failed() {
                    return Err(Stop::temp(&lookup));
                }
                self.void(&lookup, text)?;
                Ok(!lookup.records().is_empty())
            }
        }
    }

    /// `redirect=` (RFC 7208 §6.1): the target's result replaces this record's.
    async fn redirect(&mut self, domain: &str, target: &str) -> HostOutcome {
        let term = format!("redirect={target}");
        if let Err(Stop(verdict, problem)) = self.count_term(&term) {
            return HostOutcome::stop(verdict, problem);
        }
        let name = match self.name(domain, Some(target)).await {
            Ok(name) => name,
            Err(Stop(verdict, problem)) => return HostOutcome::stop(verdict, problem),
        };
        if !is_checkable(&name) {
            let problem = format!("{term} does not name a domain");
            return HostOutcome::stop(SpfVerdict::PermError, problem);
        }
        let outcome = self.host(name.clone(), None).await;
        match outcome.verdict {
            SpfVerdict::None => HostOutcome::stop(
                SpfVerdict::PermError,
                format!("{term} names {name}, which publishes no SPF record"),
            ),
            _ => outcome,
        }
    }

    /// The explanation of a `fail` (RFC 7208 §6.2); none when anything about it is wrong.
    async fn explain(&mut self, domain: &str, spec: &str) -> Option<String> {
        let name = self.name(domain, Some(spec)).await.ok()?;
        let lookup = self.lookups.lookup(&name, RecordType::TXT).await;
        let [text]: [String; 1] = lookup.txt().try_into().ok()?;
        if !text.is_ascii() {
            return None;
        }
        let tokens = macro_tokens(&text, MacroContext::Explanation)?;
        let validated = if uses_validated_name(&tokens) {
            self.validated_name(domain).await
        } else {
            String::new()
        };
        Some(expand(&tokens, &self.values, domain, &validated))
    }

    /// The name a domain-spec expands to (the current domain when there is none).
    async fn name(&mut self, domain: &str, spec: Option<&str>) -> Result<String, Stop> {
        let Some(spec) = spec else {
            return Ok(domain.to_owned());
        };
        let tokens = macro_tokens(spec, MacroContext::DomainSpec)
            .ok_or_else(|| Stop::perm(format!("“{spec}” has a malformed macro")))?;
        let validated = if uses_validated_name(&tokens) {
            self.validated_name(domain).await
        } else {
            String::new()
        };
        Ok(expand_name(&tokens, &self.values, domain, &validated))
    }

    /// `%{p}` (RFC 7208 §7.3): the client's validated name, preferring `domain` or a subdomain
    /// of it; `unknown` when there is none.
    async fn validated_name(&mut self, domain: &str) -> String {
        let names = self.validated_names().await;
        let domain = domain.to_ascii_lowercase();
        let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
        lower
            .iter()
            .position(|n| *n == domain)
            .or_else(|| {
                lower
                    .iter()
                    .position(|n| n.ends_with(&format!(".{domain}")))
            })
            .or(if names.is_empty() { None } else { Some(0) })
            .map_or_else(|| "unknown".to_owned(), |i| names[i].clone())
    }

    /// The client's names that resolve back to it (RFC 7208 §5.5): at most 10 PTR names are
    /// tried; a name whose lookup fails is skipped. Looking them up for `%{p}` counts toward no
    /// limit; the `ptr` mechanism counts its own void lookup.
    async fn validated_names(&mut self) -> Vec<String> {
        if let Some(names) = &self.validated {
            return names.clone();
        }
        let lookup = self
            .lookups
            .lookup(&reverse_name(self.values.ip), RecordType::PTR)
            .await;
        let names: Vec<String> = lookup
            .host_names()
            .into_iter()
            .take(MAX_NAMES_PER_TERM)
            .collect();
        let rtype = self.address_type();
        let answers =
            futures::future::join_all(names.iter().map(|n| self.lookups.lookup(n, rtype))).await;
        let ip = self.values.ip;
        let validated: Vec<String> = names
            .into_iter()
            .zip(answers)
            .filter(|(_, answer)| addresses(answer).contains(&ip))
            .map(|(name, _)| name)
            .collect();
        self.validated = Some(validated.clone());
        validated
    }

    fn address_type(&self) -> RecordType {
        self.lookups.address_type()
    }

    /// Whether an address answer holds the client, within the prefix lengths.
    fn any_address(&self, lookup: &Lookup, v4: u8, v6: u8) -> bool {
        addresses(lookup).into_iter().any(|a| {
            let len = if a.is_ipv4() { v4 } else { v6 };
            in_network(a, self.values.ip, len)
        })
    }
}

/// The addresses of an A or AAAA answer.
fn addresses(lookup: &Lookup) -> Vec<IpAddr> {
    lookup
        .records()
        .iter()
        .filter_map(|r| match r {
            RData::A(a) => Some(IpAddr::V4(a.0)),
            RData::AAAA(a) => Some(IpAddr::V6(a.0)),
            _ => None,
        })
        .collect()
}

/// Whether `ip` is in `net`/`len` (both of the same family).
fn in_network(net: IpAddr, ip: IpAddr, len: u8) -> bool {
    let (net, ip, bits) = match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => (u128::from(u32::from(n)), u128::from(u32::from(i)), 32),
        (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
        _ => return false,
    };
    let len = u32::from(len.min(bits));
    if len == 0 {
        return true;
    }
    let shift = u32::from(bits) - len;
    (net >> shift) == (ip >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_compare_their_prefix_only() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(in_network(ip("192.0.2.0"), ip("192.0.2.77"), 24));
        assert!(!in_network(ip("192.0.2.0"), ip("192.0.3.1"), 24));
        assert!(in_network(ip("10.0.0.0"), ip("203.0.113.9"), 0));
        assert!(in_network(ip("2001:db8::"), ip("2001:db8::1"), 64));
        assert!(!in_network(ip("2001:db8::"), ip("192.0.2.1"), 0));
    }

    #[test]
    fn the_sender_defaults_as_the_rfc_says() {
        let query = |from: &str| SpfQuery {
            ip: "192.0.2.1".parse().unwrap(),
            mail_from: from.into(),
            helo: "mail.example.net".into(),
        };
        assert_eq!(
            sender(&query("a@example.com")),
            ("a".into(), "example.com".into())
        );
        assert_eq!(
            sender(&query("@example.com")),
            ("postmaster".into(), "example.com".into())
        );
        assert_eq!(
            sender(&query("")),
            ("postmaster".into(), "mail.example.net".into())
        );
        assert_eq!(
            reverse_name("192.0.2.1".parse().unwrap()),
            "1.2.0.192.in-addr.arpa"
        );
        assert!(reverse_name("2001:db8::1".parse().unwrap()).starts_with("1.0.0.0."));
    }
}
