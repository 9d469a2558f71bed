import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { SpfSimulation } from "../lib/bindings/SpfSimulation";
import { wizard } from "../lib/wizard.svelte";

// The Tauri commands, replaced for these component tests (the real ones run in the GUI tests).
vi.mock("../lib/api", async (original) => ({
  ...(await original<typeof import("../lib/api")>()),
  spfSimulate: vi.fn(),
  projectEdit: vi.fn(async () => (await import("../tests/fixtures")).echoEdit()),
}));

const api = await import("../lib/api");
const { default: SpfStep } = await import("./SpfStep.svelte");

// What the engine returns for a published "v=spf1 include:sendgrid.net ~all" and Google ticked.
const simulation: SpfSimulation = {
  composition: {
    record: "v=spf1 include:sendgrid.net include:_spf.google.com ~all",
    terms: [
      {
        term: "include:sendgrid.net",
        origin: "published",
        sender: "SendGrid",
        redundant: "SendGrid puts its own domain in the Return-Path.",
      },
      { term: "include:_spf.google.com", origin: "inventory", sender: "Google Workspace (Gmail)", redundant: null },
    ],
    removed: [],
    unreadable: [],
    subdomains: [],
    notes: [],
    weaker: { changes: [], chosen: false },
    unchanged: false,
    records: [
      {
        name: "example.com",
        type: "TXT",
        value: "v=spf1 include:sendgrid.net include:_spf.google.com ~all",
        ttl: 3600,
        purpose: "SPF: the servers allowed to send mail as your domain.",
      },
    ],
  },
  report: {
    domain: "example.com",
    nameserver: "127.0.0.1:53",
    dns_lookups: 2,
    void_lookups: 0,
    tree: { domain: "example.com", via: "", record: null, cost: 2, voids: 0, problem: null, problem_words: null, children: [] },
    findings: [],
  },
  fixes: [],
};

describe("SpfStep", () => {
  it("shows the composed record and removes a published term only when the user unticks it", async () => {
    vi.mocked(api.spfSimulate).mockResolvedValue(simulation);
    wizard.project.domain = "example.com";
    wizard.project.senders = { senders: [{ id: "google", hosts: [], spf: null, dkim_set_up: false, return_path_set_up: false }] };
    wizard.project.spf = { all: null, remove: [], ip: "", weaken: false };
    wizard.spfSimulation = null;
    render(SpfStep);

    expect(await screen.findByText("2 of 10")).toBeTruthy();
    expect(screen.getByText(/Consider removing: SendGrid/)).toBeTruthy();
    expect(api.spfSimulate).toHaveBeenCalledTimes(1);
    expect(api.projectEdit).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole("checkbox", { name: "Keep include:sendgrid.net" }));
    // The choice goes to the backend first, then the record is composed again from it.
    expect(api.projectEdit).toHaveBeenCalledWith({ step: "spf", value: { all: null, remove: ["include:sendgrid.net"], ip: "", weaken: false } });
    await vi.waitFor(() => expect(api.spfSimulate).toHaveBeenCalledTimes(2));
    expect(wizard.project.spf.remove).toEqual(["include:sendgrid.net"]);
  });

  it("names every fault in “Who sends as you” at once, clears the last results, and links to the field", async () => {
    vi.mocked(api.spfSimulate).mockRejectedValue({ code: "invalid_inventory", message: "“bad!” is not an IP address." });
    wizard.project.domain = "example.com";
    wizard.spfSimulation = simulation;
    wizard.problems = [
      { step: "senders", field: "own-server-hosts", sentence: "“bad!” is not an IP address." },
      { step: "senders", field: "own-server-hosts", sentence: "“worse!” is not an IP address." },
    ];
    render(SpfStep);
    await userEvent.click(await screen.findByRole("button", { name: "Compose and simulate again" }));
    const box = await screen.findByTestId("problems-in-senders");
    expect(box).toHaveTextContent("“bad!” is not an IP address.");
    expect(box).toHaveTextContent("“worse!” is not an IP address.");
    expect(wizard.spfSimulation).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Go to “Who sends as you”" }));
    expect(wizard.step).toBe("senders");
    expect(wizard.focus).toBe("own-server-hosts");
    wizard.problems = [];
  });
});
