//! Bounce messages written from the documented formats: a delivery status notification as
//! Postfix sends it (RFC 3464, `multipart/report; report-type=delivery-status`), a feedback-loop
//! complaint (ARF, RFC 5965, as Yahoo's and Microsoft's JMRP send it), an unsubscribe request,
//! and an mbox file of them. Dates are days since 1970-01-01 (UTC), so tests can place bounces
//! in a window.

/// A day (days since 1970-01-01) as an RFC 5322 date at 10:00 UTC.
pub fn rfc5322_date(day: i64) -> String {
    let date = jiff::Timestamp::from_second(day * 86_400 + 36_000)
        .expect("a day in range")
        .to_zoned(jiff::tz::TimeZone::UTC);
    date.strftime("%a, %-d %b %Y %H:%M:%S +0000").to_string()
}

/// A Postfix bounce for one recipient: its text part, the `message/delivery-status` part and
/// the original message's headers. `status` is `5.1.1`-like; `diagnostic` the remote reply.
pub fn postfix_bounce(
    id: &str,
    recipient: &str,
    status: &str,
    diagnostic: &str,
    day: i64,
) -> Vec<u8> {
    let action = if status.starts_with('4') {
        "delayed"
    } else {
        "failed"
    };
    let date = rfc5322_date(day);
    format!(
        "From: MAILER-DAEMON@mail.shop.test (Mail Delivery System)\r\nTo: news@shop.test\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: {date}\r\nMessage-Id: <{id}@mail.shop.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"{id}.B\"\r\n\r\nThis is a MIME-encapsulated message.\r\n\r\n--{id}.B\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThis is the mail system at host mail.shop.test.\r\n\r\nI'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients.\r\n\r\n<{recipient}>: host mx.receiver.test[192.0.2.25] said: {diagnostic} (in reply to RCPT TO command)\r\n\r\n--{id}.B\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.shop.test\r\nX-Postfix-Queue-ID: {id}\r\nArrival-Date: {date}\r\n\r\nFinal-Recipient: rfc822; {recipient}\r\nOriginal-Recipient: rfc822;{recipient}\r\nAction: {action}\r\nStatus: {status}\r\nRemote-MTA: dns; mx.receiver.test\r\nDiagnostic-Code: smtp; {diagnostic}\r\n\r\n--{id}.B\r\nContent-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: news@shop.test\r\nTo: {recipient}\r\nSubject: Our news\r\n\r\n--{id}.B--\r\n"
    )
    .into_bytes()
}

/// A feedback-loop complaint (ARF) about `recipient`, as a mailbox provider sends it.
pub fn arf_complaint(id: &str, recipient: &str, day: i64) -> Vec<u8> {
    let date = rfc5322_date(day);
    format!(
        "From: feedback@fbl.receiver.test\r\nTo: fbl@shop.test\r\nSubject: FW: Our news\r\nDate: {date}\r\nMessage-ID: <{id}@fbl.receiver.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"{id}.F\"\r\n\r\n--{id}.F\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThis is an email abuse report for an email message received from IP 198.51.100.20.\r\n\r\n--{id}.F\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: ReceiverFBL/1.0\r\nVersion: 1\r\nOriginal-Mail-From: <news@shop.test>\r\nOriginal-Rcpt-To: <{recipient}>\r\nArrival-Date: {date}\r\nReporting-MTA: dns; fbl.receiver.test\r\nSource-IP: 198.51.100.20\r\n\r\n--{id}.F\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: news@shop.test\r\nTo: {recipient}\r\nSubject: Our news\r\n\r\n--{id}.F--\r\n"
    )
    .into_bytes()
}

/// An unsubscribe request mailed to the list's `mailto:` address (RFC 2369).
pub fn unsubscribe_request(id: &str, from: &str, day: i64) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: unsubscribe@shop.test\r\nSubject: unsubscribe\r\nDate: {}\r\nMessage-ID: <{id}@client.test>\r\n\r\n",
        rfc5322_date(day)
    )
    .into_bytes()
}

/// An mbox file (mboxrd) of `messages`.
pub fn mbox(messages: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for message in messages {
        out.extend_from_slice(b"From MAILER-DAEMON Tue Dec  1 10:00:00 2026\n");
        let text = String::from_utf8_lossy(message).replace("\r\n", "\n");
        for line in text.lines() {
            let unquoted = line.trim_start_matches('>');
            if unquoted.starts_with("From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    out
}

/// A mailbox of bounces around `day`: a hard bounce (Gmail's unknown user), an address that
/// soft-bounced three times in a week (mailbox full), one that soft-bounced once, a complaint,
/// an unsubscribe request, and a refusal for the setup (Gmail's unauthenticated).
pub fn sample_mailbox(day: i64) -> Vec<u8> {
    mbox(&[
        postfix_bounce(
            "H1",
            "gone@gmail.com",
            "5.1.1",
            "550-5.1.1 The email account that you tried to reach does not exist.",
            day,
        ),
        postfix_bounce(
            "S1",
            "full@example.org",
            "5.2.2",
            "552 5.2.2 Mailbox full",
            day - 6,
        ),
        postfix_bounce(
            "S2",
            "full@example.org",
            "5.2.2",
            "552 5.2.2 Mailbox full",
            day - 3,
        ),
        postfix_bounce(
            "S3",
            "full@example.org",
            "5.2.2",
            "552 5.2.2 Mailbox full",
            day,
        ),
        postfix_bounce(
            "S4",
            "once@example.org",
            "5.2.2",
            "552 5.2.2 Mailbox full",
            day,
        ),
        arf_complaint("C1", "angry@yahoo.com", day),
        unsubscribe_request("U1", "leaving@example.net", day),
        postfix_bounce(
            "P1",
            "boss@gmail.com",
            "5.7.26",
            "550-5.7.26 This mail has been blocked because the sender is unauthenticated.",
            day,
        ),
    ])
}
