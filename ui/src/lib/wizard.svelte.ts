// The wizard's shared state: the saved project, the last audit, the step on screen.
import * as api from "./api";
import type { AuditReport } from "./bindings/AuditReport";
import type { DkimCheck } from "./bindings/DkimCheck";
import type { Project } from "./bindings/Project";
import type { Severity } from "./bindings/Severity";

/** The wizard steps that exist, in sidebar order. */
export const STEPS = [
  { id: "domain", title: "Your domain" },
  { id: "dkim", title: "DKIM signing" },
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
      case "dkim": {
        if (!this.dkimCheck) return this.project.dkim.selector ? "attention" : "not_started";
        return this.dkimCheck.report.proof_passed ? "done" : "attention";
      }
    }
  }
}

export const wizard = new Wizard();
