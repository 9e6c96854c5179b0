import { appendFileSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromStored, indexFile, rangeMarker, rangesFor, toStored } from "../../src/store/file-index.ts";
import { LocalSource } from "../../src/store/local-source.ts";

const H = 3_600_000;
// Hours of 2026-01-01 (UTC): believable times.
const T0 = Date.UTC(2026, 0, 1);
const at = (hour: number) => T0 + hour * H;
const NOW = at(100);
const line = (t: number, v: number) => `electric power_w=${v},energy_wh=${v} ${t}000000\n`;

describe("per-hour byte index", () => {
  it("indexes unsorted lines, survives a round trip, and reads only the hours asked for", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-index-"));
    const f = join(dir, "a.lp");
    // Hours 10, 12, 11 (out of order), a comment and a blank line.
    writeFileSync(f, line(at(10), 1) + "# comment\n\n" + line(at(12) + 5, 3) + line(at(11), 2));
    const idx = fromStored(JSON.parse(JSON.stringify(toStored(indexFile(f, statSync(f), undefined, NOW)))))!;
    expect([idx.firstMs, idx.lastMs]).toEqual([at(10), at(12) + 5]);
    expect(rangesFor(idx, at(11), at(12))).toHaveLength(1);
    expect(rangeMarker(idx, at(13), at(14))).toBe("");
    const src = new LocalSource({ path: f, cacheDir: null });
    const s = await src.samples(at(11), at(13));
    expect(s.elec.t).toEqual([at(11), at(12) + 5]);
    expect(s.elec.power).toEqual([2, 3]);
  });

  it("extends the index of an appended file and re-indexes a rewritten one", () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-index-"));
    const f = join(dir, "a.lp");
    // An unterminated last line (a write in progress) is left for later.
    writeFileSync(f, line(at(10), 1) + "electric power_w=2 ");
    const first = indexFile(f, statSync(f), undefined, NOW);
    expect(first.lastMs).toBe(at(10));
    const before = rangeMarker(first, at(10), at(11));
    appendFileSync(f, `${at(11)}000000\n` + line(at(12), 3));
    const grown = indexFile(f, statSync(f), first, NOW);
    expect(grown.lastMs).toBe(at(12));
    // Hour 10 did not change, so a closed day there keeps its fingerprint.
    expect(rangeMarker(grown, at(10), at(11))).toBe(before);
    writeFileSync(f, line(at(20), 9));
    const rewritten = indexFile(f, statSync(f), grown, NOW);
    expect([rewritten.firstMs, rewritten.lastMs]).toEqual([at(20), at(20)]);
  });

  it("serves a burst of queries from one look at the files, and sees new files once it has aged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-index-"));
    writeFileSync(join(dir, "a.lp"), line(at(10), 1));
    const held = new LocalSource({ path: dir, cacheDir: null, refreshTtlMs: 60_000 });
    const fresh = new LocalSource({ path: dir, cacheDir: null, refreshTtlMs: 0 });
    expect(await held.extent(0, at(100))).toEqual({ firstMs: at(10), lastMs: at(10) });
    expect(await fresh.extent(0, at(100))).toEqual({ firstMs: at(10), lastMs: at(10) });
    // A new journal segment appears within the same burst: the held look does not see it yet.
    writeFileSync(join(dir, "b.lp"), line(at(11), 2));
    expect(await held.extent(0, at(100))).toEqual({ firstMs: at(10), lastMs: at(10) });
    expect(await fresh.extent(0, at(100))).toEqual({ firstMs: at(10), lastMs: at(11) });
    expect((await fresh.samples(at(10), at(12))).elec.power).toEqual([1, 2]);
  });

  it(
    "extent: the first and last electric or heat pump point over several files, " +
      "inside the window asked for",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "reports-index-"));
      const other = (t: number) => `collector dropped=1i ${t}000000\n`;
      // a.lp: hour 5 holds only another measurement, hours 6 and 8 a point; b.lp: hours 7 and 20,
      // then hours 21 and 22 hold only the other measurement.
      writeFileSync(join(dir, "a.lp"), other(at(5)) + line(at(6) + 1, 0) + line(at(8) + 7, 1));
      writeFileSync(
        join(dir, "b.lp"),
        line(at(7) + 3, 2) + line(at(20) + 9, 3) + other(at(21)) + other(at(22)),
      );
      const src = new LocalSource({ path: dir, cacheDir: null });
      expect(await src.extent(0, at(100))).toEqual({ firstMs: at(6) + 1, lastMs: at(20) + 9 });
      // A window that starts after b.lp's hour 7 and ends before its hour 20.
      expect(await src.extent(at(7) + 4, at(20))).toEqual({ firstMs: at(8) + 7, lastMs: at(8) + 7 });
      // Only the other measurement inside the window: no extent.
      expect(await src.extent(at(21), at(23))).toBeNull();
    },
  );
});
