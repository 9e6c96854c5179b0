/**
 * Two homes in one store (HOME_ID, HOME_UNTAGGED): each store reads one home, the untagged points
 * only for the home HOME_UNTAGGED names, and another home's late data never changes this home's
 * closed days: the file index keeps each home's hours apart, the Flux count filters the home.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import { dayRange } from "../../../core/src/time.ts";
import {
  fromStored,
  homeMask,
  indexFile,
  INDEX_LAYOUT,
  rangeMarker,
  rangesFor,
  type StoredIndex,
  toStored,
} from "../../src/store/file-index.ts";
import { InfluxSource } from "../../src/store/influx-source.ts";
import { LocalSource } from "../../src/store/local-source.ts";
import { type InfluxStandIn, startInfluxStandIn } from "../helpers/flux-stand-in/index.ts";

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const at = (hour: number) => T0 + hour * H;
const NOW = at(100);
const A = { id: "a", readsUntagged: true };
const A_ONLY = { id: "a", readsUntagged: false };
const B = { id: "b", readsUntagged: false };
const elec = (home: string | null, t: number, w: number, role = "heatpump") =>
  `electric,device=m${home ? `,home=${home}` : ""},role=${role} power_w=${w},energy_wh=${w} ${t}000000\n`;

/** Hours 10 and 11 of homes a and b, hour 12 untagged, a's backup meter in hour 11. */
const TWO_HOMES =
  elec("a", at(10), 1) +
  elec("b", at(10) + 5, 100) +
  elec("a", at(11), 2) +
  elec("a", at(11) + 1, 3000, "backup") +
  elec("b", at(11) + 5, 101) +
  elec(null, at(12), 7) +
  elec("b", at(13), 102);

describe("the file index keeps each home's hours apart", () => {
  it("an entry per hour and home; a reader's ranges and markers are its home's only", () => {
    const f = join(mkdtempSync(join(tmpdir(), "reports-homes-")), "h.lp");
    writeFileSync(f, TWO_HOMES);
    const idx = fromStored(JSON.parse(JSON.stringify(toStored(indexFile(f, statSync(f), undefined, NOW)))))!;
    expect(idx.homes).toEqual(["a", "b", ""]);
    expect(toStored(idx).layout).toBe(INDEX_LAYOUT);
    // Entries: (10, a), (10, b), (11, a) two lines, (11, b), (12, untagged), (13, b).
    const lineLen = (i: number) => Buffer.byteLength(TWO_HOMES.split("\n")[i]!) + 1;
    const starts = [0];
    for (let i = 0; i < 7; i++) starts.push(starts[i]! + lineLen(i));
    const entries = Array.from(idx.table);
    expect(entries).toEqual(
      [
        [at(10) / H, 0, starts[0], starts[1], 1],
        [at(10) / H, 1, starts[1], starts[2], 1],
        [at(11) / H, 0, starts[2], starts[4], 2],
        [at(11) / H, 1, starts[4], starts[5], 1],
        [at(12) / H, 2, starts[5], starts[6], 1],
        [at(13) / H, 1, starts[6], starts[7], 1],
      ].flat(),
    );
    const a = homeMask(idx, A);
    const b = homeMask(idx, B);
    expect([...a, ...homeMask(idx, A_ONLY), ...b]).toEqual([1, 0, 1, 1, 0, 0, 0, 1, 0]);
    // a reads hour 10's line, hour 11's two, and the untagged hour 12: three byte ranges.
    expect(rangesFor(idx, at(10), at(13), a)).toEqual([
      [starts[0], starts[1]],
      [starts[2], starts[4]],
      [starts[5], starts[6]],
    ]);
    expect(rangesFor(idx, at(12), at(14), b)).toEqual([[starts[6], starts[7]]]);
    // Without a mask, every home's (as before homes).
    expect(rangesFor(idx, at(10), at(14))).toEqual([[0, starts[7]]]);
    expect(rangeMarker(idx, at(10), at(12), a)).toBe(`${idx.gen}:3:${starts[0]}:${starts[4]}`);
    expect(rangeMarker(idx, at(12), at(13), b)).toBe("");
  });

  it("another home's late line leaves this home's marker as it was, and changes its own", () => {
    const f = join(mkdtempSync(join(tmpdir(), "reports-homes-")), "h.lp");
    writeFileSync(f, TWO_HOMES);
    const first = indexFile(f, statSync(f), undefined, NOW);
    const markers = (i: typeof first) => [A, B].map((h) => rangeMarker(i, at(10), at(12), homeMask(i, h)));
    const [a, b] = markers(first);
    appendFileSync(f, elec("b", at(10) + 9, 103));
    const grown = indexFile(f, statSync(f), first, NOW);
    expect(grown.gen).toBe(first.gen);
    const [a2, b2] = markers(grown);
    expect(a2).toBe(a);
    expect(b2).not.toBe(b);
  });

  it("reads the home tag as parseLine does: escapes, the last tag, an empty value, a tag without =", () => {
    const f = join(mkdtempSync(join(tmpdir(), "reports-homes-")), "h.lp");
    writeFileSync(
      f,
      [
        `electric,home=x\\ y power_w=1 ${at(1)}000000`, // home "x y"
        `electric,ho\\me=x\\ y power_w=1 ${at(2)}000000`, // the key unescapes to home too
        `electric,home=a,home=b power_w=1 ${at(3)}000000`, // the last wins
        `electric,home= power_w=1 ${at(4)}000000`, // empty: no home
        `electric\\,home=a power_w=1 ${at(5)}000000`, // part of the measurement name
        `electric,home=é power_w=1 ${at(6)}000000`,
        "",
      ].join("\n"),
    );
    const idx = indexFile(f, statSync(f), undefined, NOW);
    expect(idx.homes).toEqual(["x y", "b", "", "é"]);
    expect(Array.from({ length: idx.table.length / 5 }, (_, i) => idx.table[i * 5 + 1])).toEqual([
      0, 0, 1, 2, 2, 3,
    ]);
  });
});

describe("the index's home of a line is parseLine's", () => {
  it("for every mix of escapes, repeated, empty and look-alike home tags and fields, across a chunk's end", () => {
    const measurements = ["electric", "elec\\ tric", "e\\,home=z"];
    const tags = [
      "",
      ",device=a",
      ",home=a",
      ",home=b",
      ",home=",
      ",ho\\me=c",
      ",home=x\\ y",
      ",home=a,home=b",
    ];
    const more = ["", ",role=home", ",xhome=q", ",home=a=b", ",home=b"];
    const fields = ["power_w=1", "power_w=1,home=5", 'note="a,home=z b"', 'note="x\\" y"'];
    const lines: string[] = [];
    for (const m of measurements)
      for (const t of tags) for (const u of more) for (const f of fields) lines.push(`${m}${t}${u} ${f}`);
    // A line of almost 8 MiB first: the mixes cross the end of the first chunk the index reads.
    const filler = `filler,home=f pad="${"p".repeat(8 * 1024 * 1024 - 200)}" ${at(0)}000000\n`;
    const f = join(mkdtempSync(join(tmpdir(), "reports-homes-")), "mix.lp");
    // Line i in hour i + 1: one table entry each.
    writeFileSync(f, filler + lines.map((l, i) => `${l} ${at(i + 1)}000000\n`).join(""));
    const idx = indexFile(f, statSync(f), undefined, at(lines.length + 10));
    const homeOfHour = new Map<number, string>();
    for (let k = 0; k < idx.table.length; k += 5)
      homeOfHour.set(idx.table[k]!, idx.homes[idx.table[k + 1]!]!);
    let compared = 0;
    lines.forEach((l, i) => {
      let parsed;
      try {
        parsed = parseLine(`${l} ${at(i + 1)}000000`);
      } catch {
        return; // refused by every reader: its home does not matter
      }
      expect([l, homeOfHour.get(at(i + 1) / H)]).toEqual([l, parsed?.tags.home ?? ""]);
      compared++;
    });
    expect(compared).toBeGreaterThan(400);
    expect(homeOfHour.get(at(0) / H)).toBe("f");
  });
});

describe("the local store reads one home", () => {
  it("samples, extent, latest and closed days' fingerprints of its home only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-homes-"));
    const f = join(dir, "h.lp");
    writeFileSync(f, TWO_HOMES);
    const src = (home: typeof A) =>
      new LocalSource({ path: dir, home, cacheDir: null, now: () => NOW, refreshTtlMs: 0 });
    const [a, aOnly, b] = [src(A), src(A_ONLY), src(B)];
    expect(new Set([a.id, aOnly.id, b.id]).size).toBe(3);
    const sa = await a.samples(at(0), at(20));
    expect([sa.elec.t, sa.elec.power]).toEqual([
      [at(10), at(11), at(12)],
      [1, 2, 7],
    ]);
    expect(sa.meters.backup?.power).toEqual([3000]);
    expect((await aOnly.samples(at(0), at(20))).elec.power).toEqual([1, 2]);
    expect((await b.samples(at(0), at(20))).elec.power).toEqual([100, 101, 102]);
    // Extent: a's first point, and its last (untagged, hour 12); b's last is hour 13's.
    expect(await a.extent(0, NOW)).toEqual({ firstMs: at(10), lastMs: at(12) });
    expect(await aOnly.extent(0, NOW)).toEqual({ firstMs: at(10), lastMs: at(11) + 1 });
    expect(await b.extent(0, NOW)).toEqual({ firstMs: at(10) + 5, lastMs: at(13) });
    expect((await aOnly.latest(0, NOW, ["electric.power_w"])).get("electric.power_w")).toEqual({
      t: at(11),
      v: 2,
    });
    // Late data of b in a's closed day: a's fingerprint stays, b's changes.
    const day = { day: "2026-01-01", startMs: at(6), endMs: at(12) };
    const [fa] = await a.fingerprints([day]);
    const [fb] = await b.fingerprints([day]);
    appendFileSync(f, elec("b", at(9), 104));
    expect(await a.fingerprints([day])).toEqual([fa]);
    expect((await b.fingerprints([day]))[0]).not.toBe(fb);
  });

  it("lines parseLine reads (escapes, the collector's) are filtered by home too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-homes-"));
    writeFileSync(
      join(dir, "h.lp"),
      [
        `collector,home=a,source=viessmann calls_today=3 ${at(1)}000000`,
        `collector,home=b,source=viessmann calls_today=90 ${at(1) + 1}000000`,
        `electric,device=x\\ y,home=b,role=backup power_w=5,energy_wh=5 ${at(1)}000000`,
        `electric,device=x\\ y,home=a,role=backup power_w=6,energy_wh=6 ${at(1)}000000`,
        "",
      ].join("\n"),
    );
    const s = await new LocalSource({ path: dir, home: A, cacheDir: null, now: () => NOW }).samples(0, NOW);
    expect(s.calls).toEqual({ t: [at(1)], v: [3] });
    expect(s.meters.backup?.power).toEqual([6]);
  });

  it("keeps the table in columns: 24 bytes an hour for one home, the homes only when there are more", () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-homes-"));
    const one = join(dir, "one.lp");
    // Hours 10 and 11 of home a, in bytes [0, 2 lines) and [2 lines, 3 lines).
    writeFileSync(one, elec("a", at(10), 1) + elec("a", at(10) + 1, 2) + elec("a", at(11), 3));
    const stored = toStored(indexFile(one, statSync(one), undefined, NOW));
    const len = Buffer.byteLength(elec("a", at(10), 1));
    expect(stored.homeOf).toBeNull();
    const col = (b64: string, size: 4 | 8) => Buffer.from(b64, "base64").byteLength / size;
    // 2 entries: 4 + 16 + 4 bytes each.
    expect([col(stored.hours, 4), col(stored.bytes, 8), col(stored.counts, 4)]).toEqual([2, 4, 2]);
    expect(Array.from(fromStored(stored)!.table)).toEqual([
      ...[at(10) / H, 0, 0, 2 * len, 2],
      ...[at(11) / H, 0, 2 * len, 3 * len, 1],
    ]);
    const two = join(dir, "two.lp");
    writeFileSync(two, TWO_HOMES);
    const both = toStored(indexFile(two, statSync(two), undefined, NOW));
    expect(Array.from(new Uint32Array(new Uint8Array(Buffer.from(both.homeOf!, "base64")).buffer))).toEqual([
      0, 1, 0, 1, 2, 1,
    ]);
  });

  /** TWO_HOMES read by home b with a cache folder: the folder, its index file's name, a reader. */
  async function indexedTwoHomes() {
    const dir = mkdtempSync(join(tmpdir(), "reports-homes-"));
    const cache = join(dir, "cache");
    writeFileSync(join(dir, "h.lp"), TWO_HOMES);
    const open = () => new LocalSource({ path: join(dir, "h.lp"), home: B, cacheDir: cache, now: () => NOW });
    expect((await open().samples(at(0), at(20))).elec.power).toEqual([100, 101, 102]);
    const [stored] = readdirSync(cache);
    return { cache, stored, open };
  }

  it("a damaged index is built again, never read", async () => {
    const { cache, stored, open } = await indexedTwoHomes();
    const good = JSON.parse(readFileSync(join(cache, stored!), "utf8")) as StoredIndex[];
    // Each damage alone: a short column, a home number the file does not have, a byte column cut mid-number.
    const zeros = (n: number) => Buffer.alloc(n).toString("base64");
    const home9 = Buffer.from(new Uint32Array([9, 9, 9, 9, 9, 9]).buffer).toString("base64");
    for (const damage of [
      { counts: zeros(4) },
      { homeOf: home9 },
      { bytes: zeros(44) },
      { hours: 7 },
      { homes: null },
    ]) {
      writeFileSync(join(cache, stored!), JSON.stringify(good.map((e) => ({ ...e, ...damage }))));
      expect(fromStored({ ...good[0]!, ...damage } as StoredIndex)).toBeUndefined();
      expect((await open().samples(at(0), at(20))).elec.power).toEqual([100, 101, 102]);
      expect(JSON.parse(readFileSync(join(cache, stored!), "utf8"))).toEqual(good);
    }
  });

  it("an index kept in an older layout is built again", async () => {
    const { cache, stored, open } = await indexedTwoHomes();
    const entries = JSON.parse(readFileSync(join(cache, stored!), "utf8")) as {
      layout: number;
      hours: string;
    }[];
    expect(entries[0]!.layout).toBe(INDEX_LAYOUT);
    // The layout before homes: four numbers an hour. Read as it is, b's hours would be garbage.
    const old = entries.map((e) => ({
      ...e,
      layout: 5,
      hours: Buffer.from(new Float64Array([1, 0, 1, 1]).buffer).toString("base64"),
    }));
    writeFileSync(join(cache, stored!), JSON.stringify(old));
    expect((await open().samples(at(0), at(20))).elec.power).toEqual([100, 101, 102]);
  });
});

describe("the InfluxDB store reads one home", () => {
  let standIn: InfluxStandIn;
  beforeAll(async () => {
    standIn = await startInfluxStandIn({ org: "home", bucket: "heatpump" });
    standIn.load(TWO_HOMES.trimEnd());
  });
  afterAll(() => standIn?.close());

  const src = (home: typeof A, now = NOW) =>
    new InfluxSource({
      url: standIn.url,
      token: standIn.token,
      org: "home",
      bucket: "heatpump",
      home,
      tz: "UTC",
      now: () => now,
    });

  it("samples, extent and latest of its home; ids and count caches apart", async () => {
    const [a, aOnly, b] = [src(A), src(A_ONLY), src(B)];
    expect(new Set([a.id, aOnly.id, b.id]).size).toBe(3);
    const sa = await a.samples(at(0), at(20));
    expect([sa.elec.t, sa.elec.power]).toEqual([
      [at(10), at(11), at(12)],
      [1, 2, 7],
    ]);
    expect(sa.meters.backup?.power).toEqual([3000]);
    expect((await aOnly.samples(at(0), at(20))).elec.power).toEqual([1, 2]);
    expect((await b.samples(at(0), at(20))).elec.power).toEqual([100, 101, 102]);
    expect(await a.extent(0, NOW)).toEqual({ firstMs: at(10), lastMs: at(12) });
    expect(await b.extent(0, NOW)).toEqual({ firstMs: at(10) + 5, lastMs: at(13) });
    expect((await aOnly.latest(0, NOW, ["electric.power_w"])).get("electric.power_w")).toEqual({
      t: at(11),
      v: 2,
    });
  });

  it("another home's late data leaves this home's closed days as they were", async () => {
    // Now: 2026-01-03 12:00 UTC; 2026-01-01 is a closed day inside the replay horizon.
    const now = Date.UTC(2026, 0, 3, 12);
    const day = dayRange("UTC", "2026-01-01");
    const [a, b] = [src(A, now), src(B, now)];
    const [fa] = await a.fingerprints([day]);
    const [fb] = await b.fingerprints([day]);
    standIn.load(elec("b", at(9), 104).trimEnd());
    const queries = a.queries;
    expect(await a.fingerprints([day])).toEqual([fa]);
    // One count, unchanged: no day counted again.
    expect(a.queries - queries).toBe(1);
    expect((await b.fingerprints([day]))[0]).not.toBe(fb);
  });
});
