/**
 * The stand-in's Flux evaluation on a hand-written bucket, every expectation computed by hand from
 * the data below. Each query is checked by the Flux language server first.
 *
 * Series in storage read order (measurement, series key, field), range [0 s, 3 s):
 *   0 elec,device=m1         power   1 s: 20, 2 s: 21
 *   1 elec,device=m1,phase=a energy  1 s: 100i, 2 s: 101i     (3 s: outside the range)
 *   2 elec,device=m1,phase=a power   1 s: 10, 2 s: 11         (3 s: 12 outside the range)
 *   3 hp,device=h1           flow    1.5 s: 30.5, 2.5 s: 31
 *   4 hp,device=h1           on      1.5 s: true, 2.5 s: false
 *   5 hp,device=h1           starts  1.5 s: 7i, 2.5 s: 8i
 */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluate } from "../helpers/flux-stand-in/evaluate.ts";
import { parseFlux } from "../helpers/flux-stand-in/parse.ts";
import { Bucket, Loader } from "../helpers/flux-stand-in/store.ts";
import { validFlux, view } from "../helpers/flux-stand-in/test-support.ts";

const DATA = [
  "elec,device=m1,phase=a power=10,energy=100i 1000000000",
  "elec,device=m1,phase=a power=11,energy=101i 2000000000",
  "elec,device=m1,phase=a power=12 3000000000",
  "elec,device=m1 power=20 1000000000",
  "elec,device=m1 power=21 2000000000",
  "hp,device=h1 on=true,flow=30.5,starts=7i 1500000000",
  "hp,device=h1 on=false,flow=31,starts=8i 2500000000",
].join("\n");

const HEAD = `from(bucket: "b")
  |> range(start: 1970-01-01T00:00:00Z, stop: 1970-01-01T00:00:03Z)`;

let bucket: Bucket;
beforeAll(() => {
  bucket = new Bucket("b");
  new Loader().loadText(bucket, DATA);
});

async function run(pipeline: string, b = bucket) {
  const text = await validFlux(`${HEAD}\n  ${pipeline}`);
  return evaluate(parseFlux(text), b);
}

const KEY = ["_start", "_stop", "_field", "_measurement", "device"];
const TV = ["_time", "_value"];

describe("range and filter", () => {
  it("keeps points with start <= _time < stop and gives each series a table keyed by its tags", async () => {
    const text = await validFlux(`from(bucket: "b")
  |> range(start: 1970-01-01T00:00:02Z, stop: time(v: "1970-01-01T00:00:03.000Z"))
  |> filter(fn: (r) => r._measurement == "elec" and r["_field"] == "power")`);
    const r = evaluate(parseFlux(text), bucket);
    expect(view(r)).toEqual([
      {
        key: KEY,
        cols: [
          "_start:time",
          "_stop:time",
          "_time:time",
          "_value:float",
          "_field:string",
          "_measurement:string",
          "device:string",
        ],
        rows: [
          {
            _start: "1970-01-01T00:00:02Z",
            _stop: "1970-01-01T00:00:03Z",
            _time: "1970-01-01T00:00:02Z",
            _value: 21,
            _field: "power",
            _measurement: "elec",
            device: "m1",
          },
        ],
      },
      {
        key: [...KEY, "phase"],
        cols: [
          "_start:time",
          "_stop:time",
          "_time:time",
          "_value:float",
          "_field:string",
          "_measurement:string",
          "device:string",
          "phase:string",
        ],
        rows: [
          {
            _start: "1970-01-01T00:00:02Z",
            _stop: "1970-01-01T00:00:03Z",
            _time: "1970-01-01T00:00:02Z",
            _value: 11,
            _field: "power",
            _measurement: "elec",
            device: "m1",
            phase: "a",
          },
        ],
      },
    ]);
  });

  it('r.tag != "x" pushed down to storage keeps series without the tag (a missing tag is "" there)', async () => {
    const r = await run(`|> filter(fn: (r) => r._measurement == "elec" and r.phase != "a")`);
    expect(r.plan).toBe("ReadRange+filter");
    expect(view(r, TV)).toEqual([
      {
        key: KEY,
        cols: expect.any(Array),
        rows: [
          { _time: "1970-01-01T00:00:01Z", _value: 20 },
          { _time: "1970-01-01T00:00:02Z", _value: 21 },
        ],
      },
    ]);
  });

  it(
    "the same comparison evaluated by Flux (literal on the left: not pushed) drops them: " +
      'null != "a" is null',
    async () => {
      const r = await run(`|> filter(fn: (r) => r._measurement == "elec" and "a" != r.phase)`);
      expect(r.plan).toBe("ReadRange+filter |> filter");
      expect(r.tables).toEqual([]);
    },
  );

  it(
    'not r.tag == "a" is never pushed down; ' +
      "on a missing tag it is not null, i.e. null, and the row goes",
    async () => {
      const r = await run(`|> filter(fn: (r) => not r.phase == "a")`);
      expect(r.plan).toBe("ReadRange |> filter");
      expect(r.tables).toEqual([]);
    },
  );

  it("uses InfluxDB 2.7's null logic (null and x = false), not the spec's (null and true = null)", async () => {
    // m1 power: phase null -> (null and true) = false -> not false = true: kept (the spec would drop it).
    // phase a:  (true and true) -> not -> false: dropped.   hp: (null and false) = false -> true: kept.
    const r = await run(`|> filter(fn: (r) => not ("a" == r.phase and r._measurement == "elec"))`);
    expect(r.tables.map((t) => `${t.key.values[2]} ${t.key.values[3]} ${t.key.values[5] ?? "-"}`)).toEqual([
      "power elec -",
      "flow hp -",
      "on hp -",
      "starts hp -",
    ]);
    // null or x = x
    const o = await run(`|> filter(fn: (r) => "a" == r.phase or r._measurement == "hp")`);
    expect(o.tables.map((t) => `${t.key.values[2]} ${t.key.values[3]}`)).toEqual([
      "energy elec",
      "power elec",
      "flow hp",
      "on hp",
      "starts hp",
    ]);
  });

  it('exists and not exists are pushed down as a tag != "" / == "", also inside or; Flux agrees', async () => {
    // Three series of one field: home a (with a role), home b, no home (storage lists it first: its
    // series key `m` sorts before `m,home=…`).
    const homes = new Bucket("b");
    new Loader().loadText(
      homes,
      ["m,home=a,role=x v=1 1000000000", "m,home=b v=2 1000000000", "m v=3 1000000000"].join("\n"),
    );
    const values = async (fn: string) => {
      const r = await run(`|> filter(fn: (r) => ${fn})`, homes);
      return {
        plan: r.plan,
        values: r.tables.flatMap((t) => view({ plan: "", tables: [t] }, ["_value"])[0]!.rows),
      };
    };
    // The home filter of the report queries: a's points and the untagged ones, all in storage.
    expect(await values(`r.home == "a" or not exists r.home`)).toEqual({
      plan: "ReadRange+filter",
      values: [{ _value: 3 }, { _value: 1 }],
    });
    expect(await values(`exists r.home`)).toEqual({
      plan: "ReadRange+filter",
      values: [{ _value: 1 }, { _value: 2 }],
    });
    expect(await values(`not not exists r.role`)).toEqual({
      plan: "ReadRange+filter",
      values: [{ _value: 1 }],
    });
    // With the literal on the left nothing of the `or` is pushed: Flux evaluates it, exists is never
    // null ("a" == null is null, null or true is true), and the answer is the same.
    expect(await values(`"a" == r.home or not exists r.home`)).toEqual({
      plan: "ReadRange |> filter",
      values: [{ _value: 3 }, { _value: 1 }],
    });
    // A conjunct is pushed on its own: exists to storage, the comparison left to Flux.
    expect(await values(`exists r.home and "b" == r.home`)).toEqual({
      plan: "ReadRange+filter |> filter",
      values: [{ _value: 2 }],
    });
  });

  it('onEmpty: "keep" keeps emptied tables (and is never pushed down); count() gives 0 for them', async () => {
    const r = await run(`|> filter(fn: (r) => r._measurement == "hp")
  |> filter(fn: (r) => r._field == "none", onEmpty: "keep")
  |> count()`);
    expect(r.plan).toBe("ReadRange+filter |> filter |> count");
    expect(view(r)).toEqual(
      ["flow", "on", "starts"].map((f) => ({
        key: KEY,
        cols: [
          "_start:time",
          "_stop:time",
          "_field:string",
          "_measurement:string",
          "device:string",
          "_value:int",
        ],
        rows: [
          {
            _start: "1970-01-01T00:00:00Z",
            _stop: "1970-01-01T00:00:03Z",
            _field: f,
            _measurement: "hp",
            device: "h1",
            _value: 0n,
          },
        ],
      })),
    );
  });
});

describe("selectors and aggregates", () => {
  it(
    "count() right after the read is a storage aggregate: " +
      "_start, _stop, _value, then the tags; storage order",
    async () => {
      const r = await run(`|> filter(fn: (r) => r._measurement == "elec") |> count()`);
      expect(r.plan).toBe("ReadWindowAggregate(count)+filter");
      expect(r.tables.map((t) => t.cols.map((c) => c.label).join(","))).toEqual([
        "_start,_stop,_value,_field,_measurement,device",
        "_start,_stop,_value,_field,_measurement,device,phase",
        "_start,_stop,_value,_field,_measurement,device,phase",
      ]);
      expect(view(r, ["_field", "phase", "_value"]).map((t) => t.rows[0])).toEqual([
        { _field: "power", _value: 2n },
        { _field: "energy", phase: "a", _value: 2n },
        { _field: "power", phase: "a", _value: 2n },
      ]);
    },
  );

  it(
    "Flux's count() (after a filter storage cannot take) " +
      "puts _value last and emits tables sorted by group key",
    async () => {
      const r = await run(
        `|> filter(fn: (r) => r._measurement == "elec" and not r.device == "zz") |> count()`,
      );
      expect(r.plan).toBe("ReadRange+filter |> filter |> count");
      // by key: _field first ("energy" < "power"), then a key without phase before one with it
      expect(view(r, ["_field", "phase", "_value"]).map((t) => [t.cols.at(-1), t.rows[0]])).toEqual([
        ["_value:int", { _field: "energy", phase: "a", _value: 2n }],
        ["_value:int", { _field: "power", _value: 2n }],
        ["_value:int", { _field: "power", phase: "a", _value: 2n }],
      ]);
    },
  );

  it("a series without points in the range has no table at all, so count() gives no row, not 0", async () => {
    const text = await validFlux(`from(bucket: "b")
  |> range(start: 1970-01-01T00:00:02.6Z, stop: 1970-01-01T00:00:03Z)
  |> filter(fn: (r) => r._measurement == "hp")`);
    expect(evaluate(parseFlux(text), bucket).tables).toEqual([]);
    expect(evaluate(parseFlux(`${text} |> count()`), bucket).tables).toEqual([]);
  });

  it("first() and last() keep one row per table", async () => {
    const last = await run(`|> filter(fn: (r) => r._measurement == "elec") |> last()`);
    expect(view(last, TV).map((t) => t.rows)).toEqual([
      [{ _time: "1970-01-01T00:00:02Z", _value: 21 }],
      [{ _time: "1970-01-01T00:00:02Z", _value: 101n }],
      [{ _time: "1970-01-01T00:00:02Z", _value: 11 }],
    ]);
    const first = await run(`|> filter(fn: (r) => r._measurement == "hp") |> first()`);
    expect(view(first, TV).map((t) => t.rows)).toEqual([
      [{ _time: "1970-01-01T00:00:01.5Z", _value: 30.5 }],
      [{ _time: "1970-01-01T00:00:01.5Z", _value: true }],
      [{ _time: "1970-01-01T00:00:01.5Z", _value: 7n }],
    ]);
  });

  it("keep() shrinks the group key to the kept key columns and merges tables that now share a key", async () => {
    const r = await run(`|> filter(fn: (r) => r._measurement == "elec")
  |> keep(columns: ["_time", "_value", "_field"])
  |> first()`);
    expect(view(r)).toEqual([
      {
        key: ["_field"],
        cols: ["_time:time", "_value:int", "_field:string"],
        rows: [{ _time: "1970-01-01T00:00:01Z", _value: 100n, _field: "energy" }],
      },
      {
        // m1's power table arrived before phase a's, so its first row comes first
        key: ["_field"],
        cols: ["_time:time", "_value:float", "_field:string"],
        rows: [{ _time: "1970-01-01T00:00:01Z", _value: 20, _field: "power" }],
      },
    ]);
  });

  it("drop() removes columns and takes them out of the group key", async () => {
    const r = await run(`|> filter(fn: (r) => r._measurement == "hp" and r._field == "flow")
  |> drop(columns: ["device", "_start", "_stop"])`);
    expect(view(r)).toEqual([
      {
        key: ["_field", "_measurement"],
        cols: ["_time:time", "_value:float", "_field:string", "_measurement:string"],
        rows: [
          { _time: "1970-01-01T00:00:01.5Z", _value: 30.5, _field: "flow", _measurement: "hp" },
          { _time: "1970-01-01T00:00:02.5Z", _value: 31, _field: "flow", _measurement: "hp" },
        ],
      },
    ]);
  });
});

describe("group, sort, limit", () => {
  it("Flux group() merges tables: columns of the first table, new ones appended, missing values null", async () => {
    const r = await run(
      `|> filter(fn: (r) => r._measurement == "elec" and r._field == "power") |> first() |> group()`,
    );
    expect(r.plan).toBe("ReadWindowAggregate(first)+filter |> group");
    expect(view(r, ["_value", "phase"])).toEqual([
      {
        key: [],
        cols: [
          "_start:time",
          "_stop:time",
          "_time:time",
          "_value:float",
          "_field:string",
          "_measurement:string",
          "device:string",
          "phase:string",
        ],
        rows: [
          { _value: 20, phase: null },
          { _value: 10, phase: "a" },
        ],
      },
    ]);
  });

  it(
    "group() right after the read is a storage ReadGroup: " +
      '_start and _stop stay in the key, a missing tag reads ""',
    async () => {
      const r = await run(
        `|> filter(fn: (r) => r._measurement == "elec" and r._field == "power") |> group()`,
      );
      expect(r.plan).toBe("ReadGroup()+filter");
      expect(view(r, ["_value", "phase"])).toEqual([
        {
          key: ["_start", "_stop"],
          cols: expect.any(Array),
          rows: [
            { _value: 20, phase: "" },
            { _value: 21, phase: "" },
            { _value: 10, phase: "a" },
            { _value: 11, phase: "a" },
          ],
        },
      ]);
      // storage sorts groups by the tag values, a missing one last
      const byPhase = await run(
        `|> filter(fn: (r) => r._measurement == "elec" and r._field == "power") |> group(columns: ["phase"])`,
      );
      expect(view(byPhase, ["_value"]).map((t) => [t.key, t.rows])).toEqual([
        [
          ["_start", "_stop", "phase"],
          [{ _value: 10 }, { _value: 11 }],
        ],
        [
          ["_start", "_stop", "phase"],
          [{ _value: 20 }, { _value: 21 }],
        ],
      ]);
      expect(byPhase.tables.map((t) => t.key.values[2])).toEqual(["a", ""]);
    },
  );

  it("after group() a tag is an ordinary column: filter evaluates it row by row, a null row never passes", async () => {
    const merged = `|> filter(fn: (r) => r._measurement == "elec" and r._field == "power") |> first() |> group()`;
    const eq = await run(`${merged} |> filter(fn: (r) => r.phase == "a")`);
    expect(view(eq, ["_value", "phase"]).map((t) => t.rows)).toEqual([[{ _value: 10, phase: "a" }]]);
    // m1's row: null != "a" is null; phase a's row: false. Nothing is left, so the table goes.
    const ne = await run(`${merged} |> filter(fn: (r) => r.phase != "a")`);
    expect(ne.tables).toEqual([]);
  });

  it("group() |> group(columns:) keeps only the last group (MergeGroupRule), so storage groups by _field", async () => {
    const r = await run(
      `|> filter(fn: (r) => r._measurement == "hp") |> group() |> group(columns: ["_field"])`,
    );
    expect(r.plan).toBe("ReadGroup(_field)+filter");
    expect(r.error).toBeUndefined();
    expect(
      r.tables.map((t) => [t.key.cols.map((c) => c.label).join(","), t.key.values[2], t.length]),
    ).toEqual([
      ["_start,_stop,_field", "flow", 2],
      ["_start,_stop,_field", "on", 2],
      ["_start,_stop,_field", "starts", 2],
    ]);
  });

  it("Flux group(columns:) keys only on the named columns a table has, and sorts tables by key", async () => {
    const r = await run(`|> filter(fn: (r) => r._measurement == "elec" and r._field == "power")
  |> first()
  |> group(columns: ["phase"])`);
    expect(view(r, ["_value"]).map((t) => [t.key, t.rows])).toEqual([
      [[], [{ _value: 20 }]],
      [["phase"], [{ _value: 10 }]],
    ]);
    // tables come out in key order (h1 before m1), not in the order they arrived (m1 first)
    const byDevice = await run(`|> filter(fn: (r) => r._field == "power" or r._field == "flow")
  |> last()
  |> group(columns: ["device"])`);
    expect(view(byDevice, ["device", "_value"]).map((t) => t.rows)).toEqual([
      [{ device: "h1", _value: 31 }],
      [
        { device: "m1", _value: 21 },
        { device: "m1", _value: 11 },
      ],
    ]);
  });

  it("sort() sorts each table by _value ascending by default, desc: true reverses, nulls first ascending", async () => {
    const base = `|> filter(fn: (r) => r._measurement == "elec" and r._field == "power") |> group()`;
    const asc = await run(`${base} |> sort()`);
    expect(view(asc, ["_value"])[0]?.rows.map((x) => x._value)).toEqual([10, 11, 20, 21]);
    const desc = await run(`${base} |> sort(columns: ["_value"], desc: true)`);
    expect(view(desc, ["_value"])[0]?.rows.map((x) => x._value)).toEqual([21, 20, 11, 10]);
    const flux = `|> filter(fn: (r) => r._measurement == "elec" and r._field == "power") |> first() |> group()`;
    expect(view(await run(`${flux} |> sort(columns: ["phase"])`), ["phase"])[0]?.rows).toEqual([
      { phase: null },
      { phase: "a" },
    ]);
    expect(view(await run(`${flux} |> sort(columns: ["phase"], desc: true)`), ["phase"])[0]?.rows).toEqual([
      { phase: "a" },
      { phase: null },
    ]);
  });

  it("sort() ignores group-key columns (every row of a table shares them) and keeps the table order", async () => {
    const r = await run(
      `|> filter(fn: (r) => r._measurement == "hp") |> sort(columns: ["_field"], desc: true)`,
    );
    expect(view(r, ["_field", "_value"]).map((t) => t.rows.map((x) => x._value))).toEqual([
      [30.5, 31],
      [true, false],
      [7n, 8n],
    ]);
  });

  it("limit(n:, offset:) works per table; a table the offset skips entirely disappears", async () => {
    const r = await run(`|> filter(fn: (r) => r._measurement == "hp") |> limit(n: 1, offset: 1)`);
    expect(view(r, ["_value"]).map((t) => t.rows)).toEqual([
      [{ _value: 31 }],
      [{ _value: false }],
      [{ _value: 8n }],
    ]);
    const none = await run(`|> filter(fn: (r) => r._measurement == "hp") |> limit(n: 1, offset: 2)`);
    expect(none.tables).toEqual([]);
  });
});

describe("type clashes when tables merge", () => {
  const HP_FIRST = `|> filter(fn: (r) => r._measurement == "hp")
  |> first()
  |> group()`;

  it(
    "Flux group() fails at run time like InfluxDB 2.7: " +
      "the incoming type first, the function and its location",
    async () => {
      const r = await run(HP_FIRST);
      // line 5 is "  |> group()": the call spans columns 6-13 (end exclusive)
      expect(r.error).toEqual({
        code: "invalid",
        message:
          'runtime error @5:6-5:13: group: schema collision detected: column "_value" is both of type bool and float',
      });
      expect(r.tables).toEqual([]);
    },
  );

  it("the clash is reported by the next node that buffers tables, with that node's name", async () => {
    const sorted = await run(`${HP_FIRST}\n  |> sort(columns: ["_time"])`);
    expect(sorted.error?.message).toBe(
      'runtime error @6:6-6:30: sort: schema collision detected: column "_value" is both of type bool and float',
    );
    const kept = await run(`${HP_FIRST}\n  |> keep(columns: ["_time"])`);
    expect(kept.error?.message).toBe(
      'runtime error @6:6-6:30: keep: schema collision detected: column "_value" is both of type bool and float',
    );
    const limited = await run(`${HP_FIRST}\n  |> limit(n: 5)`);
    expect(limited.error?.message).toBe(
      'runtime error @6:6-6:17: limit: schema collision detected: column "_value" is both of type bool and float',
    );
  });

  it(
    "sort |> limit runs as one node that does not check types: " +
      "with a tie on _time the first table's row wins, no error",
    async () => {
      const r = await run(`${HP_FIRST}\n  |> sort(columns: ["_time"])\n  |> limit(n: 1)`);
      expect(r.plan).toBe("ReadWindowAggregate(first)+filter |> group |> sortLimit");
      expect(r.error).toBeUndefined();
      expect(view(r, ["_field", "_value"])[0]?.rows).toEqual([{ _field: "flow", _value: 30.5 }]);
    },
  );

  it("... and panics (HTTP 500) when a row of another type would be kept", async () => {
    const mix = new Bucket("b");
    new Loader().loadText(mix, "mix,device=x a=1.5 2000000000\nmix,device=x b=true 1000000000");
    const r = await run(`|> first() |> group() |> sort(columns: ["_time"]) |> limit(n: 1)`, mix);
    expect(r.error).toEqual({
      code: "internal error",
      message: "panic: interface conversion: array.Builder is *array.FloatBuilder, not *array.BooleanBuilder",
    });
  });

  it("a storage ReadGroup over mixed types streams the rows it read, then fails with storage's message", async () => {
    const r = await run(`|> filter(fn: (r) => r._measurement == "hp") |> group()`);
    expect(r.plan).toBe("ReadGroup()+filter");
    expect(view(r, ["_value"]).map((t) => t.rows)).toEqual([[{ _value: 30.5 }, { _value: 31 }]]);
    expect(r.error).toEqual({
      code: "invalid",
      message: "schema collision: cannot group float and boolean types together",
    });
    // read by a Flux node, the error names that node and no rows get through
    const filtered = await run(
      `|> filter(fn: (r) => r._measurement == "hp") |> group() |> filter(fn: (r) => r.device == "h1")`,
    );
    expect(filtered.tables).toEqual([]);
    expect(filtered.error?.message).toBe(
      "runtime error @3:62-3:97: filter: schema collision: cannot group float and boolean types together",
    );
  });

  it("storage's grouped count never clashes (counts are integers); grouped first() does", async () => {
    const count = await run(`|> filter(fn: (r) => r._measurement == "hp") |> group() |> count()`);
    expect(count.plan).toBe("ReadGroup(; count)+filter");
    expect(view(count)).toEqual([
      {
        key: ["_start", "_stop"],
        cols: ["_start:time", "_stop:time", "_value:int"],
        rows: [{ _start: "1970-01-01T00:00:00Z", _stop: "1970-01-01T00:00:03Z", _value: 6n }],
      },
    ]);
    const first = await run(`|> filter(fn: (r) => r._measurement == "hp") |> group() |> first()`);
    expect(first.tables).toEqual([]);
    expect(first.error?.message).toBe("schema collision: cannot group float and boolean types together");
  });
});
