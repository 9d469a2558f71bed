// The window's copy of the engine's session: the project and each step's state as the backend
// last sent them, the step on screen, and the last result each step showed. The backend owns
// and saves the project; a step sends what the user typed with `save(step)`.
import * as api from "./api";
import type { Audit } from "./bindings/Audit";
import type { DkimCheck } from "./bindings/DkimCheck";
import type { DmarcCheckReport } from "./bindings/DmarcCheckReport";
import type { FieldProblem } from "./bindings/FieldProblem";
import type { MtaStsCheckReport } from "./bindings/MtaStsCheckReport";
import type { Project } from "./bindings/Project";
import type { ProjectEdit } from "./bindings/ProjectEdit";
import type { Checklist } from "./bindings/Checklist";
import type { SessionView } from "./bindings/SessionView";
import type { MailServerTest } from "./bindings/MailServerTest";
import type { SpfSimulation } from "./bindings/SpfSimulation";
import type { StepId as EngineStep } from "./bindings/StepId";
import type { StepState } from "./bindings/StepState";
import type { StepStatus } from "./bindings/StepStatus";
import type { VerifyRound } from "./bindings/VerifyRound";
import { NEW_PROJECT, VOCABULARY } from "./bindings/vocabulary";
import type { WarmupView } from "./bindings/WarmupView";

export type { StepState };

/** The wizard steps, in sidebar order, with the engine's titles. */
export const STEPS = (Object.keys(VOCABULARY.StepId) as EngineStep[]).map((id) => ({
  id,
  title: VOCABULARY.StepId[id],
}));

/** A panel the main area can show: a wizard step or Settings. */
export type StepId = EngineStep | "settings";

/** A step whose choices the user edits (the name of its `ProjectEdit`). */
export type EditedStep = ProjectEdit["step"];

class Wizard {
  project = $state<Project>(structuredClone(NEW_PROJECT));
  /** Each step's state, as the engine decided it. */
  steps = $state<StepStatus[]>([]);
  /** The step to do next (the first one not done), as the engine decided it. */
  next = $state<EngineStep | null>(null);
  /** Every fault in what was typed, tied to its step and field, as the engine found them. */
  problems = $state<FieldProblem[]>([]);
  /** The field to focus when a step opens (set by a link to a fault). */
  focus = $state<string | null>(null);
  /** Set when the saved project could not be read at start. */
  recovered = $state<string | null>(null);
  /** Set when the last change could not be saved. */
  saveError = $state<string | null>(null);
  report = $state<Audit | null>(null);
  /** The last DKIM check of the step's selector or provider. */
  dkimCheck = $state<DkimCheck | null>(null);
  /** The last simulation of the composed SPF record. */
  spfSimulation = $state<SpfSimulation | null>(null);
  /** The last check of the DMARC policy in effect. */
  dmarcCheck = $state<DmarcCheckReport | null>(null);
  /** The last MTA-STS / TLS-RPT check. */
  mtaStsCheck = $state<MtaStsCheckReport | null>(null);
  /** The last mail server test. */
  smtpTest = $state<MailServerTest | null>(null);
  /** The warm-up as the engine last showed it. */
  warmup = $state<WarmupView | null>(null);
  /** The last round of the publish check. */
  publishRound = $state<VerifyRound | null>(null);
  /** The last checklist report. */
  checklist = $state<Checklist | null>(null);
  step = $state<StepId>("domain");
  /** Messages checked in this session (one dropped on the window counts too). */
  messagesChecked = $state(0);
  /** Why the last message dropped on the window could not be checked. */
  messageError = $state<string | null>(null);
  loaded = $state(false);
  /** The project as the backend last sent it, to tell its changes from a step's typing. */
  #sent = "";

  async load(): Promise<void> {
    try {
      const view = await api.sessionOpen((next) => this.apply(next));
      this.recovered = view.recovered;
      this.apply(view);
    } catch (error) {
      this.recovered = api.errorMessage(error);
    }
    this.loaded = true;
  }

  /** Shows a view from the backend. The project is replaced only when the backend's changed,
   * so what a step is typing is not undone by a check finishing elsewhere. */
  apply(view: SessionView): void {
    const sent = JSON.stringify(view.project);
    if (sent !== this.#sent) {
      this.#sent = sent;
      this.project = view.project;
    }
    this.steps = view.steps;
    this.next = view.next;
    this.problems = view.problems;
    this.saveError = view.save_error;
    // A message dropped on the window was checked (or refused): show it in its step.
    if (view.messages_checked > this.messagesChecked || view.message_error !== this.messageError) {
      if (this.loaded && (view.messages_checked > this.messagesChecked || view.message_error)) this.step = "message";
      this.messagesChecked = view.messages_checked;
      this.messageError = view.message_error;
    }
  }

  /** Sends what the user typed in `step` to the backend, which saves it. */
  async save(step: EditedStep): Promise<void> {
    try {
      this.apply(await api.projectEdit(edit(step, $state.snapshot(this.project))));
    } catch (error) {
      this.saveError = api.errorMessage(error);
    }
  }

  /** What `step` is for, in one sentence, as the engine says it. */
  whatToDo(step: EngineStep): string {
    return this.steps.find((s) => s.step === step)?.what_to_do ?? "";
  }

  /** A step's state in the sidebar, as the engine decided it. */
  stepState(step: EngineStep): StepState {
    return this.steps.find((s) => s.step === step)?.state ?? "not_started";
  }
}

/** The edit for `step`: its part of the project. */
function edit(step: EditedStep, p: Project): ProjectEdit {
  switch (step) {
    case "domain":
      return { step, value: { domain: p.domain, selectors: p.selectors } };
    case "settings":
      return { step, value: p.settings };
    case "senders":
      return { step, value: p.senders };
    case "spf":
      return { step, value: p.spf };
    case "dmarc":
      return { step, value: p.dmarc };
    case "mta_sts":
      return { step, value: p.mta_sts };
    case "smtp":
      return { step, value: p.smtp };
    case "reports":
      return { step, value: p.reports };
    case "dns_host":
      return { step, value: p.dns_host };
    case "dkim_signer":
      return { step, value: p.dkim.signer ?? "own" };
    case "dkim_provider":
      return { step, value: { provider: p.dkim.provider, selectors: p.dkim.provider_selectors } };
  }
}

export const wizard = new Wizard();
