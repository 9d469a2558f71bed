// Typed calls to the app's Tauri commands. Every type here is generated from Rust (bindings/).
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AlignmentMode } from "./bindings/AlignmentMode";
import type { DmarcCheckReport } from "./bindings/DmarcCheckReport";
import type { DmarcComposeRequest } from "./bindings/DmarcComposeRequest";
import type { DmarcComposition } from "./bindings/DmarcComposition";
import type { Inventory } from "./bindings/Inventory";
import type { MtaStsCheckReport } from "./bindings/MtaStsCheckReport";
import type { MtaStsComposition } from "./bindings/MtaStsComposition";
import type { Sender } from "./bindings/Sender";
import type { SenderAlignment } from "./bindings/SenderAlignment";
import type { SpfCheckReport } from "./bindings/SpfCheckReport";
import type { SpfComposeRequest } from "./bindings/SpfComposeRequest";
import type { SpfCrossCheck } from "./bindings/SpfCrossCheck";
import type { SpfSimulation } from "./bindings/SpfSimulation";
import type { StsMode } from "./bindings/StsMode";
import type { AuditReport } from "./bindings/AuditReport";
import type { DkimCheck } from "./bindings/DkimCheck";
import type { DkimOverview } from "./bindings/DkimOverview";
import type { DkimSetup } from "./bindings/DkimSetup";
import type { KeyAlgorithm } from "./bindings/KeyAlgorithm";
import type { KeygenStage } from "./bindings/KeygenStage";
import type { KeysMade } from "./bindings/KeysMade";
import type { MtaSnippet } from "./bindings/MtaSnippet";
import type { PemFormat } from "./bindings/PemFormat";
import type { ProviderCheckReport } from "./bindings/ProviderCheckReport";
import type { ProviderRecord } from "./bindings/ProviderRecord";
import type { Rotation } from "./bindings/Rotation";
import type { RotationStatus } from "./bindings/RotationStatus";
import type { DnsSettingsView } from "./bindings/DnsSettingsView";
import type { DomainInput } from "./bindings/DomainInput";
import type { LoadedProject } from "./bindings/LoadedProject";
import type { LookupProgress } from "./bindings/LookupProgress";
import type { Project } from "./bindings/Project";
import type { UserError } from "./bindings/UserError";
import type { DiscoveredService } from "./bindings/DiscoveredService";
import type { ProbeProgress } from "./bindings/ProbeProgress";
import type { SmtpProvider } from "./bindings/SmtpProvider";
import type { SmtpSetup } from "./bindings/SmtpSetup";
import type { SmtpTestReport } from "./bindings/SmtpTestReport";
import type { DayEntryForm } from "./bindings/DayEntryForm";
import type { PlanForm } from "./bindings/PlanForm";
import type { RecipientCounts } from "./bindings/RecipientCounts";
import type { WarmupExport } from "./bindings/WarmupExport";
import type { WarmupSetup } from "./bindings/WarmupSetup";
import type { WarmupView } from "./bindings/WarmupView";
import type { Report } from "./bindings/Report";
import type { ReportFormat } from "./bindings/ReportFormat";
import type { DnsHost } from "./bindings/DnsHost";
import type { PresentedRecord } from "./bindings/PresentedRecord";
import type { PublishSet } from "./bindings/PublishSet";
import type { VerifyRound } from "./bindings/VerifyRound";

/** Turns typed text (a domain, URL or e-mail address) into a domain, or rejects with a UserError. */
export function normalizeDomain(input: string): Promise<DomainInput> {
  return invoke("normalize_domain", { input });
}

/** Runs the domain audit; `onProgress` hears each lookup start and end. */
export function runAudit(
  domain: string,
  selectors: string[],
  nameserver: string,
  onProgress: (progress: LookupProgress) => void,
): Promise<AuditReport> {
  const progress = new Channel<LookupProgress>();
  progress.onmessage = onProgress;
  return invoke("run_audit", { domain, selectors, nameserver, progress });
}

/** Stops the audit in progress. */
export function cancelAudit(): Promise<void> {
  return invoke("cancel_audit");
}

/** Loads the saved project (a corrupt file is moved aside and reported). */
export function loadProject(): Promise<LoadedProject> {
  return invoke("load_project");
}

/** Saves the project. */
export function saveProject(project: Project): Promise<void> {
  return invoke("save_project", { project });
}

/** Validates a DNS server entry and says which server will be used. */
export function dnsSettings(nameserver: string): Promise<DnsSettingsView> {
  return invoke("dns_settings", { nameserver });
}

/** The text "Copy diagnostics" copies: versions, DNS, keychain, the project's shape, the log's last lines. */
export function diagnostics(): Promise<string> {
  return invoke("diagnostics");
}

/** Today's suggested DKIM selector (not one `setup` uses, nor `alsoTaken`), the provider catalog and defaults. */
export function dkimOverview(setup: DkimSetup, alsoTaken: string[]): Promise<DkimOverview> {
  return invoke("dkim_overview", { setup, alsoTaken });
}

function stages(onStage: (stage: KeygenStage) => void): Channel<KeygenStage> {
  const progress = new Channel<KeygenStage>();
  progress.onmessage = onStage;
  return progress;
}

/** Generates the key (and the extra Ed25519 key when asked) off the UI thread into the keychain; `onStage` hears each stage. */
export function dkimGenerate(
  request: {
    domain: string;
    selector: string;
    algorithm: KeyAlgorithm;
    withEd25519: boolean;
    replace: boolean;
    nameserver: string;
    setup: DkimSetup;
  },
  onStage: (stage: KeygenStage) => void,
): Promise<KeysMade> {
  return invoke("dkim_generate", { ...request, progress: stages(onStage) });
}

/** Imports a PEM private key file for the selector and stores it in the keychain. */
export function dkimImport(
  request: { domain: string; selector: string; path: string; replace: boolean; nameserver: string; setup: DkimSetup },
  onStage: (stage: KeygenStage) => void,
): Promise<KeysMade> {
  return invoke("dkim_import", { ...request, progress: stages(onStage) });
}

/** Writes the private key as PEM (owner-only file); resolves to the absolute path written. */
export function dkimExport(domain: string, selector: string, format: PemFormat, path: string): Promise<string> {
  return invoke("dkim_export", { domain, selector, format, path });
}

/** The suggested export path (in the Documents folder). */
export function dkimDefaultExportPath(domain: string, selector: string): Promise<string> {
  return invoke("dkim_default_export_path", { domain, selector });
}

/** Which files the dialog offers. */
export type FileKind = "pem" | "csv" | "ics" | "text" | "md" | "html" | "pdf" | "json";

/** The system's file dialog: where to save, or which file to open; null when cancelled. */
export function pickFile(save: boolean, suggested: string, kind: FileKind): Promise<string | null> {
  return invoke("pick_file", { save, suggested, kind });
}

/** Checks the selector and, with the key, runs the sign-and-verify proof. */
export function dkimCheck(
  domain: string,
  selector: string,
  nameserver: string,
  onProgress: (progress: LookupProgress) => void,
): Promise<DkimCheck> {
  const progress = new Channel<LookupProgress>();
  progress.onmessage = onProgress;
  return invoke("dkim_check", { domain, selector, nameserver, progress });
}

/** Checks that a hosted provider's DKIM records resolve to valid keys. */
export function dkimProviderCheck(
  provider: string,
  domain: string,
  selectors: string[],
  nameserver: string,
): Promise<ProviderCheckReport> {
  return invoke("dkim_provider_check", { provider, domain, selectors, nameserver });
}

/** The records a hosted provider wants for the domain, filled in. */
export function dkimProviderRecords(provider: string, domain: string, selectors: string[]): Promise<ProviderRecord[]> {
  return invoke("dkim_provider_records", { provider, domain, selectors });
}

/** Signing configuration for common mail servers (`keyPath`: where the key was exported, if it was). */
export function dkimSnippets(domain: string, selector: string, keyPath: string | null): Promise<MtaSnippet[]> {
  return invoke("dkim_snippets", { domain, selector, keyPath });
}

/** Starts a key rotation today from the signing selector to a new one; resolves to the updated setup. */
export function dkimRotationStart(setup: DkimSetup, keepDays: number): Promise<DkimSetup> {
  return invoke("dkim_rotation_start", { setup, keepDays });
}

/** Where a rotation stands today. */
export function dkimRotationStatus(rotation: Rotation): Promise<RotationStatus> {
  return invoke("dkim_rotation_status", { rotation });
}

/** Marks the current rotation step done today (refused before its date); resolves to the updated setup. */
export function dkimRotationAdvance(setup: DkimSetup): Promise<DkimSetup> {
  return invoke("dkim_rotation_advance", { setup });
}

/** Where the warm-up stands today (a starting plan when `setup` is null). */
export function warmupView(setup: WarmupSetup | null): Promise<WarmupView> {
  return invoke("warmup_view", { setup });
}

/** Plans from the inputs form, keeping every result entered (and the counted list, if any). */
export function warmupPlan(setup: WarmupSetup | null, form: PlanForm, recipients: RecipientCounts | null): Promise<WarmupView> {
  return invoke("warmup_plan", { setup, form, recipients });
}

/** Saves one day's results. */
export function warmupRecord(setup: WarmupSetup, entry: DayEntryForm): Promise<WarmupView> {
  return invoke("warmup_record", { setup, entry });
}

/** Imports a results CSV file (every row or none). */
export function warmupImportResults(setup: WarmupSetup, path: string): Promise<WarmupView> {
  return invoke("warmup_import_results", { setup, path });
}

/** Removes a day's results. */
export function warmupRemoveDay(setup: WarmupSetup, date: string): Promise<WarmupView> {
  return invoke("warmup_remove_day", { setup, date });
}

/** Resumes after a pause. */
export function warmupResume(setup: WarmupSetup): Promise<WarmupView> {
  return invoke("warmup_resume", { setup });
}

/** Counts a pasted recipient list per domain. */
export function warmupCountRecipients(text: string): Promise<RecipientCounts> {
  return invoke("warmup_count_recipients", { text });
}

/** Counts a recipient list file per domain. */
export function warmupCountRecipientsFile(path: string): Promise<RecipientCounts> {
  return invoke("warmup_count_recipients_file", { path });
}

/** Writes the plan as CSV, a calendar or Postfix settings; resolves to the path written. */
export function warmupExport(setup: WarmupSetup, kind: WarmupExport, domain: string, path: string): Promise<string> {
  return invoke("warmup_export", { setup, kind, domain, path });
}

/** Runs the checks for the project's domain and builds the checklist report. */
export function reportMake(project: Project, nameserver: string, onProgress: (progress: LookupProgress) => void): Promise<Report> {
  const progress = new Channel<LookupProgress>();
  progress.onmessage = onProgress;
  return invoke("report_make", { project, nameserver, progress });
}

/** Saves the last report in `format` to `path`; resolves to the path written. */
export function reportSave(format: ReportFormat, path: string): Promise<string> {
  return invoke("report_save", { format, path });
}

/** The DNS hosts Mailwright knows. */
export function publishHosts(): Promise<DnsHost[]> {
  return invoke("publish_hosts");
}

/** Every record the project produced. */
export function publishCollect(project: Project, nameserver: string): Promise<PublishSet> {
  return invoke("publish_collect", { project, nameserver });
}

/** The records as `host` wants them typed. */
export function publishPresent(set: PublishSet, host: string): Promise<PresentedRecord[]> {
  return invoke("publish_present", { set, host });
}

/** Checks round after round until every record is published. */
export function publishVerify(set: PublishSet, nameserver: string, onRound: (round: VerifyRound) => void): Promise<VerifyRound> {
  const progress = new Channel<VerifyRound>();
  progress.onmessage = onRound;
  return invoke("publish_verify", { set, nameserver, progress });
}

/** Stops checking. */
export function publishStop(): Promise<void> {
  return invoke("publish_stop");
}

/** Writes the hand-off page or zone snippet; resolves to the path written. */
export function publishExport(set: PublishSet, host: string, format: "md" | "html" | "zone", path: string): Promise<string> {
  return invoke("publish_export", { set, host, format, path });
}

function isUserError(error: unknown): error is UserError {
  return typeof error === "object" && error !== null && "message" in error && "code" in error;
}

/** Each lookup's progress goes to `onLookup` (for a count on screen). */
function lookups(onLookup?: (p: LookupProgress) => void): Channel<LookupProgress> {
  const progress = new Channel<LookupProgress>();
  progress.onmessage = (p) => onLookup?.(p);
  return progress;
}

/** Every service in the sender catalog, with `domain` filled into its instructions. */
export function senderCatalog(domain: string): Promise<Sender[]> {
  return invoke("sender_catalog", { domain });
}

/** Checks the published SPF record. */
export function spfCheck(
  domain: string,
  nameserver: string,
  onLookup?: (p: LookupProgress) => void,
): Promise<SpfCheckReport> {
  return invoke("spf_check", { domain, nameserver, progress: lookups(onLookup) });
}

/** Merges the published record with the inventory and walks the result without publishing. */
export function spfSimulate(
  domain: string,
  request: SpfComposeRequest,
  nameserver: string,
  onLookup?: (p: LookupProgress) => void,
): Promise<SpfSimulation> {
  return invoke("spf_simulate", { domain, request, nameserver, progress: lookups(onLookup) });
}

/** mail-auth's SPF result for `ip` against `record` beside Mailwright's. */
export function spfCrossCheck(
  domain: string,
  ip: string,
  record: string | null,
  report: SpfCheckReport,
  nameserver: string,
): Promise<SpfCrossCheck> {
  return invoke("spf_cross_check", { domain, ip, record, report, nameserver });
}

/** Checks the DMARC policy that applies to the domain. */
export function dmarcCheck(
  domain: string,
  nameserver: string,
  onLookup?: (p: LookupProgress) => void,
): Promise<DmarcCheckReport> {
  return invoke("dmarc_check", { domain, nameserver, progress: lookups(onLookup) });
}

/** Composes the DMARC record, report authorizations and the ramp. */
export function dmarcCompose(domain: string, request: DmarcComposeRequest): Promise<DmarcComposition> {
  return invoke("dmarc_compose", { domain, request });
}

/** Whether each sender passes DMARC through DKIM, SPF, both or neither. */
export function senderAlignment(inventory: Inventory, aspf: AlignmentMode, ownDkim: boolean): Promise<SenderAlignment[]> {
  return invoke("sender_alignment", { inventory, aspf, ownDkim });
}

/** Checks the MTA-STS and TLS-RPT records and fetches the policy. */
export function mtaStsCheck(
  domain: string,
  nameserver: string,
  onLookup?: (p: LookupProgress) => void,
): Promise<MtaStsCheckReport> {
  return invoke("mta_sts_check", { domain, nameserver, progress: lookups(onLookup) });
}

/** Composes the MTA-STS records and policy for the domain's MX hosts. */
export function mtaStsCompose(domain: string, mode: StsMode, reportTo: string, nameserver: string): Promise<MtaStsComposition> {
  return invoke("mta_sts_compose", { domain, mode, reportTo, nameserver });
}

/** The sentence to show for a failed call: the engine's own words, never a debug string. */
/** The submission provider catalog. */
export function smtpProviderList(): Promise<SmtpProvider[]> {
  return invoke("smtp_provider_list");
}

/** The submission services the domain announces (RFC 6186 SRV records). */
export function smtpDiscover(domain: string, nameserver: string): Promise<DiscoveredService[]> {
  return invoke("smtp_discover", { domain, nameserver });
}

/** Whether the keychain holds a password for `user` at `host`. */
export function smtpPasswordSaved(user: string, host: string): Promise<boolean> {
  return invoke("smtp_password_saved", { user, host });
}

/**
 * Saves the password in the keychain (the only place Mailwright keeps it), bound to the setup's
 * server, certificate name, trusted certificates and DNS server: change any and it is asked again.
 */
export function smtpSavePassword(setup: SmtpSetup, nameserver: string, password: string): Promise<void> {
  return invoke("smtp_save_password", { setup, nameserver, password });
}

/** Removes the password from the keychain. */
export function smtpForgetPassword(user: string, host: string): Promise<boolean> {
  return invoke("smtp_forget_password", { user, host });
}

/** Probes every chosen port at once; `onStep` hears each step as it happens. */
export function smtpTest(
  setup: SmtpSetup,
  token: string,
  dkimDomain: string,
  dkimSelector: string,
  nameserver: string,
  onStep: (progress: ProbeProgress) => void,
): Promise<SmtpTestReport> {
  const progress = new Channel<ProbeProgress>();
  progress.onmessage = onStep;
  return invoke("smtp_test", { setup, token, dkimDomain, dkimSelector, nameserver, progress });
}

/** Stops the mail server test in progress. */
export function smtpCancel(): Promise<void> {
  return invoke("smtp_cancel");
}

/** Writes the transcript of port number `index` of the last test to `path`. */
export function smtpExportTranscript(index: number, path: string): Promise<string> {
  return invoke("smtp_export_transcript", { index, path });
}

export function errorMessage(error: unknown): string {
  if (isUserError(error)) return error.message;
  return "Something unexpected went wrong inside Mailwright. Please try again; if it keeps happening, restart the app.";
}

/** The stable code of a failed call, if it has one. */
export function errorCode(error: unknown): string | null {
  return isUserError(error) ? error.code : null;
}
