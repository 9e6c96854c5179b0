import { describe, expect, it } from "vitest";
import { lineEncoder } from "../../src/data/line-encoder.ts";
import { encodePoint } from "../../src/data/line-protocol.ts";

describe("lineEncoder", () => {
  it("produces exactly the lines encodePoint produces", () => {
    const cases: { measurement: string; tags: Record<string, string>; fields: string[] }[] = [
      {
        measurement: "electric",
        tags: { device: "shellypro3em-sim000000" },
        fields: ["power_w", "energy_wh"],
      },
      {
        measurement: "odd name,x",
        tags: { z: "b c", a: "x=y", empty: "" },
        fields: ["a b", "c,d", "e=f", "g\\h"],
      },
    ];
    const values = [0, -12.5, 1234567.89, 0.001, 1e21, 3];
    for (const c of cases) {
      const enc = lineEncoder(c.measurement, c.tags, c.fields);
      for (const timeMs of [0, 1767225600000]) {
        const vs = c.fields.map((_, i) => values[(i + timeMs) % values.length]!);
        const fields = Object.fromEntries(c.fields.map((f, i) => [f, vs[i]!]));
        expect(enc(vs, timeMs)).toBe(
          encodePoint({ measurement: c.measurement, tags: c.tags, fields, timeMs }),
        );
      }
    }
  });

  it("rejects what encodePoint rejects", () => {
    const enc = lineEncoder("m", {}, ["a"]);
    expect(() => enc([NaN], 0)).toThrow(RangeError);
    expect(() => enc([1], 1.5)).toThrow(RangeError);
    expect(() => lineEncoder("m", {}, [])).toThrow(RangeError);
  });
});
