import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { WarmupView } from "../lib/bindings/WarmupView";
import type { WarmupSetup } from "../lib/bindings/WarmupSetup";
import { wizard } from "../lib/wizard.svelte";

// The Tauri commands, replaced for these component tests (the real ones run in the GUI tests),
// and Chart.js, which needs a real canvas (jsdom has none; the GUI test checks the drawing).
vi.mock("../lib/api", async (original) => ({
  ...(await original<typeof import("../lib/api")>()),
  warmupView: vi.fn(),
  warmupPlan: vi.fn(),
  warmupResume: vi.fn(),
  warmupCheck: vi.fn(async () => []),
  projectEdit: vi.fn(async () => (await import("../tests/fixtures")).echoEdit()),
}));
const charts: { destroyed: boolean }[] = [];
vi.mock("chart.js", () => {
  class Chart {
    static register() {}
    destroyed = false;
    constructor() {
      charts.push(this);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  return { Chart, BarController: {}, BarElement: {}, CategoryScale: {}, Legend: {}, LinearScale: {}, LineController: {}, LineElement: {}, PointElement: {}, Tooltip: {} };
});

const api = await import("../lib/api");
const { default: WarmupStep } = await import("./WarmupStep.svelte");

const defaults = {
  start_clean: 1000,
  start_good: 500,
  start_poor: 200,
  growth_small_pct: 50,
  small_below: 5000,
  growth_medium_pct: 35,
  large_from: 50000,
  growth_large_pct: 25,
  yahoo_week1_cap: 5000,
  microsoft_week1_cap: 20000,
  hold_bounce_pct: 2,
  hold_complaint_pct: 0.1,
  hold_deferral_pct: 5,
  step_back_bounce_pct: 3,
  step_back_complaint_pct: 0.3,
  rewarm_after_idle_days: 30,
  sending_hours: 8,
};

const setup: WarmupSetup = {
  inputs: {
    new: "ip",
    stream: "marketing",
    esp_automatic: false,
    target: 20000,
    start: "2026-11-23",
    quality: "good",
    mix: { gmail: 40, microsoft: 30, yahoo: 10, other: 20 },
    sending_days: ["mon", "tue", "wed", "thu", "fri"],
  },
  defaults,
  days: [],
  resumed: [],
  recipients: null,
};

// What the engine returns: a plan of two days, no results yet.
function view(overrides: Partial<WarmupView> = {}): WarmupView {
  return {
    setup,
    numbers: [{ name: "start_good", label: "First day, good or unknown list", value: "500", unit: "messages", source: "Playbook §4" }],
    notes: ["A new IP address has no reputation."],
    entries: [],
    plan: [
      {
        day: 1,
        date: "2026-11-23",
        total: 500,
        caps: { gmail: 200, microsoft: 150, yahoo: 50, other: 100 },
        segment: "engaged30",
        audience: "people engaged in the last 30 days",
        per_hour: 63,
      },
    ],
    state: "planned",
    next_step: "Next: day 1 on 2026-11-23, send at most 500 messages; then enter its results here.",
    form: {
      new: "ip",
      stream: "marketing",
      esp_automatic: false,
      target: "20000",
      start: "2026-11-23",
      quality: "good",
      mix: { gmail: "40", microsoft: "30", yahoo: "10", other: "20" },
      sending_days: ["mon", "tue", "wed", "thu", "fri"],
      numbers: [{ name: "start_good", value: "500" }],
    },
    ...overrides,
  };
}

describe("WarmupStep", () => {
  it("shows the engine's next step, notes, plan and chart", async () => {
    wizard.project.warmup = null;
    vi.mocked(api.warmupView).mockResolvedValue(view());
    render(WarmupStep);
    expect(await screen.findByText(/send at most 500 messages/)).toBeInTheDocument();
    expect(screen.getByText("A new IP address has no reputation.")).toBeInTheDocument();
    expect(screen.getByTestId("warmup-plan")).toHaveTextContent("people engaged in the last 30 days");
    expect(screen.getByTestId("warmup-volume-chart")).toBeInTheDocument();
    expect(charts.length).toBeGreaterThan(0);
    expect(screen.getByText(/This is a starting plan/)).toBeInTheDocument();
  });

  it("shows the engine's sentence for a bad target and keeps what was typed", async () => {
    wizard.project.warmup = null;
    vi.mocked(api.warmupView).mockResolvedValue(view());
    vi.mocked(api.warmupPlan).mockRejectedValue({
      code: "invalid_warmup",
      message: "“Daily target” must be a number of messages from 1 to 100,000,000; “lots” is not.",
    });
    render(WarmupStep);
    const target = await screen.findByLabelText(/Daily target/);
    await userEvent.clear(target);
    await userEvent.type(target, "lots");
    await userEvent.click(screen.getByRole("button", { name: "Plan the warm-up" }));
    expect(await screen.findByTestId("warmup-plan-error")).toHaveTextContent("“lots” is not");
    expect(target).toHaveValue("lots");
    expect(vi.mocked(api.warmupPlan).mock.calls[0][0].target).toBe("lots");
  });

  it("shows every fault of the form under its field as soon as a field is left", async () => {
    wizard.project.warmup = null;
    vi.mocked(api.warmupView).mockResolvedValue(view());
    vi.mocked(api.warmupCheck).mockResolvedValue([
      { step: "warmup", field: "warmup-target", sentence: "“lots” is not a number." },
      { step: "warmup", field: "warmup-mix-gmail", sentence: "“150” is more than 100." },
    ]);
    render(WarmupStep);
    const target = await screen.findByLabelText(/Daily target/);
    await userEvent.clear(target);
    await userEvent.type(target, "lots");
    await userEvent.tab();
    expect(await screen.findByTestId("problems-warmup-target")).toHaveTextContent("“lots” is not a number.");
    expect(screen.getByTestId("problems-warmup-mix-gmail")).toHaveTextContent("“150” is more than 100.");
    expect(vi.mocked(api.warmupCheck).mock.calls.at(-1)![0].target).toBe("lots");
  });

  it("offers Resume when paused and saves what the engine returns", async () => {
    wizard.project.warmup = setup;
    const paused = view({ state: "paused", plan: [], next_step: "Paused since 2026-11-25: find out why, then press Resume." });
    vi.mocked(api.warmupView).mockResolvedValue(paused);
    const resumed = view({ setup: { ...setup, resumed: ["2026-11-26"] } });
    vi.mocked(api.warmupResume).mockResolvedValue(resumed);
    render(WarmupStep);
    await userEvent.click(await screen.findByRole("button", { name: "Resume" }));
    expect(await screen.findByText(/send at most 500 messages/)).toBeInTheDocument();
    expect(wizard.project.warmup?.resumed).toEqual(["2026-11-26"]);
    expect(api.warmupResume).toHaveBeenCalledWith();
  });
});
