import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { STEPS, wizard } from "../wizard.svelte";
import NextStep from "./NextStep.svelte";

describe("NextStep", () => {
  it("names the following step and what it is for, says when this one is not done, and goes there", async () => {
    wizard.steps = STEPS.map((s) => ({
      step: s.id,
      state: s.id === "spf" ? "attention" : "not_started",
      what_to_do: `What ${s.title} is for.`,
    }));
    wizard.step = "spf";
    render(NextStep, { after: "spf" });
    expect(screen.getByTestId("next-step")).toHaveTextContent("This step is not done yet");
    expect(screen.getByText("Next: DKIM signing.")).toBeInTheDocument();
    expect(screen.getByText(/What DKIM signing is for\./)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Go to DKIM signing" }));
    expect(wizard.step).toBe("dkim");
  });

  it("ends the wizard after the report", () => {
    render(NextStep, { after: "report" });
    expect(screen.getByTestId("next-step")).toHaveTextContent("That was the last step.");
  });
});
