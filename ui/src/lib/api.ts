// Typed calls to the app's Tauri commands. Every type here is generated from Rust (bindings/).
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AuditReport } from "./bindings/AuditReport";
import type { DnsSettingsView } from "./bindings/DnsSettingsView";
import type { DomainInput } from "./bindings/DomainInput";
import type { LoadedProject } from "./bindings/LoadedProject";
import type { LookupProgress } from "./bindings/LookupProgress";
import type { Project } from "./bindings/Project";
import type { UserError } from "./bindings/UserError";

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

function isUserError(error: unknown): error is UserError {
  return typeof error === "object" && error !== null && "message" in error && "code" in error;
}

/** The sentence to show for a failed call: the engine's own words, never a debug string. */
export function errorMessage(error: unknown): string {
  if (isUserError(error)) return error.message;
  return "Something unexpected went wrong inside Mailwright. Please try again; if it keeps happening, restart the app.";
}

/** The stable code of a failed call, if it has one. */
export function errorCode(error: unknown): string | null {
  return isUserError(error) ? error.code : null;
}
