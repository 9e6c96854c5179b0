/**
 * A local file is known by its content, not its name and size: an append extends its index (the
 * markers of the hours it held stay), anything else indexes it again under a new generation (every
 * marker changes), also when the size is the same or the file grew. A small file that changed
 * recently is checked in full; a large one (over 32 MiB) by its first and last indexed bytes; an old
 * small one is indexed again.
 */
import { appendFileSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { indexFile, rangeMarker, rangesFor } from "../../src/store/file-index.ts";

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const at = (hour: number) => T0 + hour * H;
const NOW = at(10_000);
/** One electric line; `v` keeps its length while it has the same number of digits. */
const line = (t: number, v: number) => `electric power_w=${v},energy_wh=${v} ${t}000000\n`;
/** Ten lines in each of the hours [from, to). */
const hours = (from: number, to: number, v = 1000) => {
  let out = "";
  for (let h = from; h < to; h++) for (let k = 0; k < 10; k++) out += line(at(h) + k * 60_000, v + k);
  return out;
};
const file = (text: string) => {
  const f = join(mkdtempSync(join(tmpdir(), "reports-identity-")), "a.lp");
  writeFileSync(f, text);
  return f;
};

describe("a local file's identity", () => {
  it("an append extends the index: the hours it held keep their markers", () => {
    const f = file(hours(0, 100));
    const first = indexFile(f, statSync(f), undefined, NOW);
    const before = rangeMarker(first, at(50), at(51));
    appendFileSync(f, hours(100, 101));
    const grown = indexFile(f, statSync(f), first, NOW);
    expect(grown.gen).toBe(first.gen);
    expect(rangeMarker(grown, at(50), at(51))).toBe(before);
    expect(grown.lastMs).toBe(at(100) + 9 * 60_000);
  });

  it("an edit in place with the same size: indexed again, every marker changes", () => {
    const text = hours(0, 100);
    const f = file(text);
    const first = indexFile(f, statSync(f), undefined, NOW);
    const before = rangeMarker(first, at(0), at(1));
    // Hour 50's first value 1000 -> 2000: same length, far past the first 4 KiB.
    const i = text.indexOf(`power_w=1000,energy_wh=1000 ${at(50)}`);
    expect(i).toBeGreaterThan(4096);
    writeFileSync(f, text.slice(0, i) + text.slice(i).replace("power_w=1000", "power_w=2000"));
    expect(statSync(f).size).toBe(text.length);
    const edited = indexFile(f, statSync(f), first, NOW);
    expect(edited.gen).not.toBe(first.gen);
    // Hour 0 did not change, but nothing says so without reading it: its days are computed again.
    expect(rangeMarker(edited, at(0), at(1))).not.toBe(before);
  });

  it("replaced by a fuller copy (lines put in the middle, the same inode): indexed again, not extended", () => {
    const gap = hours(0, 40) + hours(60, 100);
    const f = file(gap);
    const first = indexFile(f, statSync(f), undefined, NOW);
    expect(rangesFor(first, at(45), at(46))).toEqual([]);
    const ino = statSync(f).ino;
    writeFileSync(f, hours(0, 100));
    expect(statSync(f).ino).toBe(ino);
    const full = indexFile(f, statSync(f), first, NOW);
    expect(full.gen).not.toBe(first.gen);
    // The hours of the gap are there, where they are in the file.
    const [range] = rangesFor(full, at(45), at(46));
    const text = readFileSync(f, "utf8");
    expect(text.slice(range![0], range![1])).toBe(hours(45, 46));
  });

  it("a small file that changed more than a day ago and grew is indexed again (nothing to check it against)", () => {
    const f = file(hours(0, 10));
    const old = (Date.now() - 2 * 86_400_000) / 1000;
    utimesSync(f, old, old);
    const first = indexFile(f, statSync(f), undefined, NOW);
    expect(first.prefix).toBeNull();
    appendFileSync(f, hours(10, 11));
    const grown = indexFile(f, statSync(f), first, NOW);
    expect(grown.gen).not.toBe(first.gen);
    expect(grown.lastMs).toBe(at(10) + 9 * 60_000);
  });

  it("a file over 32 MiB: an append is told by its first and last indexed bytes, an insertion is not one", () => {
    // 56,000 hours of 10 lines of 62 bytes: 34.7 MB.
    const big = hours(0, 56_000, 100_000);
    expect(big.length).toBeGreaterThan(32 * 1024 * 1024);
    const f = file(big);
    const first = indexFile(f, statSync(f), undefined, NOW);
    expect(first.prefix).toBeNull();
    appendFileSync(f, hours(56_000, 56_001, 100_000));
    const grown = indexFile(f, statSync(f), first, NOW);
    expect(grown.gen).toBe(first.gen);
    expect(grown.lastMs).toBe(at(56_000) + 9 * 60_000);
    // A line put in after the first 4 KiB (and more appended): every byte after it shifted.
    const stamp = `${at(1000)}000000\n`;
    const i = big.indexOf(stamp) + stamp.length;
    writeFileSync(
      f,
      big.slice(0, i) + line(at(1000) + 30_000, 123_456) + big.slice(i) + hours(56_000, 56_002, 100_000),
    );
    expect(statSync(f).size).toBeGreaterThan(grown.size);
    const shifted = indexFile(f, statSync(f), grown, NOW);
    expect(shifted.gen).not.toBe(grown.gen);
    expect(rangesFor(shifted, at(1000), at(1001))).toHaveLength(1);
    expect(shifted.lines).toBe(560_021);
  });
});
