import { describe, expect, it } from "vitest";
import { remembered } from "../src/remembered.ts";

describe("remembered", () => {
  it("computes each key once, and lets every answer go when the limit is reached", () => {
    const asked: string[] = [];
    const upper = remembered((s: string) => {
      asked.push(s);
      return s.toUpperCase();
    }, 2);
    expect([upper("a"), upper("b"), upper("a")]).toEqual(["A", "B", "A"]);
    expect(asked).toEqual(["a", "b"]);
    // A third key: the two kept answers go, so "a" is computed again.
    expect([upper("c"), upper("a"), upper("c")]).toEqual(["C", "A", "C"]);
    expect(asked).toEqual(["a", "b", "c", "a"]);
  });
});
