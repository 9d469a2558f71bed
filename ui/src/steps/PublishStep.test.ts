import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { PublishSet } from "../lib/bindings/PublishSet";
import { wizard } from "../lib/wizard.svelte";

// The Tauri commands, replaced for these component tests (the real ones run in the GUI tests).
vi.mock("../lib/api", async (original) => ({
  ...(await original<typeof import("../lib/api")>()),
  publishHosts: vi.fn(async () => [
    {
      id: "godaddy",
      name: "GoDaddy",
      name_label: "Name",
      name_style: "relative",
      apex: "@",
      appends: true,
      txt_quotes: false,
      txt_split: false,
      proxy: false,
      ttl: "1 Hour",
      note: "GoDaddy adds your domain to the name itself.",
    },
  ]),
  publishCollect: vi.fn(),
  publishPresent: vi.fn(),
  publishVerify: vi.fn(),
  projectEdit: vi.fn(async () => (await import("../tests/fixtures")).echoEdit()),
}));

const api = await import("../lib/api");
const { default: PublishStep } = await import("./PublishStep.svelte");

const set: PublishSet = {
  zone: "example.com",
  records: [{ name: "_dmarc.example.com", type: "TXT", value: "v=DMARC1; p=none", ttl: 3600, purpose: "DMARC policy." }],
  published_spf: null,
  notes: ["No DKIM key yet: make one in the DKIM step."],
};

describe("PublishStep", () => {
  it("shows the engine's presentation for the chosen host and each record's check", async () => {
    wizard.project.domain = "example.com";
    wizard.project.dns_host = "";
    vi.mocked(api.publishCollect).mockResolvedValue(set);
    vi.mocked(api.publishPresent).mockResolvedValue([
      { title: "DMARC policy", purpose: "DMARC policy.", rtype: "TXT", name: "_dmarc", value: "v=DMARC1; p=none", ttl: "1 Hour", warnings: ["Type only “_dmarc”."] },
    ]);
    vi.mocked(api.publishVerify).mockImplementation(async (onRound) => {
      const round = {
        round: 1,
        servers: ["ns1.example.com 192.0.2.1"],
        checks: [{ record: set.records[0], state: "visible" as const, found: ["v=DMARC1; p=none"], difference: null, why: null }],
        complete: true,
        done: true,
        next_in_ms: null,
      };
      onRound(round);
      return round;
    });
    render(PublishStep);
    expect(await screen.findByText("No DKIM key yet: make one in the DKIM step.")).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText("Where your DNS is managed"), "godaddy");
    expect(await screen.findByText("_dmarc")).toBeInTheDocument();
    expect(screen.getByText("Type only “_dmarc”.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "DMARC policy" })).toBeInTheDocument();
    expect(wizard.project.dns_host).toBe("godaddy");
    await userEvent.click(screen.getByRole("button", { name: "Check they are published" }));
    expect(await screen.findByTestId("publish-status")).toHaveTextContent("Every record is published.");
    expect(api.projectEdit).toHaveBeenCalledWith({ step: "dns_host", value: "godaddy" });
  });

  it("says a record could not be checked, and why, when a name server did not answer", async () => {
    wizard.project.domain = "example.com";
    wizard.project.dns_host = "godaddy";
    vi.mocked(api.publishCollect).mockResolvedValue(set);
    vi.mocked(api.publishPresent).mockResolvedValue([
      { title: "DMARC policy", purpose: "DMARC policy.", rtype: "TXT", name: "_dmarc", value: "v=DMARC1; p=none", ttl: "1 Hour", warnings: [] },
    ]);
    const why = "The name server ns1.example.com (192.0.2.1:53) did not answer in time.";
    vi.mocked(api.publishVerify).mockImplementation(async (onRound) => {
      const base = { round: 1, servers: ["ns1.example.com 192.0.2.1:53"], done: false, next_in_ms: null };
      onRound({ ...base, complete: false, checks: [{ record: set.records[0], state: "checking", found: [], difference: null, why: null }] });
      const last = {
        ...base,
        complete: true,
        checks: [{ record: set.records[0], state: "could_not_check" as const, found: [], difference: null, why }],
      };
      onRound(last);
      return last;
    });
    render(PublishStep);
    await userEvent.click(await screen.findByRole("button", { name: "Check they are published" }));
    expect(await screen.findByText(why)).toBeInTheDocument();
    expect(screen.getByText("Could not check")).toBeInTheDocument();
    expect(screen.queryByText("Not found yet")).not.toBeInTheDocument();
    expect(screen.getByTestId("publish-status")).toHaveTextContent("Some records could not be checked");
  });
});
