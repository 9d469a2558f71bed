import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mxFound, spfMissing } from "../../tests/fixtures";
import FindingCard from "./FindingCard.svelte";

describe("FindingCard", () => {
  it("shows the severity as a word, the sentence, why, the fix and the records for a failure", () => {
    render(FindingCard, { finding: spfMissing });
    expect(screen.getByText("Fail")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: spfMissing.title })).toBeInTheDocument();
    expect(screen.getByText(spfMissing.detail)).toBeInTheDocument();
    expect(screen.getByText(/Publish one TXT record/)).toBeInTheDocument();
    expect(screen.getByText("google-site-verification=xyz")).toBeVisible();
    // The check's id is there for whoever looks it up, behind "Details", not in the reading.
    expect(screen.getByText("Check id: spf.missing; rule: RFC 7208 §4")).not.toBeVisible();
    expect(screen.getByText("Details")).toBeInTheDocument();
  });

  it("keeps a pass short, with its records behind a disclosure the user can open", async () => {
    render(FindingCard, { finding: mxFound });
    expect(screen.getByText("Pass")).toBeInTheDocument();
    expect(screen.queryByText(mxFound.detail)).not.toBeInTheDocument();
    expect(screen.getByText("10 mx.example.com")).not.toBeVisible();
    await userEvent.click(screen.getByRole("button", { name: "Show the records (1)" }));
    expect(screen.getByText("10 mx.example.com")).toBeVisible();
    expect(screen.getByRole("button", { name: "Hide the records (1)" })).toBeInTheDocument();
  });
});
