import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { report } from "../../tests/fixtures";
import AuditResults from "./AuditResults.svelte";

describe("AuditResults", () => {
  it("groups findings under the engine's topic headings, with counts and the server asked", () => {
    render(AuditResults, { report });
    expect(screen.getByTestId("audit-summary")).toHaveTextContent("1 to fix, 0 to look at, 1 passed");
    expect(screen.getByTestId("audit-summary")).toHaveTextContent("127.0.0.1:5353");
    const spf = screen.getByRole("region", { name: /SPF/ });
    expect(within(spf).getByText("example.com publishes no SPF record.")).toBeInTheDocument();
    expect(within(spf).queryByText(/mail server/)).not.toBeInTheDocument();
  });

  it("says when some checks could not be made", () => {
    render(AuditResults, { report: { ...report, status: "partial" } });
    expect(screen.getByText(/could not check/)).toBeInTheDocument();
  });
});
