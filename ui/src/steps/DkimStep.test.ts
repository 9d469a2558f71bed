import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { KeyOutcome } from "../lib/bindings/KeyOutcome";
import type { KeysMade } from "../lib/bindings/KeysMade";
import { wizard } from "../lib/wizard.svelte";

// The Tauri commands, replaced for these component tests (the real ones run in the GUI tests).
vi.mock("../lib/api", async (original) => ({
  ...(await original<typeof import("../lib/api")>()),
  normalizeDomain: vi.fn(async () => ({ domain: { ascii: "example.com", unicode: "example.com" }, note: null })),
  dkimOverview: vi.fn(async () => ({
    suggested_selector: "mw202611",
    today: "2026-11-22",
    keep_days_default: 7,
    providers: [],
  })),
  dkimGenerate: vi.fn(),
  dkimDefaultExportPath: vi.fn(async () => "/home/me/Documents/dkim-mw202611.example.com.pem"),
  dkimSnippets: vi.fn(async () => []),
  projectEdit: vi.fn(async () => (await import("../tests/fixtures")).echoEdit()),
}));

const api = await import("../lib/api");
const { default: DkimStep } = await import("./DkimStep.svelte");

const outcome: KeyOutcome = {
  summary: {
    domain: "example.com",
    selector: "mw202611",
    key_type: { kind: "rsa", bits: 2048 },
    key_label: "RSA 2048-bit",
    record: {
      name: "mw202611._domainkey.example.com",
      type: "TXT",
      value: "v=DKIM1; k=rsa; p=MIIBIjAN",
      ttl: 3600,
      purpose: "Lets receivers check the DKIM signature of mail signed with selector mw202611.",
    },
    txt_strings: ["v=DKIM1; k=rsa; p=MIIBIjAN"],
    keychain_account: "dkim:mw202611@example.com",
    warnings: [],
  },
  in_keychain: false,
  keychain_error: { code: "keychain_unavailable", message: "No system keychain is available on this computer." },
};

// What the engine returns for it: the outcome and the setup recorded from it.
const made: KeysMade = {
  keys: [outcome],
  setup: {
    selector: "mw202611",
    created_on: "2026-11-22",
    in_keychain: false,
    exported_to: null,
    ed25519_selector: null,
    keys: [outcome.summary],
    provider: null,
    provider_selectors: [],
    rotation: null,
    signer: "own",
  },
};

describe("DkimStep", () => {
  it("asks before replacing a published selector, then offers the export when the keychain refuses the key", async () => {
    wizard.project.domain = "example.com";
    vi.mocked(api.dkimGenerate)
      .mockRejectedValueOnce({
        code: "dkim_selector_in_use",
        message: "A DKIM record is already published at mw202611._domainkey.example.com.",
      })
      .mockResolvedValueOnce(made);
    render(DkimStep);

    const selector = await screen.findByLabelText("Selector");
    expect(selector).toHaveValue("mw202611");
    await userEvent.click(screen.getByRole("button", { name: "Generate key" }));
    expect(await screen.findByTestId("selector-in-use")).toHaveTextContent("already published");
    // dkimGenerate(selector, algorithm, withEd25519, replace, …): the fourth is `replace`.
    expect(vi.mocked(api.dkimGenerate).mock.lastCall?.[3]).toBe(false);

    await userEvent.click(screen.getByRole("button", { name: "Replace the published key" }));
    expect(await screen.findByTestId("keychain-error")).toHaveTextContent("No system keychain is available");
    // dkimGenerate(selector, algorithm, withEd25519, replace, …): the fourth is `replace`.
    expect(vi.mocked(api.dkimGenerate).mock.lastCall?.[3]).toBe(true);
    expect(screen.getByText("v=DKIM1; k=rsa; p=MIIBIjAN")).toBeInTheDocument();
    // The export is opened for the user, with a default place to save to.
    expect(await screen.findByLabelText("Save to")).toHaveValue("/home/me/Documents/dkim-mw202611.example.com.pem");
    expect(wizard.project.dkim.in_keychain).toBe(false);
    expect(JSON.stringify(wizard.project)).not.toContain("PRIVATE");
  });
});
