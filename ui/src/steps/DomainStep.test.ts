import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { report } from "../tests/fixtures";

// The Tauri commands, replaced for these component tests (the real ones run in the GUI tests).
vi.mock("../lib/api", async (original) => ({
  ...(await original<typeof import("../lib/api")>()),
  normalizeDomain: vi.fn(),
  runAudit: vi.fn(),
  projectEdit: vi.fn(async () => (await import("../tests/fixtures")).echoEdit()),
  auditStop: vi.fn(async () => {}),
}));

const api = await import("../lib/api");
const { default: DomainStep } = await import("./DomainStep.svelte");
// The step loads the results' cards on first use; loaded here, while the tests are collected, as
// the app loads them while the audit runs (transforming them takes seconds under Vitest).
await import("../lib/components/AuditResults.svelte");

describe("DomainStep", () => {
  beforeEach(() => {
    vi.mocked(api.runAudit).mockReset();
  });

  it("shows the engine's sentence for input it refuses, and runs nothing", async () => {
    vi.mocked(api.normalizeDomain).mockRejectedValue({
      code: "invalid_domain",
      message: "“exa mple” is not a valid domain name.",
    });
    render(DomainStep);
    await userEvent.type(screen.getByLabelText("Domain"), "exa mple");
    await userEvent.click(screen.getByRole("button", { name: "Check domain" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("“exa mple” is not a valid domain name.");
    expect(api.runAudit).not.toHaveBeenCalled();
  });

  it("notes what was taken from a pasted URL, shows progress, then the findings", async () => {
    vi.mocked(api.normalizeDomain).mockResolvedValue({
      domain: { ascii: "example.com", unicode: "example.com" },
      note: "You pasted a web address; mail uses the domain part. We will check example.com.",
    });
    let finish: (value: typeof report) => void = () => {};
    vi.mocked(api.runAudit).mockImplementation((onProgress) => {
      onProgress?.({ name: "_dmarc.example.com", type: "TXT", outcome: null, completed: 3, started: 9 });
      return new Promise((resolve) => (finish = resolve));
    });
    render(DomainStep);
    await userEvent.type(screen.getByLabelText("Domain"), "https://www.example.com/x");
    await userEvent.type(screen.getByLabelText(/DKIM selectors/), "s1, mw202611");
    await userEvent.click(screen.getByRole("button", { name: "Check domain" }));
    expect(await screen.findByTestId("audit-progress")).toHaveTextContent("Looked up 3 of 9: _dmarc.example.com (TXT)");
    expect(screen.getByTestId("domain-note")).toHaveTextContent("We will check example.com.");
    expect(api.projectEdit).toHaveBeenCalledWith({
      step: "domain",
      value: { domain: "https://www.example.com/x", selectors: ["s1", "mw202611"] },
    });
    expect(api.runAudit).toHaveBeenCalledWith(expect.any(Function));
    finish(report);
    expect(await screen.findByRole("heading", { name: "What example.com publishes today" })).toBeInTheDocument();
    expect(screen.queryByTestId("audit-progress")).not.toBeInTheDocument();
  });
});
