// The wizard's shared state: the saved project, the last audit, the step on screen.
import * as api from "./api";
import type { AuditReport } from "./bindings/AuditReport";
import type { DkimCheck } from "./bindings/DkimCheck";
import type { DmarcCheckReport } from "./bindings/DmarcCheckReport";
import type { Finding } from "./bindings/Finding";
import type { MtaStsCheckReport } from "./bindings/MtaStsCheckReport";
import type { Project } from "./bindings/Project";
import type { SmtpTestReport } from "./bindings/SmtpTestReport";
import type { Report } from "./bindings/Report";
import type { VerifyRound } from "./bindings/VerifyRound";
import type { WarmupView } from "./bindings/WarmupView";
import type { SpfSimulation } from "./bindings/SpfSimulation";
import type { Severity } from "./bindings/Severity";

/** The wizard steps that exist, in sidebar order. */
export const STEPS = [
  { id: "domain", title: "Your domain" },
  { id: "senders", title: "Who sends as you" },
  { id: "spf", title: "SPF" },
  { id: "dkim", title: "DKIM signing" },
  { id: "dmarc", title: "DMARC" },
  { id: "mta_sts", title: "MTA-STS" },
  { id: "smtp", title: "Mail server" },
  { id: "publish", title: "Publish" },
  { id: "warmup", title: "Warm-up" },
  { id: "report", title: "Report" },
] as const;

/** A panel the main area can show: a wizard step or Settings. */
export type StepId = (typeof STEPS)[number]["id"] | "settings";

/** How a step is shown in the sidebar. */
export type StepState = "not_started" | "attention" | "done";

function emptyProject(): Project {
  return {
    version: 1,
    domain: "",
    selectors: [],
    settings: { nameserver: "" },
    dkim: {
      selector: "",
      created_on: null,
      in_keychain: false,
      exported_to: null,
      ed25519_selector: null,
      keys: [],
      provider: null,
      provider_selectors: [],
      rotation: null,
    },
    senders: { senders: [] },
    spf: { all: null, remove: [], ip: "" },
    dmarc: {
      domain: "",
      policy: null,
      rua: [],
      ruf: [],
      adkim: "relaxed",
      aspf: "relaxed",
      sp: null,
      np: null,
      fo: [],
      start: null,
    },
    mta_sts: { mode: "testing", report_to: "" },
    smtp: {
      provider: null,
      host: "",
      ports: [587],
      server_name: "",
      trust_file: "",
      user: "",
      auth: null,
      relay_check: false,
      send_to: "",
      from: "",
    },
    warmup: null,
    dns_host: "",
  };
}

class Wizard {
  project = $state<Project>(emptyProject());
  /** Set when a corrupt project file was moved aside at start. */
  recovered = $state<string | null>(null);
  /** Set when saving failed. */
  saveError = $state<string | null>(null);
  report = $state<AuditReport | null>(null);
  /** The last DKIM check of the step's selector or provider. */
  dkimCheck = $state<DkimCheck | null>(null);
  /** The last simulation of the composed SPF record. */
  spfSimulation = $state<SpfSimulation | null>(null);
  /** The last check of the DMARC policy in effect. */
  dmarcCheck = $state<DmarcCheckReport | null>(null);
  /** The last MTA-STS / TLS-RPT check. */
  mtaStsCheck = $state<MtaStsCheckReport | null>(null);
  /** The last mail server test. */
  smtpTest = $state<SmtpTestReport | null>(null);
  /** The warm-up as the engine last showed it. */
  warmup = $state<WarmupView | null>(null);
  /** The last round of the publish check. */
  publishRound = $state<VerifyRound | null>(null);
  /** The last checklist report. */
  checklist = $state<Report | null>(null);
  step = $state<StepId>("domain");
  loaded = $state(false);

  async load(): Promise<void> {
    try {
      const loaded = await api.loadProject();
      this.project = loaded.project;
      this.recovered = loaded.recovered;
    } catch (error) {
      this.recovered = api.errorMessage(error);
    }
    this.loaded = true;
  }

  async save(): Promise<void> {
    try {
      await api.saveProject($state.snapshot(this.project));
      this.saveError = null;
    } catch (error) {
      this.saveError = api.errorMessage(error);
    }
  }

  stepState(step: (typeof STEPS)[number]["id"]): StepState {
    switch (step) {
      case "domain": {
        if (!this.report) return "not_started";
        const worst: Severity[] = this.report.topics.map((t) => t.worst);
        return worst.includes("fail") || worst.includes("warn") ? "attention" : "done";
      }
      case "senders":
        return this.project.senders.senders.length > 0 ? "done" : "not_started";
      case "spf":
        return checked(this.spfSimulation?.report.findings);
      case "dmarc":
        return checked(this.dmarcCheck?.findings);
      case "mta_sts":
        return checked(this.mtaStsCheck?.findings);
      case "smtp":
        return checked(this.smtpTest?.ports.flatMap((p) => p.findings));
      case "warmup": {
        if (!this.project.warmup) return "not_started";
        const state = this.warmup?.state;
        return state === "paused" || state === "rewarm" ? "attention" : "done";
      }
      case "publish":
        if (this.publishRound?.done) return "done";
        return this.project.dns_host ? "attention" : "not_started";
      case "report": {
        if (!this.checklist) return "not_started";
        const [, warn, fail] = this.checklist.totals;
        return warn + fail > 0 ? "attention" : "done";
      }
      case "dkim": {
        if (!this.dkimCheck) return this.project.dkim.selector ? "attention" : "not_started";
        return this.dkimCheck.report.proof_passed ? "done" : "attention";
      }
    }
  }
}

/** A step's state from its last check: nothing yet, something to fix, or all passing. */
function checked(findings: Finding[] | undefined): StepState {
  if (!findings) return "not_started";
  return findings.some((f) => f.severity === "fail" || f.severity === "warn") ? "attention" : "done";
}

export const wizard = new Wizard();
