import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { MailServerTest } from "../lib/bindings/MailServerTest";
import { wizard } from "../lib/wizard.svelte";

// The Tauri commands, replaced for these component tests (the real ones run in the GUI tests).
vi.mock("../lib/api", async (original) => ({
  ...(await original<typeof import("../lib/api")>()),
  smtpProviderList: vi.fn(async () => [
    { id: "fastmail", name: "Fastmail", host: "smtp.fastmail.com", ports: [465, 587], auth_note: "Use an app password." },
  ]),
  smtpPasswordSaved: vi.fn(async () => false),
  smtpTest: vi.fn(),
  projectEdit: vi.fn(async () => (await import("../tests/fixtures")).echoEdit()),
}));

const api = await import("../lib/api");
const { default: SmtpStep } = await import("./SmtpStep.svelte");

// What the engine returns for one port whose certificate expired.
const report: MailServerTest = {
  elapsed_ms: 42,
  ports: [
    {
      target: { host: "smtp.fastmail.com", port: 465, tls: "implicit", server_name: null },
      address: "127.0.0.1:465",
      steps: [
        { label: "Connect", detail: "Connected to 127.0.0.1:465 in 1 ms.", at_ms: 1, ok: true },
        { label: "Certificate", detail: "For smtp.fastmail.com; expired 3 days ago; refused.", at_ms: 9, ok: false },
      ],
      banner: "smtp.fastmail.com ESMTP",
      capabilities_before_tls: [],
      capabilities_after_tls: ["AUTH PLAIN LOGIN"],
      auth_before_tls: [],
      auth_after_tls: ["PLAIN", "LOGIN"],
      tls: {
        version: "TLSv1.3",
        cipher_suite: "TLS13_AES_256_GCM_SHA384",
        key_exchange: "X25519",
        certificate: {
          subject: "CN=smtp.fastmail.com",
          names: ["smtp.fastmail.com"],
          covers_host: true,
          issuer: "CN=Test CA",
          not_after: "2026-11-19T00:00:00Z",
          days_left: -3,
          trusted: true,
          trusted_by_user: false,
          problems: [{ kind: "expired", days_ago: 3 }],
        },
      },
      legacy_tls: null,
      auth: null,
      relay: null,
      message: null,
      findings: [
        {
          id: "smtp.tls.cert_expired",
          severity: "fail",
          topic: "submission",
          title: "The server's certificate expired 3 days ago, on 2026-11-19.",
          detail: "Mail programs refuse an expired certificate.",
          fix: "Renew the server's certificate.",
          evidence: [],
          reference: null,
        },
      ],
      transcript: { lines: [] },
      transcript_text: "<~  220 smtp.fastmail.com ESMTP\n",
      elapsed_ms: 12,
    },
  ],
};

describe("SmtpStep", () => {
  it("fills the server from the catalog and shows each port's verdict from the engine", async () => {
    vi.mocked(api.smtpTest).mockResolvedValue(report);
    render(SmtpStep);
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText("Your provider"), "fastmail");
    expect(screen.getByLabelText("Server")).toHaveValue("smtp.fastmail.com");
    expect(screen.getByTestId("smtp-provider-note")).toHaveTextContent("app password");
    expect(wizard.project.smtp.ports).toEqual([465, 587]);
    await user.click(screen.getByRole("button", { name: "Test the server" }));
    expect(await screen.findByText(/expired 3 days ago, on 2026-11-19\./)).toBeInTheDocument();
    expect(screen.getByTestId("smtp-port-465")).toHaveTextContent("needs attention");
    expect(screen.getByTestId("smtp-tls")).toHaveTextContent("TLSv1.3, TLS13_AES_256_GCM_SHA384, key exchange X25519");
    const [setup, token] = vi.mocked(api.smtpTest).mock.calls[0];
    expect(setup.host).toBe("smtp.fastmail.com");
    expect(token).toBe("");
  });

  it("asks how another port starts encryption, and keeps the answer", async () => {
    render(SmtpStep);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Another port"), "2526");
    await user.click(screen.getByRole("button", { name: "Add" }));
    expect(wizard.project.smtp.ports).toContain(2526);
    await user.selectOptions(screen.getByLabelText("How port 2526 starts encryption"), "implicit");
    expect(wizard.project.smtp.tls).toEqual({ 2526: "implicit" });
    expect(api.projectEdit).toHaveBeenLastCalledWith(expect.objectContaining({ step: "smtp" }));
  });

  it("uses a password typed but not saved for this test only (no keychain needed)", async () => {
    vi.mocked(api.smtpTest).mockResolvedValue(report);
    wizard.project.smtp.host = "smtp.fastmail.com";
    wizard.project.smtp.user = "me@example.com";
    wizard.project.smtp.auth = null;
    render(SmtpStep);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Password"), "once-only");
    await user.click(screen.getByRole("button", { name: "Test the server" }));
    const [, token] = vi.mocked(api.smtpTest).mock.calls.at(-1)!;
    expect(token).toBe("once-only");
    expect(screen.getByText(/used for that test only and not kept/)).toBeInTheDocument();
  });
});
