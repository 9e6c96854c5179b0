import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cacheDir, DayCache } from "../../src/engine/cache.ts";
import type { DailyRow } from "../../src/types.ts";
import { BUCKET_COLUMNS, type DayBuckets } from "../../src/types.ts";

/** A day's buckets whose values say which day they belong to (the day of month, then the bucket). */
function bucketsOf(day: string): DayBuckets {
  const d = Number(day.slice(8));
  const values = Object.fromEntries(
    BUCKET_COLUMNS.map((c, k) => [c, [d * 100 + k, null, d * 100 + k + 0.5]]),
  ) as DayBuckets["values"];
  return { day, startMs: Date.parse(`${day}T00:00:00Z`), values };
}
const rowOf = (day: string) => ({ day, elec_kwh: Number(day.slice(5, 7)) }) as unknown as DailyRow;

// One day in each of six months: more months of buckets than the cache holds in memory.
const DAYS = ["2025-10-03", "2025-11-04", "2025-12-05", "2026-01-06", "2026-02-07", "2026-03-08"];

describe("day cache", () => {
  it("lets go of old months of buckets without losing one, before and after a flush", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "day-cache-"));
    const dir = cacheDir(dataDir);
    const cache = new DayCache(dir, "key");
    for (const day of DAYS) cache.set(`fp-${day}`, rowOf(day), bucketsOf(day));

    // Months it let go of are already on disk (written when let go, not only on flush).
    const bucketFolder = readdirSync(dir).find((f) => f.startsWith("buckets-"))!;
    expect(existsSync(join(dir, bucketFolder, "2025-10.json"))).toBe(true);
    // ...and read again when asked for, with the same values.
    expect(cache.buckets("2025-10-03", "fp-2025-10-03")).toEqual(bucketsOf("2025-10-03"));
    expect(cache.buckets("2025-10-03", "another fingerprint")).toBeUndefined();

    cache.flush();
    const again = new DayCache(dir, "key");
    for (const day of DAYS) {
      expect(again.buckets(day, `fp-${day}`)).toEqual(bucketsOf(day));
      expect(again.row(day, `fp-${day}`)).toEqual(rowOf(day));
    }
    // A cache of another key does not see them.
    expect(new DayCache(dir, "other").row(DAYS[0]!, `fp-${DAYS[0]}`)).toBeUndefined();
  });

  it("a change to a month it let go of and read again is written too", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "day-cache-"));
    const dir = cacheDir(dataDir);
    const cache = new DayCache(dir, "key");
    for (const day of DAYS) cache.set(`fp-${day}`, rowOf(day), bucketsOf(day));
    // October again (let go of), a second day.
    cache.set("fp-2025-10-20", rowOf("2025-10-20"), bucketsOf("2025-10-20"));
    for (const day of DAYS.slice(1)) cache.buckets(day, `fp-${day}`); // October is let go of again
    cache.flush();
    const again = new DayCache(dir, "key");
    expect(again.buckets("2025-10-20", "fp-2025-10-20")).toEqual(bucketsOf("2025-10-20"));
    expect(again.buckets("2025-10-03", "fp-2025-10-03")).toEqual(bucketsOf("2025-10-03"));
  });

  it("hands out one frozen row per day and fingerprint, and the new one after a change", () => {
    const cache = new DayCache(cacheDir(mkdtempSync(join(tmpdir(), "day-cache-"))), "key");
    cache.set("fp1", rowOf("2026-03-08"), bucketsOf("2026-03-08"));
    const first = cache.row("2026-03-08", "fp1")!;
    expect(cache.row("2026-03-08", "fp1")).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // The day recomputed from changed data: the old object is not handed out for it.
    cache.set("fp2", { ...rowOf("2026-03-08"), elec_kwh: 9.5 }, bucketsOf("2026-03-08"));
    expect(cache.row("2026-03-08", "fp1")).toBeUndefined();
    expect(cache.row("2026-03-08", "fp2")!.elec_kwh).toBe(9.5);
  });

  it("keeps a day's buckets as JSON text in the month's file, and computes a damaged entry again", () => {
    const dir = cacheDir(mkdtempSync(join(tmpdir(), "day-cache-")));
    const cache = new DayCache(dir, "key");
    for (const day of ["2026-03-08", "2026-03-09", "2026-03-10"])
      cache.set(`fp-${day}`, rowOf(day), bucketsOf(day));
    cache.flush();
    const folder = (kind: string) =>
      join(
        dir,
        readdirSync(dir).find((f) => f.startsWith(kind))!,
      );
    const bucketFile = join(folder("buckets-"), "2026-03.json");
    const month = JSON.parse(readFileSync(bucketFile, "utf8")) as { days: Record<string, unknown[]> };
    // [fingerprint, text]: the text holds startMs then the columns, read only for the day drawn.
    const [fp, text] = month.days["2026-03-09"]!;
    expect(fp).toBe("fp-2026-03-09");
    expect(JSON.parse(text as string)).toEqual([
      Date.parse("2026-03-09T00:00:00Z"),
      ...BUCKET_COLUMNS.map((_, k) => [900 + k, null, 900 + k + 0.5]),
    ]);
    // Rows stay plain values: every cycle reads all of them.
    const rows = JSON.parse(readFileSync(join(folder("days-"), "2026-03.json"), "utf8")) as typeof month;
    expect(rows.days["2026-03-09"]).toEqual(["fp-2026-03-09", "2026-03-09", 3]);

    month.days["2026-03-08"] = ["fp-2026-03-08", "[1, 2"]; // torn text
    month.days["2026-03-09"] = ["fp-2026-03-09", "[1, 2]"]; // too few values
    month.days["2026-03-10"] = ["fp-2026-03-10", 5]; // not text
    writeFileSync(bucketFile, JSON.stringify(month));
    rows.days["2026-03-09"] = ["fp-2026-03-09", "2026-03-09"]; // a row short of a value
    writeFileSync(join(folder("days-"), "2026-03.json"), JSON.stringify(rows));
    const again = new DayCache(dir, "key");
    for (const day of ["2026-03-08", "2026-03-09", "2026-03-10"])
      expect(again.buckets(day, `fp-${day}`)).toBeUndefined();
    expect(again.row("2026-03-09", "fp-2026-03-09")).toBeUndefined();
    expect(again.row("2026-03-10", "fp-2026-03-10")).toEqual(rowOf("2026-03-10"));
  });
});
