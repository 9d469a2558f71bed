import { describe, expect, it } from "vitest";
import { splitList } from "./list";

describe("splitList", () => {
  it("splits on commas, spaces and new lines and drops empty items", () => {
    expect(splitList(" a@x.test,b@x.test\n\n c@x.test ,, ")).toEqual(["a@x.test", "b@x.test", "c@x.test"]);
    expect(splitList("   ")).toEqual([]);
  });
});
