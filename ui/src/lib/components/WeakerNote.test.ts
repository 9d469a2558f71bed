import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import WeakerNote from "./WeakerNote.svelte";

const changes = ["It lowers the policy from quarantine to none: mail that fails DMARC would be delivered as if it passed instead of put in spam."];

describe("WeakerNote", () => {
  it("says what was kept and why, and asks before weakening", async () => {
    const choose = vi.fn();
    render(WeakerNote, { weaker: { changes, chosen: false }, choose });
    expect(screen.getByText(/Kept what your domain publishes now/)).toBeInTheDocument();
    expect(screen.getByText(changes[0])).toBeInTheDocument();
    const box = screen.getByRole("checkbox", { name: /publish the weaker record anyway/ });
    expect(box).not.toBeChecked();
    await userEvent.click(box);
    expect(choose).toHaveBeenCalledWith(true);
  });

  it("warns when the weaker record was chosen, and shows nothing when nothing is weaker", () => {
    const { unmount } = render(WeakerNote, { weaker: { changes, chosen: true }, choose: () => {} });
    expect(screen.getByText(/weaker than the one your domain publishes now/)).toBeInTheDocument();
    unmount();
    render(WeakerNote, { weaker: { changes: [], chosen: false }, choose: () => {} });
    expect(screen.queryByTestId("weaker")).not.toBeInTheDocument();
  });
});
