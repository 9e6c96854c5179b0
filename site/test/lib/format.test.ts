import { describe, expect, it } from "vitest";
import { num } from "../../src/lib/format.ts";

describe("figures", () => {
  it("thousands separated, rounded to the decimals asked for, a minus sign, an en dash for none", () => {
    expect(num(1234.56)).toBe("1,234.6");
    expect(num(1234.56, 0)).toBe("1,235");
    // Asked again (the page of the next cycle): the same text, each for its own decimals.
    expect(num(1234.56, 1)).toBe("1,234.6");
    expect(num(1234.56, 2)).toBe("1,234.56");
    expect(num(-3.5)).toBe("\u22123.5");
    // A figure that rounds to zero has no sign.
    expect([num(0), num(-0), num(-0.01)]).toEqual(["0.0", "0.0", "0.0"]);
    expect([num(null), num(undefined), num(Number.NaN)]).toEqual(["–", "–", "–"]);
  });
});
