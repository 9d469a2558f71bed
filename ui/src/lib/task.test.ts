import { describe, expect, it } from "vitest";
import { Task } from "./task.svelte";

describe("Task", () => {
  it("is busy while the call runs, then keeps its result or the engine's sentence", async () => {
    const task = new Task<number>();
    let finish: (n: number) => void = () => {};
    const running = task.run(() => new Promise((resolve) => (finish = resolve)));
    expect(task.busy).toBe(true);
    finish(7);
    expect(await running).toBe(7);
    expect([task.busy, task.result, task.error]).toEqual([false, 7, null]);

    expect(await task.run(() => Promise.reject({ code: "x", message: "Type a domain." }))).toBe(null);
    expect([task.busy, task.result, task.error]).toEqual([false, null, "Type a domain."]);
  });
});
