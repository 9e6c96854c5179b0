import { describe, expect, it } from "vitest";
import { encodePoint, encodePoints, parseLine } from "../../src/data/line-protocol.ts";

describe("line protocol", () => {
  it("encodes floats, booleans, strings and sorted tags with a nanosecond timestamp", () => {
    const line = encodePoint({
      measurement: "electric",
      tags: { device: "shellypro3em-c8f09e878a5c", a: "x y" },
      fields: { power_w: 2413.825, energy_wh: 5415000, on: true, note: 'say "hi"' },
      timeMs: 1_774_742_400_123,
    });
    expect(line).toBe(
      "electric,a=x\\ y,device=shellypro3em-c8f09e878a5c " +
        'power_w=2413.825,energy_wh=5415000,on=true,note="say \\"hi\\"" 1774742400123000000',
    );
  });

  it("round-trips escaped measurement, tag and field keys", () => {
    const p = {
      measurement: "viessmann_feature",
      tags: { device: "0", feature: "heating.circuits.0,odd=name" },
      fields: { "value with space": -12.5, status: "connected" },
      timeMs: 1_700_000_000_000,
    };
    const parsed = parseLine(encodePoint(p));
    expect(parsed).toEqual(p);
  });

  it("reads integer and unsigned suffixes from influx exports, and truncates ns to ms", () => {
    expect(parseLine("m,device=d x=5i,y=7u,z=t 1700000000000999999")).toEqual({
      measurement: "m",
      tags: { device: "d" },
      fields: { x: 5, y: 7, z: true },
      timeMs: 1_700_000_000_000,
    });
  });

  it("skips blanks and comments, names what is wrong in a bad line", () => {
    expect(parseLine("")).toBeNull();
    expect(parseLine("# DML")).toBeNull();
    expect(() => parseLine("electric power_w=abc 1")).toThrow(/bad field value "abc"/);
    expect(() => parseLine("electric")).toThrow(/missing field set/);
    expect(() => parseLine("electric power_w=1")).toThrow(/missing timestamp/);
    expect(() => parseLine("electric power_w=1 12x")).toThrow(/bad timestamp/);
  });

  it("refuses to write non-finite numbers, empty field sets and fractional times", () => {
    expect(() => encodePoint({ measurement: "m", tags: {}, fields: { x: NaN }, timeMs: 1 })).toThrow(/NaN/);
    expect(() => encodePoint({ measurement: "m", tags: {}, fields: {}, timeMs: 1 })).toThrow(/no fields/);
    expect(() => encodePoint({ measurement: "m", tags: {}, fields: { x: 1 }, timeMs: 1.5 })).toThrow(
      /integer/,
    );
  });

  it("drops control characters from names and strings, so a newline cannot start a forged line", () => {
    const line = encodePoint({
      measurement: "viessmann_feature\n",
      tags: { device: "7633107093013212-0", feature: "x\nelectric", "\u0000": "no key", empty: "\r\n" },
      fields: { "power_w\u001b": 4321, energy_wh: 1234, note: "a\nb\u007f" },
      timeMs: 1,
    });
    expect(line).toBe(
      'viessmann_feature,device=7633107093013212-0,feature=xelectric power_w=4321,energy_wh=1234,note="ab" 1000000',
    );
    expect([...line].filter((c) => c < " " || c === "\u007f")).toEqual([]); // no control character
    expect(parseLine(line)!.measurement).toBe("viessmann_feature");
  });

  it("refuses a point left without a measurement name or a field name, and names the point and field", () => {
    const at = { tags: {}, timeMs: 1 };
    expect(() => encodePoint({ ...at, measurement: "\n", fields: { x: 1 } })).toThrow(
      /point "\\n" has no measurement name/,
    );
    expect(() => encodePoint({ ...at, measurement: "m", fields: { "\r": 1 } })).toThrow(
      /point "m" has a field without a name/,
    );
    expect(() => encodePoint({ ...at, measurement: "electric", fields: { power_w: Infinity } })).toThrow(
      'point "electric", field power_w: line protocol cannot carry the number Infinity',
    );
  });

  it("encodes a batch one line per point", () => {
    const text = encodePoints([
      { measurement: "m", tags: {}, fields: { x: 1 }, timeMs: 1 },
      { measurement: "m", tags: {}, fields: { x: 2 }, timeMs: 2 },
    ]);
    expect(text).toBe("m x=1 1000000\nm x=2 2000000\n");
  });
});
