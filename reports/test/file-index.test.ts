import { appendFileSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromStored, indexFile, rangeMarker, rangesFor, toStored } from "../src/file-index.ts";
import { LocalSource } from "../src/local-source.ts";

const H = 3_600_000;
const line = (t: number, v: number) => `electric power_w=${v},energy_wh=${v} ${t}000000\n`;

describe("per-hour byte index", () => {
  it("indexes unsorted lines, survives a round trip, and reads only the hours asked for", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-index-"));
    const f = join(dir, "a.lp");
    // Hours 10, 12, 11 (out of order), a comment and a blank line.
    writeFileSync(f, line(10 * H, 1) + "# comment\n\n" + line(12 * H + 5, 3) + line(11 * H, 2));
    const idx = fromStored(JSON.parse(JSON.stringify(toStored(indexFile(f, statSync(f), undefined)))));
    expect([idx.firstMs, idx.lastMs]).toEqual([10 * H, 12 * H + 5]);
    expect(rangesFor(idx, 11 * H, 12 * H)).toHaveLength(1);
    expect(rangeMarker(idx, 13 * H, 14 * H)).toBe("");
    const src = new LocalSource({ path: f, cacheDir: null });
    const s = await src.samples(11 * H, 13 * H);
    expect(s.elec.t).toEqual([11 * H, 12 * H + 5]);
    expect(s.elec.power).toEqual([2, 3]);
  });

  it("extends the index of an appended file and re-indexes a rewritten one", () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-index-"));
    const f = join(dir, "a.lp");
    // An unterminated last line (a write in progress) is left for later.
    writeFileSync(f, line(10 * H, 1) + "electric power_w=2 ");
    const first = indexFile(f, statSync(f), undefined);
    expect(first.lastMs).toBe(10 * H);
    const before = rangeMarker(first, 10 * H, 11 * H);
    appendFileSync(f, `${11 * H}000000\n` + line(12 * H, 3));
    const grown = indexFile(f, statSync(f), first);
    expect(grown.lastMs).toBe(12 * H);
    // Hour 10 did not change, so a closed day there keeps its fingerprint.
    expect(rangeMarker(grown, 10 * H, 11 * H)).toBe(before);
    writeFileSync(f, line(20 * H, 9));
    const rewritten = indexFile(f, statSync(f), grown);
    expect([rewritten.firstMs, rewritten.lastMs]).toEqual([20 * H, 20 * H]);
  });

  it("serves a burst of queries from one look at the files, and sees new files once it has aged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-index-"));
    writeFileSync(join(dir, "a.lp"), line(10 * H, 1));
    const held = new LocalSource({ path: dir, cacheDir: null, refreshTtlMs: 60_000 });
    const fresh = new LocalSource({ path: dir, cacheDir: null, refreshTtlMs: 0 });
    expect(await held.extent(0, 100 * H)).toEqual({ firstMs: 10 * H, lastMs: 10 * H });
    expect(await fresh.extent(0, 100 * H)).toEqual({ firstMs: 10 * H, lastMs: 10 * H });
    // A new journal segment appears within the same burst: the held look does not see it yet.
    writeFileSync(join(dir, "b.lp"), line(11 * H, 2));
    expect(await held.extent(0, 100 * H)).toEqual({ firstMs: 10 * H, lastMs: 10 * H });
    expect(await fresh.extent(0, 100 * H)).toEqual({ firstMs: 10 * H, lastMs: 11 * H });
    expect((await fresh.samples(10 * H, 12 * H)).elec.power).toEqual([1, 2]);
  });
});
