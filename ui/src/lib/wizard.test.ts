import { describe, expect, it } from "vitest";
import { NEW_PROJECT } from "./bindings/vocabulary";
import type { SessionView } from "./bindings/SessionView";
import { STEPS, wizard } from "./wizard.svelte";

function view(domain: string, publish: "not_started" | "attention" | "done"): SessionView {
  return {
    project: { ...structuredClone(NEW_PROJECT), domain },
    steps: STEPS.map((s) => ({
      step: s.id,
      state: s.id === "publish" ? publish : "not_started",
      what_to_do: `What ${s.title} is for.`,
    })),
    next: "domain",
    problems: [],
    recovered: null,
    save_error: null,
    messages_checked: 0,
    message_error: null,
  };
}

describe("wizard", () => {
  it("lists the engine's steps with the engine's titles, in sidebar order", () => {
    expect(STEPS[0]).toEqual({ id: "domain", title: "Your domain" });
    expect(STEPS.map((s) => s.id).at(-1)).toBe("report");
  });

  it("shows each step's state as the engine decided it", () => {
    wizard.apply(view("example.com", "done"));
    expect(wizard.stepState("publish")).toBe("done");
    wizard.apply(view("example.com", "attention"));
    expect(wizard.stepState("publish")).toBe("attention");
  });

  it("keeps what a step is typing when only the step states change, and takes a changed project", () => {
    wizard.apply(view("example.com", "not_started"));
    wizard.project.dmarc.policy = "reject";
    wizard.apply(view("example.com", "done"));
    expect(wizard.project.dmarc.policy).toBe("reject");
    wizard.apply(view("example.org", "done"));
    expect(wizard.project.domain).toBe("example.org");
    expect(wizard.project.dmarc.policy).toBe(null);
  });
});
