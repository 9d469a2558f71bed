import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Checklist } from "../lib/bindings/Checklist";
import { wizard } from "../lib/wizard.svelte";

// The Tauri commands, replaced for these component tests (the real ones run in the GUI tests).
vi.mock("../lib/api", async (original) => ({
  ...(await original<typeof import("../lib/api")>()),
  reportMake: vi.fn(),
  reportSave: vi.fn(),
}));

const api = await import("../lib/api");
const { default: ReportStep } = await import("./ReportStep.svelte");

// What the engine returns: one section with a passing and a manual item.
const report: Checklist = {
  schema_version: 1,
  generated_at: "2026-11-22T10:00:00Z",
  domain: "example.com",
  nameserver: "127.0.0.1:53",
  totals: [1, 0, 0, 1],
  sections: [
    {
      id: "before",
      title: "Before sending: identity and transport",
      items: [
        {
          id: "before.spf",
          title: "The SPF record is accurate.",
          status: "pass",
          evidence: ["example.com TXT v=spf1 -all"],
          fix: null,
          source: "deliverability playbook §8",
        },
        {
          id: "providers.ptr",
          title: "The sending IP has a valid reverse DNS name.",
          status: "manual",
          evidence: [],
          fix: "Ask your provider to set the PTR.",
          source: "Gmail",
        },
      ],
    },
  ],
  records: [],
  warmup: null,
  thresholds: [],
  playbook: [],
};

describe("ReportStep", () => {
  it("shows the engine's checklist and saves in the chosen format", async () => {
    wizard.project.domain = "example.com";
    vi.mocked(api.reportMake).mockImplementation(async (onProgress) => {
      onProgress({ name: "example.com", type: "TXT", outcome: null, completed: 1, started: 1 });
      return report;
    });
    vi.mocked(api.reportSave).mockResolvedValue("/tmp/checklist.html");
    render(ReportStep);
    await userEvent.click(screen.getByRole("button", { name: "Make the report" }));
    expect(await screen.findByTestId("report-summary")).toHaveTextContent("1 pass, 0 warn, 0 fail, 1 to do by hand");
    expect(screen.getByTestId("item-before.spf")).toHaveTextContent(/^Pass/);
    expect(screen.getByTestId("item-providers.ptr")).toHaveTextContent("Ask your provider to set the PTR.");
    await userEvent.selectOptions(screen.getByLabelText("Format"), "html");
    await userEvent.type(screen.getByLabelText("Save to"), "/tmp/checklist.html");
    await userEvent.click(screen.getByTestId("report-save"));
    expect(await screen.findByRole("status")).toHaveTextContent("Saved to /tmp/checklist.html.");
    expect(api.reportSave).toHaveBeenCalledWith("html", "/tmp/checklist.html");
  });
});
