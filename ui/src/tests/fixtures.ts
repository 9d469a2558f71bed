// Sample engine output, typed with the bindings generated from Rust.
import type { Audit } from "../lib/bindings/Audit";
import type { Finding } from "../lib/bindings/Finding";
import type { SessionView } from "../lib/bindings/SessionView";

export const spfMissing: Finding = {
  id: "spf.missing",
  severity: "fail",
  topic: "spf",
  title: "example.com publishes no SPF record.",
  detail: "Without SPF, receivers cannot tell which servers may send mail as your domain.",
  fix: "Publish one TXT record at your domain that starts with v=spf1.",
  evidence: [{ name: "example.com", kind: "record", type: "TXT", value: "google-site-verification=xyz" }],
  reference: "RFC 7208 §4",
};

export const mxFound: Finding = {
  id: "mx.found",
  severity: "pass",
  topic: "mail_servers",
  title: "example.com publishes 1 mail server (MX).",
  detail: "Receivers can send replies and bounces back to your domain.",
  fix: null,
  evidence: [{ name: "example.com", kind: "record", type: "MX", value: "10 mx.example.com" }],
  reference: null,
};

export const report: Audit = {
  domain: "example.com",
  domain_unicode: "example.com",
  nameserver: "127.0.0.1:5353",
  status: "complete",
  findings: [mxFound, spfMissing],
  topics: [
    { topic: "mail_servers", title: "Mail servers", worst: "pass", count: 1 },
    { topic: "spf", title: "SPF", worst: "fail", count: 1 },
  ],
  selectors_checked: ["google"],
  lookups: 40,
  elapsed_ms: 120,
};

/** What the backend answers an edit with: the window's project as it was sent (the real
 * backend's answer is checked in the GUI tests). */
export async function echoEdit(): Promise<SessionView> {
  const { wizard } = await import("../lib/wizard.svelte");
  return { project: JSON.parse(JSON.stringify(wizard.project)), steps: wizard.steps, next: wizard.next, problems: wizard.problems, recovered: null, save_error: null, messages_checked: 0, message_error: null };
}
