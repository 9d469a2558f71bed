//! The message check as `message.*` findings: what passed, what failed and the one thing to do,
//! each with the header lines it rests on. The body is never evidence.

use super::check::MessageCheck;
use super::facts::MessageFacts;
use super::rules::{has_https_unsubscribe, is_one_click, unsubscribe_signed};
use crate::dmarc::DmarcResult;
use crate::finding::{Evidence, Finding, Severity, Topic};
use crate::spf::SpfVerdict;

const TOPIC: Topic = Topic::Message;

fn finding(id: &str, severity: Severity, title: String, detail: impl Into<String>) -> Finding {
    Finding::new(id, severity, TOPIC, title, detail)
}

/// Every finding for one checked message.
pub(crate) fn findings(check: &MessageCheck, facts: &MessageFacts) -> Vec<Finding> {
    let mut out = Vec::new();
    dkim(check, &mut out);
    spf(check, &mut out);
    dmarc(check, &mut out);
    unsubscribe(check, facts, &mut out);
    hops(check, &mut out);
    reverse_dns(check, &mut out);
    headers(check, facts, &mut out);
    receiver(check, &mut out);
    out
}

fn signature_evidence(check: &MessageCheck) -> Vec<Evidence> {
    check
        .signatures
        .iter()
        .map(|s| {
            Evidence::header(
                "DKIM-Signature",
                format!(
                    "d={} s={} a={} → {}",
                    s.domain, s.selector, s.algorithm, s.result
                ),
            )
        })
        .collect()
}

fn dkim(check: &MessageCheck, out: &mut Vec<Finding>) {
    let evidence = signature_evidence(check);
    let aligned = check.dmarc.as_ref().and_then(|d| d.dkim_aligned.clone());
    let passing: Vec<&str> = check
        .signatures
        .iter()
        .filter(|s| s.result == "pass")
        .map(|s| s.domain.as_str())
        .collect();
    let from = check.from_domain.as_deref().unwrap_or("the From domain");
    let main = if check.signatures.is_empty() {
        finding(
            "message.dkim.not_signed",
            Severity::Fail,
            "The message is not DKIM-signed.".into(),
            "Without a signature, receivers cannot tell the message really comes from your domain; Gmail, Yahoo and Microsoft require DKIM from bulk senders.",
        )
        .fix("Sign outgoing mail: set up DKIM in the DKIM step (or in your email service).")
    } else if let Some(d) = &aligned {
        finding(
            "message.dkim.pass",
            Severity::Pass,
            format!("DKIM passes with d={d}, aligned with {from}."),
            "The signature verifies against the key published now, and its domain matches the From domain, which DMARC needs.",
        )
    } else if !passing.is_empty() {
        finding(
            "message.dkim.not_aligned",
            Severity::Warn,
            format!("DKIM passes only for {}, not for {from}.", passing.join(", ")),
            "A service signed with its own domain. That proves the service sent it, but DMARC needs a signature with your domain.",
        )
        .fix("Set up DKIM for your domain in that service (the DKIM step lists the records).")
    } else if check.signatures.iter().any(|s| s.body_changed) && !check.has_body {
        finding(
            "message.dkim.body_changed",
            Severity::Info,
            "Only the headers were given, so the DKIM body hash cannot be checked.".into(),
            "A signature covers the body too. Open the whole message (.eml, or \"Download original\") to verify it.",
        )
    } else if check.signatures.iter().any(|s| s.body_changed) {
        finding(
            "message.dkim.body_changed",
            Severity::Fail,
            "DKIM fails: the body was changed after it was signed.".into(),
            "Something on the way rewrote the message (a footer added by a mailing list or a security gateway, or line endings changed), so the body no longer matches the signature.",
        )
        .fix("Sign after anything that changes the message (or turn off the footer), then send a new test.")
    } else {
        let reasons: Vec<String> = check
            .signatures
            .iter()
            .map(|s| {
                format!(
                    "d={}: {}",
                    s.domain,
                    s.reason.as_deref().unwrap_or(&s.result)
                )
            })
            .collect();
        finding(
            "message.dkim.fail",
            Severity::Fail,
            "DKIM fails for every signature.".into(),
            format!("Verified now against the published keys: {}.", reasons.join("; ")),
        )
        .fix("Check that the published key is the one the server signs with (the DKIM step's check proves it).")
    };
    out.push(main.evidence(evidence.clone()));
    for s in &check.signatures {
        if let Some(l) = s.body_length {
            out.push(
                finding(
                    "message.dkim.body_length",
                    Severity::Warn,
                    format!("The signature of {} covers only the first {l} octets of the body (l=).", s.domain),
                    "Anyone can add text after the signed part without breaking the signature, and some receivers distrust l= for that reason.",
                )
                .fix("Sign the whole body: remove the body length option from the signer's configuration.")
                .evidence(evidence.clone()),
            );
        }
        if s.expired {
            out.push(
                finding(
                    "message.dkim.expired",
                    Severity::Warn,
                    format!("The signature of {} has expired (x=).", s.domain),
                    "Receivers treat an expired signature as no signature. Expiry should be days after sending, not hours.",
                )
                .evidence(evidence.clone()),
            );
        }
        let missing: Vec<&str> = s
            .covers
            .iter()
            .filter(|(_, covered)| !covered)
            .map(|(n, _)| n.as_str())
            .collect();
        if !missing.is_empty() {
            out.push(
                finding(
                    "message.dkim.headers_not_signed",
                    Severity::Warn,
                    format!("The signature of {} does not cover {}.", s.domain, missing.join(", ")),
                    "Header fields outside the signature can be changed on the way without breaking it; Gmail and RFC 8058 expect From, Subject, Date, Message-ID and the unsubscribe fields to be signed.",
                )
                .fix("Add them to the signer's list of signed headers.")
                .evidence(evidence.clone()),
            );
        }
    }
}

fn spf(check: &MessageCheck, out: &mut Vec<Finding>) {
    let Some(spf) = &check.spf else {
        out.push(finding(
            "message.spf.unknown_ip",
            Severity::Info,
            "SPF cannot be checked: the headers do not show which address sent the message.".into(),
            "The receiver's Received line with the sending address is missing (only part of the headers may have been copied).",
        ));
        return;
    };
    let (id, severity) = match spf.result {
        SpfVerdict::Pass => ("message.spf.pass", Severity::Pass),
        SpfVerdict::Fail => ("message.spf.fail", Severity::Fail),
        SpfVerdict::SoftFail => ("message.spf.softfail", Severity::Warn),
        SpfVerdict::Neutral => ("message.spf.neutral", Severity::Warn),
        SpfVerdict::None => ("message.spf.none", Severity::Fail),
        SpfVerdict::TempError => ("message.spf.temperror", Severity::Warn),
        SpfVerdict::PermError => ("message.spf.permerror", Severity::Fail),
    };
    let mut f = finding(
        id,
        severity,
        format!(
            "SPF {} for {} from {}.",
            spf.result.word(),
            spf.domain,
            spf.ip
        ),
        spf.sentence.clone(),
    )
    .evidence(
        check
            .return_path
            .iter()
            .map(|r| Evidence::header("Return-Path", r.clone())),
    );
    if severity != Severity::Pass {
        f = f.fix(format!(
            "List this server in the SPF record of {} (the SPF step composes it).",
            spf.domain
        ));
    }
    out.push(f);
}

fn dmarc(check: &MessageCheck, out: &mut Vec<Finding>) {
    // Without a From domain there is nothing for DMARC: the From finding says so.
    let Some(d) = &check.dmarc else {
        return;
    };
    let severity = match d.result {
        DmarcResult::Pass => Severity::Pass,
        DmarcResult::Fail => Severity::Fail,
        DmarcResult::None | DmarcResult::TempError => Severity::Warn,
    };
    let id = format!("message.dmarc.{}", d.result.word());
    let mut f = finding(&id, severity, d.sentence.clone(), d.reasons.join(" ")).evidence(
        d.record.iter().map(|r| {
            Evidence::record(
                format!("_dmarc.{}", d.record_domain.as_deref().unwrap_or("")),
                "TXT",
                r.clone(),
            )
        }),
    );
    if severity != Severity::Pass {
        f = f.fix(match d.result {
            DmarcResult::None => "Publish a DMARC record (the DMARC step composes one).",
            _ => "Make DKIM sign with your domain, or SPF pass for your own Return-Path (the DKIM and SPF steps).",
        });
    }
    out.push(f);
}

fn unsubscribe(check: &MessageCheck, facts: &MessageFacts, out: &mut Vec<Finding>) {
    let Some(list) = &facts.list_unsubscribe else {
        out.push(finding(
            "message.unsubscribe.missing",
            Severity::Info,
            "The message has no List-Unsubscribe header.".into(),
            "That is right for personal and transactional mail. Marketing and newsletter mail must offer one-click unsubscribe (RFC 8058) at Gmail and Yahoo.",
        ).fix("For marketing mail, add List-Unsubscribe: <https://…> and List-Unsubscribe-Post: List-Unsubscribe=One-Click (your mailing tool has a setting)."));
        return;
    };
    let mut evidence = vec![Evidence::header("List-Unsubscribe", list.clone())];
    evidence.extend(
        facts
            .list_unsubscribe_post
            .iter()
            .map(|p| Evidence::header("List-Unsubscribe-Post", p.clone())),
    );
    let one_click = has_https_unsubscribe(list)
        && facts
            .list_unsubscribe_post
            .as_deref()
            .is_some_and(is_one_click);
    let f = if !one_click {
        finding(
            "message.unsubscribe.not_one_click",
            Severity::Warn,
            "Unsubscribing is not one-click (RFC 8058).".into(),
            "Gmail and Yahoo need an https link in List-Unsubscribe and List-Unsubscribe-Post: List-Unsubscribe=One-Click; a mailto: link alone is not enough.",
        )
        .fix("Turn on one-click unsubscribe in your mailing tool.")
    } else if !unsubscribe_signed(check) {
        finding(
            "message.unsubscribe.not_signed",
            Severity::Warn,
            "The unsubscribe headers are not covered by a passing DKIM signature.".into(),
            "RFC 8058 asks for both List-Unsubscribe fields to be signed, so nobody on the way can change where unsubscribing goes.",
        )
        .fix("Add List-Unsubscribe and List-Unsubscribe-Post to the signed headers.")
    } else {
        finding(
            "message.unsubscribe.ok",
            Severity::Pass,
            "One-click unsubscribe is offered and signed.".into(),
            "The https link, List-Unsubscribe-Post and the DKIM signature over both are what Gmail and Yahoo ask.",
        )
    };
    out.push(f.evidence(evidence));
}

fn hops(check: &MessageCheck, out: &mut Vec<Finding>) {
    for hop in &check.hops {
        let public = hop
            .from_ip
            .as_deref()
            .and_then(|ip| ip.parse().ok())
            .is_some_and(|ip| !super::hops::is_internal(ip));
        if public && !hop.encrypted {
            out.push(
                finding(
                    "message.hop.no_tls",
                    Severity::Warn,
                    format!(
                        "The hop from {} to {} was not encrypted.",
                        hop.from.as_deref().unwrap_or("?"),
                        hop.by.as_deref().unwrap_or("?")
                    ),
                    "Mail crossing the Internet without TLS can be read on the way, and Gmail expects TLS from every sender.",
                )
                .fix("Make the sending server use STARTTLS (the Mail server step tests it).")
                .evidence([Evidence::header(
                    "Received",
                    format!(
                        "from {} [{}] by {} with {}",
                        hop.from.as_deref().unwrap_or("?"),
                        hop.from_ip.as_deref().unwrap_or("?"),
                        hop.by.as_deref().unwrap_or("?"),
                        hop.with.as_deref().unwrap_or("?")
                    ),
                )]),
            );
        }
    }
}

fn reverse_dns(check: &MessageCheck, out: &mut Vec<Finding>) {
    let (Some(r), Some(ip)) = (&check.reverse_dns, &check.sending_ip) else {
        return;
    };
    if !r.looked_up {
        return;
    }
    let f = match (r.names.is_empty(), r.confirmed) {
        (true, _) => finding(
            "message.ptr.missing",
            Severity::Warn,
            format!("The sending address {ip} has no reverse DNS (PTR)."),
            "Gmail and Yahoo refuse or distrust mail from addresses without a PTR record that resolves back.",
        )
        .fix("Ask whoever runs the server's address (your host or provider) to set its PTR to the server's name."),
        (false, false) => finding(
            "message.ptr.mismatch",
            Severity::Warn,
            format!("The reverse DNS of {ip} ({}) does not resolve back to it.", r.names.join(", ")),
            "Receivers check that the PTR name's address is the sending address (forward-confirmed reverse DNS).",
        )
        .fix("Give the PTR name an A (or AAAA) record with this address, or change the PTR."),
        (false, true) => finding(
            "message.ptr.ok",
            Severity::Pass,
            format!("The sending address {ip} has reverse DNS that resolves back ({}).", r.names.join(", ")),
            "Forward-confirmed reverse DNS, as Gmail and Yahoo ask.",
        ),
    };
    out.push(f);
}

fn headers(check: &MessageCheck, facts: &MessageFacts, out: &mut Vec<Finding>) {
    if check.message_id.is_none() {
        out.push(
            finding(
                "message.headers.message_id",
                Severity::Fail,
                "The message has no valid Message-ID.".into(),
                "Gmail rejects or distrusts messages without a Message-ID (RFC 5322 §3.6.4).",
            )
            .fix("Let the mail server add one (most do when the program sending leaves it out)."),
        );
    }
    if check.date.is_none() {
        out.push(
            finding(
                "message.headers.date",
                Severity::Fail,
                if facts.date_present {
                    "The message's Date cannot be read.".into()
                } else {
                    "The message has no Date.".into()
                },
                "RFC 5322 §3.6 requires a Date in its format; receivers distrust messages without one.",
            )
            .fix("Fix the program that writes the message, or let the mail server add the Date."),
        );
    }
    if facts.from_fields != 1 || check.from.len() != 1 {
        out.push(finding(
            "message.headers.from",
            Severity::Fail,
            format!("The message has {} From addresses; it must have exactly one.", check.from.len()),
            "Gmail rejects messages with several From addresses or From fields (RFC 5322 §3.6).",
        ).evidence(check.from.iter().map(|f| Evidence::header("From", f.clone()))));
    }
}

fn receiver(check: &MessageCheck, out: &mut Vec<Finding>) {
    let Some(view) = &check.receiver else {
        if !check.unverified.is_empty() {
            out.push(finding(
                "message.receiver.unverified",
                Severity::Info,
                "The message's Authentication-Results come from a server Mailwright does not know as the receiver.".into(),
                "Anyone on the way, the sender included, can write such a header, so it is shown but not trusted; Mailwright's own results above are what counts.",
            ).evidence(check.unverified.iter().map(|t| Evidence::header("Authentication-Results", t.clone()))));
        }
        return;
    };
    let provider = view.provider.as_deref().unwrap_or("The receiver");
    let ours = [
        (
            "dkim",
            check
                .signatures
                .iter()
                .any(|s| s.result == "pass")
                .then_some("pass"),
        ),
        ("spf", check.spf.as_ref().map(|s| s.result.word())),
        ("dmarc", check.dmarc.as_ref().map(|d| d.result.word())),
    ];
    for (method, ours) in ours {
        let Some(theirs) = view.results.iter().find(|r| r.method == method) else {
            continue;
        };
        let ours = ours.unwrap_or("fail");
        if theirs.result != ours {
            let likely = match method {
                "dkim" => {
                    "the key published at the selector was changed or removed since the message arrived"
                }
                "spf" => {
                    "the SPF record changed since the message arrived, or the receiver saw another address"
                }
                _ => {
                    "DKIM or SPF changed since, or the receiver reads the DMARC record differently"
                }
            };
            out.push(
                finding(
                    "message.receiver.differs",
                    Severity::Warn,
                    format!("{provider} decided {method}={} when the message arrived; Mailwright decides {method}={ours} now.", theirs.result),
                    format!("The likely reason: {likely}."),
                )
                .evidence([Evidence::header(
                    "Authentication-Results",
                    format!("{}; {method}={}", view.authserv_id.as_deref().unwrap_or("(no authserv-id)"), theirs.result),
                )]),
            );
        }
    }
}
