/**
 * Rows and five-minute buckets of local days. A closed day comes from the cache unless its source
 * fingerprint changed (asked once per cycle), an open day is computed once per cycle, and the days
 * that are neither are computed from the source in runs of adjacent days, one read per run (each day
 * from its own window of it, so a day is the same whichever days it is read with). With a
 * published history, a closed day the store now holds less data for is answered from it
 * (published-rows.ts).
 */
import type { DailyRow, DayBuckets } from "../types.ts";
import type { RawSource } from "../store/raw-source.ts";
import { LOOKAHEAD_MS, LOOKBACK_MS } from "../store/samples.ts";
import { computeDailyRow, type DailyOptions } from "../metrics/daily.ts";
import { computeBuckets } from "../metrics/day-buckets.ts";
import { PeriodError } from "../periods.ts";
import { addDays, dayList, dayRange, isDay, type DayRange } from "../../../core/src/time.ts";
import { DayCache } from "./cache.ts";
import type { Cycle } from "./cycle.ts";
import type { PublishedRows } from "./published-rows.ts";
import type { ReadOptions, Reads } from "./reads.ts";

/**
 * Days computed from one read of the source (bounds memory on a cold cache): a first build of three
 * years peaked 20-40 MB higher with two weeks per read.
 */
const BATCH_DAYS = 7;

export interface DayOptions extends DailyOptions, ReadOptions {
  tz: string;
  /** Folder of the day cache; null keeps it in memory. */
  cacheDir: string | null;
}

export interface Days {
  /** Daily rows for local days `from`..`to` inclusive; a closed day's row is the cached (frozen) object. */
  dailyRows(from: string, to: string): Promise<DailyRow[]>;
  dayBuckets(day: string): Promise<DayBuckets>;
}

export function createDays(
  raw: RawSource,
  o: DayOptions,
  current: () => Cycle,
  samples: Reads["windows"],
  published: PublishedRows,
): Days {
  // Everything a cached row depends on besides the source's data (its fingerprint).
  const key = JSON.stringify({
    src: raw.id,
    tz: o.tz,
    thr: o.thresholdW,
    e: o.elecIntervalMs,
    h: o.hpIntervalMs,
    max: o.maxPowerW,
  });
  const cache = new DayCache(o.cacheDir, key);

  /** The fingerprints of closed days, asked once per cycle. */
  async function fingerprints(c: Cycle, ranges: readonly DayRange[]): Promise<void> {
    const missing = ranges.filter((r) => r.endMs <= c.nowMs && !c.fingerprints.has(r.day));
    if (missing.length === 0) return;
    const fps = await raw.fingerprints(missing);
    missing.forEach((r, i) => c.fingerprints.set(r.day, fps[i]!));
  }

  /**
   * Computes the days of `ranges` that are neither cached (closed) nor computed in this cycle
   * (open), in runs of adjacent days, one read of the source per run.
   */
  async function compute(
    c: Cycle,
    ranges: readonly DayRange[],
    known: (r: DayRange) => boolean,
  ): Promise<void> {
    let i = 0;
    while (i < ranges.length) {
      if (known(ranges[i]!)) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < ranges.length && !known(ranges[j + 1]!) && j + 1 - i < BATCH_DAYS) j++;
      // Each day from [start - LOOKBACK_MS, end + LOOKAHEAD_MS): the data its fingerprint covers.
      const windows = ranges
        .slice(i, j + 1)
        .map((r) => ({ startMs: r.startMs - LOOKBACK_MS, stopMs: r.endMs + LOOKAHEAD_MS }));
      const read = await samples(c, windows);
      for (let k = i; k <= j; k++) {
        const r = ranges[k]!;
        const s = read[k - i]!;
        const row = computeDailyRow(s, r, c.nowMs, o);
        const buckets = computeBuckets(s, r, o);
        if (row.closed) cache.set(c.fingerprints.get(r.day)!, row, buckets);
        else {
          const { startMs: fromMs, stopMs: toMs } = windows[k - i]!;
          c.open.set(r.day, { row, buckets, samples: s, fromMs, toMs });
        }
      }
      i = j + 1;
    }
    cache.flush();
  }

  /** The rows the store's data gives for `from`..`to`. */
  async function storeRows(c: Cycle, from: string, to: string): Promise<DailyRow[]> {
    const ranges = dayList(from, to).map((d) => dayRange(o.tz, d));
    await fingerprints(c, ranges);
    const row = (r: DayRange) =>
      r.endMs <= c.nowMs ? cache.row(r.day, c.fingerprints.get(r.day)!) : c.open.get(r.day)?.row;
    await compute(c, ranges, (r) => row(r) !== undefined);
    return ranges.map((r) => row(r)!);
  }

  async function dailyRows(from: string, to: string): Promise<DailyRow[]> {
    checkDay(from);
    checkDay(to);
    if (to < from) return [];
    const c = current();
    // Whether the first and the last day lost data at their edges (a day's data reaches into the
    // day before and the day after) is told by those days' rows.
    const before = published.holds(from) && published.holds(addDays(from, -1));
    const after = published.holds(to) && published.holds(addDays(to, 1));
    const rows = await storeRows(c, before ? addDays(from, -1) : from, after ? addDays(to, 1) : to);
    const own = rows.slice(before ? 1 : 0, after ? rows.length - 1 : rows.length);
    return published.merge(own, before ? rows[0] : undefined, after ? rows.at(-1) : undefined);
  }

  async function dayBuckets(day: string): Promise<DayBuckets> {
    checkDay(day);
    const c = current();
    const r = dayRange(o.tz, day);
    if (r.endMs <= c.nowMs && published.holds(day)) {
      // A day answered from the published history draws its published buckets where there are any.
      await dailyRows(day, day);
      const kept = published.buckets(day);
      if (kept) return kept;
    }
    await fingerprints(c, [r]);
    const get = () =>
      r.endMs <= c.nowMs ? cache.buckets(r.day, c.fingerprints.get(r.day)!) : c.open.get(r.day)?.buckets;
    await compute(c, [r], () => get() !== undefined);
    return get()!;
  }

  return { dailyRows, dayBuckets };
}

function checkDay(d: string): void {
  if (!isDay(d)) throw new PeriodError(`day "${d}" is not valid: use YYYY-MM-DD, e.g. 2026-03-29`);
}
