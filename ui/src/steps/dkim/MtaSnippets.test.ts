import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { wizard } from "../../lib/wizard.svelte";

vi.mock("../../lib/api", async (original) => ({
  ...(await original<typeof import("../../lib/api")>()),
  dkimSnippets: vi.fn(async (_selector: string, path: string | null) => [
    {
      mta: "OpenDKIM",
      file: "/etc/opendkim/KeyTable",
      key_path: path ?? "/etc/opendkim/keys/example.com/mw202612.private",
      text: `mw202612._domainkey.example.com example.com:mw202612:${path ?? "/etc/opendkim/keys/example.com/mw202612.private"}`,
    },
  ]),
}));

const api = await import("../../lib/api");
const { default: MtaSnippets } = await import("./MtaSnippets.svelte");

describe("MtaSnippets", () => {
  it("points the server at the key's place on the server, and at the path the user types", async () => {
    wizard.project.dkim.selector = "mw202612";
    render(MtaSnippets);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /Configure your mail server/ }));
    expect(screen.getByTestId("dkim-server-path")).toHaveTextContent("/etc/opendkim/keys/example.com/mw202612.private");
    await user.type(screen.getByLabelText(/Where the key will be on your server/), "/srv/keys/mw.pem");
    await user.tab();
    expect(api.dkimSnippets).toHaveBeenLastCalledWith("mw202612", "/srv/keys/mw.pem");
    expect(await screen.findByText(/example.com:mw202612:\/srv\/keys\/mw.pem/)).toBeInTheDocument();
  });
});
