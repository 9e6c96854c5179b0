/**
 * The report engine over a raw source: daily rows and five-minute buckets of days (days.ts), period
 * reports from them (period-report.ts), series and status (live-status.ts). The same code runs over
 * both stores; a store only answers raw questions (raw-source.ts), which the engine asks inside the
 * window of believable times (reads.ts).
 *
 * Work is done in cycles (cycle.ts): within one, the engine asks the store once for the extent and
 * for what changed, and computes each open day once. A cycle ends after 30 s, when the clock moved
 * by as much, or on refresh(). A site hands over what it published (keepPublished): a closed day the
 * store lost data of is answered from it (published-rows.ts).
 */
import type { Logger } from "../../../core/src/effects.ts";
import type { AnalysisSettings, DayBuckets, Reports, SeriesSet } from "../types.ts";
import type { RawSource } from "../store/raw-source.ts";
import { DEFAULT_SETTINGS } from "../rollup/period-analytics.ts";
import { seriesFromBuckets } from "../metrics/series.ts";
import { dayList, dayOf } from "../../../core/src/time.ts";
import { createCycles } from "./cycle.ts";
import { createReads } from "./reads.ts";
import { createDays, type DayOptions } from "./days.ts";
import { createPeriodReports } from "./period-report.ts";
import { createStatus } from "./live-status.ts";
import { PublishedRows } from "./published-rows.ts";

interface EngineOptions extends DayOptions {
  /** How periods are rolled up beyond energy and COP (degree days, the house, prices); default DEFAULT_SETTINGS. */
  settings?: AnalysisSettings;
  now: () => number;
  logger?: Logger;
}

type Engine = Reports & { close(): Promise<void> };

export function createEngine(raw: RawSource, options: EngineOptions): Engine {
  const o = { ...options, settings: options.settings ?? DEFAULT_SETTINGS };
  const cycles = createCycles(o.now);
  const current = cycles.current;
  const reads = createReads(raw, o, current);
  // A site's published history, when it hands one over (keepPublished): kept days count as data.
  const published = new PublishedRows();
  const { dailyRows, dayBuckets } = createDays(raw, o, current, reads.windows, published);
  const extent = async () => published.extent(await reads.extentDays(), dayOf(o.tz, current().nowMs));
  const report = createPeriodReports({
    tz: o.tz,
    settings: o.settings,
    nowMs: () => current().nowMs,
    dailyRows,
    extentDays: extent,
    latestValues: reads.latestValues,
  });
  const status = createStatus(raw, o, current, reads, dailyRows);

  /** Series of [startMs, stopMs) from the buckets of the local days it touches. */
  async function series(startMs: number, stopMs: number): Promise<SeriesSet> {
    const days = stopMs > startMs ? dayList(dayOf(o.tz, startMs), dayOf(o.tz, stopMs - 1)) : [];
    const buckets: DayBuckets[] = [];
    for (const d of days) buckets.push(await dayBuckets(d));
    return seriesFromBuckets(buckets, startMs, stopMs, o);
  }

  return {
    tz: o.tz,
    settings: o.settings,
    dailyRows,
    report,
    dayBuckets,
    series,
    status,
    extent,
    refresh: () => {
      // A new cycle, and a new look at the store (a file store holds one for a burst of questions).
      cycles.end();
      raw.lookAgain?.();
    },
    keepPublished: (history) => published.set(history),
    keptDays: () => published.keptDays(),
    storeExtent: reads.extentDays,
    close: () => raw.close(),
  };
}
