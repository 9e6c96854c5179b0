import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LineProtocolParser } from "../helpers/flux-stand-in/line-protocol.ts";
import { Bucket, Loader, LoadError } from "../helpers/flux-stand-in/store.ts";

const parse = (text: string, precision: "ns" | "us" | "ms" | "s" = "ns") =>
  new LineProtocolParser().parse(text, { precision });

describe("line protocol tokenizer", () => {
  it("keeps InfluxDB's field types: float, integer, unsigned, boolean, string", () => {
    const { batch, failures } = parse(
      'm,host=a f=1,g=-2i,u=3u,b=t,B=FALSE,s="x \\"y\\" \\\\ z",e=1.5e3,n=-.5 1700000000000000001',
    );
    expect(failures).toEqual([]);
    const [p] = batch.points();
    expect(p?.fields).toEqual([
      { key: "f", type: "float", value: 1 },
      { key: "g", type: "int", value: -2n },
      { key: "u", type: "uint", value: 3n },
      { key: "b", type: "bool", value: true },
      { key: "B", type: "bool", value: false },
      { key: "s", type: "string", value: 'x "y" \\ z' },
      { key: "e", type: "float", value: 1500 },
      { key: "n", type: "float", value: -0.5 },
    ]);
    // exact nanoseconds, beyond what a JS number can hold
    expect(p?.timeNs).toBe(1700000000000000001n);
  });

  it("unescapes measurement, tag and field keys and sorts tags into the series key", () => {
    const { batch } = parse("my\\ m,z=1,a\\,b=x\\ y f\\=k=1 10");
    const [p] = batch.points();
    expect(p?.series.measurement).toBe("my m");
    expect(p?.series.tags).toEqual([
      ["a,b", "x y"],
      ["z", "1"],
    ]);
    expect(p?.series.key).toBe("my\\ m,a\\,b=x\\ y,z=1");
    expect(p?.fields[0]?.key).toBe("f=k");
  });

  it("scales timestamps by the precision", () => {
    expect(parse("m f=1 1700000000", "s").batch.times).toEqual([1700000000000000000n]);
    expect(parse("m f=1 1700000000123", "ms").batch.times).toEqual([1700000000123000000n]);
    expect(parse("m f=1 5", "us").batch.times).toEqual([5000n]);
  });

  it("reports bad lines with InfluxDB's sentences and skips comments and blank lines", () => {
    const { batch, failures } = parse(
      [
        "# comment",
        "",
        "m",
        "m f= 1",
        "m f=1 12x",
        "m f=abc",
        'm s="open',
        "m,t= f=1",
        "m f=1i 1",
        "m,t=1 f=12x",
      ].join("\n"),
    );
    expect(batch.length).toBe(1);
    expect(failures).toEqual([
      "unable to parse 'm': missing fields",
      "unable to parse 'm f= 1': missing field value",
      "unable to parse 'm f=1 12x': bad timestamp",
      "unable to parse 'm f=abc': invalid field format",
      "unable to parse 'm s=\"open': unbalanced quotes",
      "unable to parse 'm,t= f=1': missing tag value",
      "unable to parse 'm,t=1 f=12x': invalid number",
    ]);
  });
});

describe("stand-in storage", () => {
  const read = (b: Bucket, field: string) => {
    const s = b.series().find((x) => x.field === field);
    if (!s) throw new Error(`no series ${field}`);
    const r = s.read(0n, 10n ** 18n);
    return { times: [...r.times], values: Array.from(r.values as ArrayLike<unknown>) };
  };

  it("keeps points sorted and lets a later write of the same series and time win, field by field", () => {
    const b = new Bucket("b");
    const loader = new Loader();
    loader.loadText(b, "m f=1,g=2 2000\nm f=5 1000");
    loader.loadText(b, "m f=3 2000\nm g=7 500");
    expect(read(b, "f")).toEqual({ times: [1000n, 2000n], values: [5, 3] });
    expect(read(b, "g")).toEqual({ times: [500n, 2000n], values: [7, 2] });
  });

  it("drops a point whose field type clashes with the measurement's, with InfluxDB's reason", () => {
    const b = new Bucket("b");
    const parser = new LineProtocolParser();
    const r = b.write(parser.parse("m,d=1 f=1 1\nm,d=2 f=2i 2\nm,d=2 f=3 3\nm,d=3 g=1i,f=true 4").batch);
    expect(r).toEqual({
      points: 2,
      dropped: 2,
      reason:
        'field type conflict: input field "f" on measurement "m" is type integer, already exists as type float',
    });
    expect(b.series().map((s) => `${s.seriesKey} ${s.field}`)).toEqual(["m,d=1 f", "m,d=2 f"]);
  });

  it("lists series in storage read order: measurement, series key, field", () => {
    const b = new Bucket("b");
    new Loader().loadText(b, "z,a=1 x=1 1\nm,b=2 y=1,a=1 1\nm,a=1,b=2 c=1 1\nm f=1 1");
    expect(b.series().map((s) => `${s.seriesKey} ${s.field}`)).toEqual([
      "m f",
      "m,a=1,b=2 c",
      "m,b=2 a",
      "m,b=2 y",
      "z,a=1 x",
    ]);
  });

  it("reads [start, stop) by binary search, also for a field that skipped points", () => {
    const b = new Bucket("b");
    new Loader().loadText(b, "m f=1,g=1 10\nm f=2 20\nm f=3,g=3 30\nm f=4 40");
    const g = b.series().find((s) => s.field === "g");
    const r = g?.read(20n, 40n);
    expect([...(r?.times ?? [])]).toEqual([30n]);
    expect([...((r?.values as Float64Array) ?? [])]).toEqual([3]);
    const f = b
      .series()
      .find((s) => s.field === "f")
      ?.read(10n, 30n);
    expect([...(f?.times ?? [])]).toEqual([10n, 20n]);
  });

  it("loads a directory of .lp files and rejects a batch with a bad line, naming the file and lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "stand-in-lp-"));
    writeFileSync(join(dir, "a.lp"), "m f=1 1\nm f=2 2\n");
    writeFileSync(join(dir, "b.lp"), "m f=3 3\n");
    writeFileSync(join(dir, "notes.txt"), "not line protocol");
    const b = new Bucket("b");
    expect(new Loader().loadPath(b, dir)).toEqual({ points: 3, dropped: 0 });
    writeFileSync(join(dir, "c.lp"), "m f=4 4\nm f=oops 5\n");
    expect(() => new Loader().loadFile(b, join(dir, "c.lp"))).toThrow(LoadError);
    expect(() => new Loader().loadFile(b, join(dir, "c.lp"))).toThrow(
      `${join(dir, "c.lp")}:2: unable to parse 'm f=oops 5': invalid field format`,
    );
    expect(b.pointCount).toBe(3);
  });
});
