import { describe, expect, it } from "vitest";
import { errorCode, errorMessage } from "./api";

describe("errorMessage", () => {
  it("shows the engine's sentence and never a debug string", () => {
    expect(errorMessage({ code: "invalid_domain", message: "Type your domain name." })).toBe("Type your domain name.");
    expect(errorCode({ code: "invalid_domain", message: "x" })).toBe("invalid_domain");
    const unknown = errorMessage(new Error("IpcError { inner: ... }"));
    expect(unknown).not.toContain("IpcError");
    expect(unknown).toMatch(/try again/);
  });
});
