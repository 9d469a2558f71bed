// The window's calls to the app. Every command is in ./commands (generated from the Rust
// commands by `cargo xtask generate`); every type is generated from Rust (bindings/). Only the
// error helpers are written here.
import type { UserError } from "./bindings/UserError";

export * from "./commands";

/** The kinds of file the system's file dialog filters for (`pickFile`'s `kind`). */
export type FileKind = "pem" | "csv" | "ics" | "text" | "md" | "html" | "pdf" | "json" | "eml" | "reports" | "bounces";

function isUserError(error: unknown): error is UserError {
  return typeof error === "object" && error !== null && "message" in error && "code" in error;
}

/** The one sentence to show for a failed call. */
export function errorMessage(error: unknown): string {
  if (isUserError(error)) return error.message;
  return "Something unexpected went wrong inside Mailwright. Please try again; if it keeps happening, restart the app.";
}

/** The stable code of a failed call, if it has one. */
export function errorCode(error: unknown): string | null {
  return isUserError(error) ? error.code : null;
}
