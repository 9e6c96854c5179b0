/**
 * The stand-in parses the Flux subset and refuses everything else, naming it, with InfluxDB's
 * error class (FluxCompileError -> HTTP 400 "invalid"). Every query here is valid Flux (checked by
 * the language server): a refusal is the stand-in's limit, not a syntax error.
 */
import { describe, expect, it } from "vitest";
import { FluxCompileError, parseFlux } from "../helpers/flux-stand-in/parse.ts";
import { validFlux } from "../helpers/flux-stand-in/test-support.ts";

const HEAD = `from(bucket: "b") |> range(start: 2026-03-29T00:00:00Z, stop: 2026-03-30T00:00:00Z)`;

async function refusal(text: string): Promise<string> {
  const q = await validFlux(text);
  try {
    parseFlux(q);
  } catch (e) {
    expect(e).toBeInstanceOf(FluxCompileError);
    return (e as Error).message;
  }
  throw new Error(`the stand-in accepted: ${q}`);
}

describe("the accepted subset", () => {
  it("reads absolute times as literals (with fractions, offsets, date only) or time(v:)", async () => {
    const q = parseFlux(
      await validFlux(`// comment
from(bucket: "b")
  |> range(start: 2026-03-29T01:30:00.5+01:00, stop: time(v: "2026-03-30T00:00:00.000000001Z"),)`),
    );
    expect(q.startNs).toBe(BigInt(Date.UTC(2026, 2, 29, 0, 30, 0, 500)) * 1_000_000n);
    expect(q.stopNs).toBe(BigInt(Date.UTC(2026, 2, 30)) * 1_000_000n + 1n);
    expect(
      parseFlux(await validFlux(`from(bucket: "b") |> range(start: 2026-03-29, stop: 2026-03-30)`)).startNs,
    ).toBe(BigInt(Date.UTC(2026, 2, 29)) * 1_000_000n);
  });

  it("parses predicates with Flux precedence: comparison, then not, then and, then or", async () => {
    const q = parseFlux(
      await validFlux(
        `${HEAD} |> filter(fn: (r) => not r.a == "1" and r["b"] != "2" or ("3" == r.c), onEmpty: "keep")`,
      ),
    );
    expect(q.ops).toEqual([
      expect.objectContaining({
        kind: "filter",
        onEmpty: "keep",
        pred: {
          kind: "or",
          left: {
            kind: "and",
            left: {
              kind: "not",
              arg: { kind: "cmp", op: "==", column: "a", value: "1", literalRight: true },
            },
            right: { kind: "cmp", op: "!=", column: "b", value: "2", literalRight: true },
          },
          right: { kind: "cmp", op: "==", column: "c", value: "3", literalRight: false },
        },
      }),
    ]);
  });

  it('parses exists r.col and r["col"], under not, and binds it tighter than and / or', async () => {
    const q = parseFlux(
      await validFlux(
        `${HEAD} |> filter(fn: (r) => r.home == "a" or not exists r["home"] and exists r.role)`,
      ),
    );
    expect(q.ops).toEqual([
      expect.objectContaining({
        kind: "filter",
        pred: {
          kind: "or",
          left: { kind: "cmp", op: "==", column: "home", value: "a", literalRight: true },
          right: {
            kind: "and",
            left: { kind: "not", arg: { kind: "exists", column: "home" } },
            right: { kind: "exists", column: "role" },
          },
        },
      }),
    ]);
  });

  it("refuses exists on a comparison (Flux binds the comparison first: exists of a bool)", () => {
    expect(() => parseFlux(`${HEAD} |> filter(fn: (r) => exists r.home == "a")`)).toThrow(
      /^error @1:\d+-1:\d+: exists on a comparison is not supported by the InfluxDB stand-in/,
    );
  });

  it("fills the defaults of sort, count, group and limit", async () => {
    const q = parseFlux(
      await validFlux(`${HEAD} |> sort() |> count() |> group() |> limit(n: 3) |> keep(columns: ["_value"])`),
    );
    expect(q.ops.map(({ loc: _loc, name: _name, ...rest }) => rest)).toEqual([
      { kind: "sort", columns: ["_value"], desc: false },
      { kind: "count", column: "_value" },
      { kind: "group", columns: [] },
      { kind: "limit", n: 3, offset: 0 },
      { kind: "keep", columns: ["_value"] },
    ]);
  });
});

describe("refusals", () => {
  it.each([
    [
      "contains()",
      `${HEAD} |> filter(fn: (r) => contains(value: r._field, set: ["a", "b"]))`,
      "contains() (not pushed down",
    ],
    ["aggregateWindow", `${HEAD} |> aggregateWindow(every: 1h, fn: mean)`, "aggregateWindow()"],
    ["import", `import "timezone"\n\n${HEAD}`, "import is not supported"],
    ["a relative range", `from(bucket: "b") |> range(start: -1h)`, "the duration -1h (a relative time"],
    [
      "now()",
      `from(bucket: "b") |> range(start: 2026-03-29T00:00:00Z, stop: now())`,
      "now() (a relative time)",
    ],
    [
      "a range without stop",
      `from(bucket: "b") |> range(start: 2026-03-29T00:00:00Z)`,
      "range() without stop",
    ],
    ["map()", `${HEAD} |> map(fn: (r) => ({r with x: 1}))`, "map()"],
    ["a predicate on _value", `${HEAD} |> filter(fn: (r) => r._value > 10.0)`, "a predicate on _value"],
    [
      "a predicate on _time",
      `${HEAD} |> filter(fn: (r) => r._time == 2026-03-29T00:00:00Z)`,
      "a predicate on _time",
    ],
    ["a regular expression", `${HEAD} |> filter(fn: (r) => r._field =~ /pow/)`, "a regular expression match"],
    ["a number", `${HEAD} |> filter(fn: (r) => r.device == 1)`, "a number in a predicate"],
    [
      "exists of a string",
      `${HEAD} |> filter(fn: (r) => exists "x")`,
      "exists on something other than r.col",
    ],
    ["exists on _value", `${HEAD} |> filter(fn: (r) => exists r._value)`, "a predicate on _value"],
    ["yield()", `${HEAD} |> yield(name: "x")`, "yield()"],
    [
      "pivot()",
      `${HEAD} |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`,
      "pivot()",
    ],
    [
      "group mode except",
      `${HEAD} |> group(columns: ["_field"], mode: "except")`,
      'group() with a mode other than "by"',
    ],
    ["a variable", `data = ${HEAD}\n\ndata |> count()`, "a variable assignment"],
    ["two pipelines", `${HEAD}\n${HEAD}`, "more than one statement or pipeline"],
    ["an option", `option now = () => 2026-03-29T00:00:00Z\n\n${HEAD}`, "an option statement"],
  ])("refuses %s and says what", async (_name, text, what) => {
    const msg = await refusal(text);
    expect(msg).toMatch(/^error @\d+:\d+-\d+:\d+: /);
    expect(msg).toContain(what);
    expect(msg).toContain("not supported by the InfluxDB stand-in");
  });

  it("points at the refused construct", async () => {
    expect(await refusal(`${HEAD}\n  |> aggregateWindow(every: 1h, fn: mean)`)).toMatch(
      /^error @2:6-2:42: aggregateWindow\(\)/,
    );
  });

  it("reports Flux syntax errors like InfluxDB's compiler", () => {
    expect(() => parseFlux(`${HEAD} |> filter(fn: (r) => r.a == "x"`)).toThrow(
      /^compilation failed: error at @1:\d+-1:\d+: expected comma in property list, got EOF$/,
    );
  });
});
