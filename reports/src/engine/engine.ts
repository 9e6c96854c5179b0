/**
 * The report engine over a raw source: daily rows and five-minute buckets (closed days from the
 * cache unless their source fingerprint changed), period reports, series and status. The same code
 * runs over both stores; a store only answers raw questions (raw-source.ts).
 *
 * Work is done in cycles: within one, the engine asks the store once for the extent and for what
 * changed, and computes each open day once (the site builder asks for today five or six times per
 * build: status, day, week, month, season, dashboard). A cycle ends after CYCLE_MS, when the clock
 * moved by as much, or on refresh().
 */
import type { Logger } from "../../../core/src/effects.ts";
import type {
  AnalysisSettings,
  DailyRow,
  PeriodId,
  PeriodReport,
  Reports,
  SeriesSet,
  Status,
} from "../types.ts";
import type { RawSource } from "../store/raw-source.ts";
import { DayCache } from "./cache.ts";
import { computeDailyRow, type DailyOptions } from "../metrics/daily.ts";
import { judgeSamples } from "../metrics/counters.ts";
import { computeBuckets, type DayBuckets } from "../metrics/day-buckets.ts";
import { LOOKBACK_MS } from "../metrics/primitives.ts";
import { monthOf, periodDays, periodLabel, PeriodError, shiftPeriod } from "../periods.ts";
import { clip, plausibleWindow } from "../store/plausible.ts";
import { DEFAULT_SETTINGS } from "../rollup/period-analytics.ts";
import { progressOf } from "../rollup/progress.ts";
import { rollup } from "../rollup/rollup.ts";
import { emptySamples, sliceSamples, type Samples } from "../store/samples.ts";
import { seriesFromBuckets } from "../metrics/series.ts";
import { buildStatus, STATUS_FIELDS } from "../metrics/status.ts";
import {
  addDays,
  dayList,
  dayOf,
  dayRange,
  daysBetween,
  isDay,
  type DayRange,
} from "../../../core/src/time.ts";

export interface EngineOptions extends DailyOptions {
  tz: string;
  /** The most the installation can draw (W): counters may not rise faster (counters.ts). */
  maxPowerW: number;
  meterBoundary: string;
  /** How periods are rolled up beyond energy and COP (degree days, the house, prices); default DEFAULT_SETTINGS. */
  settings?: AnalysisSettings;
  /** Folder of the day cache; null keeps it in memory. */
  cacheDir: string | null;
  now: () => number;
  logger?: Logger;
}

/** Longest a cycle lasts (ms of wall time, and of the engine's clock). */
const CYCLE_MS = 30_000;

/**
 * Days computed from one read of the source (bounds memory on a cold cache): a first build of three
 * years peaked 20-40 MB higher with two weeks per read.
 */
const BATCH_DAYS = 7;

/** How far back the status looks for the newest value of a field (ms). */
const LATEST_SPAN_MS = 31 * 86_400_000;

interface OpenDay {
  row: DailyRow;
  buckets: DayBuckets;
  /** The samples it was computed from (the status reads the newest interval from them). */
  samples: Samples;
  /** The range those samples cover. */
  fromMs: number;
  toMs: number;
}

interface Cycle {
  wallMs: number;
  nowMs: number;
  extent?: Promise<{ first: string; last: string } | null>;
  fingerprints: Map<string, string>;
  open: Map<string, OpenDay>;
}

export type Engine = Reports & { close(): Promise<void> };

export function createEngine(raw: RawSource, options: EngineOptions): Engine {
  const o = { ...options, settings: options.settings ?? DEFAULT_SETTINGS };
  const key = JSON.stringify({
    src: raw.id,
    tz: o.tz,
    thr: o.thresholdW,
    e: o.elecIntervalMs,
    h: o.hpIntervalMs,
    max: o.maxPowerW,
  });
  const cache = new DayCache(o.cacheDir, key);
  let cycle: Cycle | undefined;

  function current(): Cycle {
    const wallMs = performance.now();
    const nowMs = o.now();
    if (!cycle || wallMs - cycle.wallMs > CYCLE_MS || Math.abs(nowMs - cycle.nowMs) > CYCLE_MS)
      cycle = { wallMs, nowMs, fingerprints: new Map(), open: new Map() };
    return cycle;
  }

  /** The fingerprints of closed days, asked once per cycle. */
  async function fingerprints(c: Cycle, ranges: readonly DayRange[]): Promise<void> {
    const missing = ranges.filter((r) => r.endMs <= c.nowMs && !c.fingerprints.has(r.day));
    if (missing.length === 0) return;
    const fps = await raw.fingerprints(missing);
    missing.forEach((r, i) => c.fingerprints.set(r.day, fps[i]!));
  }

  /** Samples of [startMs, stopMs) inside the window of believable times, counters judged. */
  async function samples(c: Cycle, startMs: number, stopMs: number): Promise<Samples> {
    const w = clip(plausibleWindow(c.nowMs), startMs, stopMs);
    return judgeSamples(await raw.samples(w.startMs, w.stopMs), o.maxPowerW);
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
      const fromMs = ranges[i]!.startMs - LOOKBACK_MS;
      const toMs = ranges[j]!.endMs;
      const s = await samples(c, fromMs, toMs);
      for (let k = i; k <= j; k++) {
        const r = ranges[k]!;
        const row = computeDailyRow(s, r, c.nowMs, o);
        const buckets = computeBuckets(s, r, o);
        if (row.closed) cache.set(c.fingerprints.get(r.day)!, row, buckets);
        else c.open.set(r.day, { row, buckets, samples: s, fromMs, toMs });
      }
      i = j + 1;
    }
    cache.flush();
  }

  async function dailyRows(from: string, to: string): Promise<DailyRow[]> {
    for (const d of [from, to])
      if (!isDay(d)) throw new PeriodError(`day "${d}" is not valid: use YYYY-MM-DD, e.g. 2026-03-29`);
    if (to < from) return [];
    const c = current();
    const ranges = dayList(from, to).map((d) => dayRange(o.tz, d));
    await fingerprints(c, ranges);
    const row = (r: DayRange) =>
      r.endMs <= c.nowMs ? cache.row(r.day, c.fingerprints.get(r.day)!) : c.open.get(r.day)?.row;
    await compute(c, ranges, (r) => row(r) !== undefined);
    return ranges.map((r) => row(r)!);
  }

  async function dayBuckets(day: string): Promise<DayBuckets> {
    if (!isDay(day)) throw new PeriodError(`day "${day}" is not valid: use YYYY-MM-DD, e.g. 2026-03-29`);
    const c = current();
    const r = dayRange(o.tz, day);
    await fingerprints(c, [r]);
    const get = () =>
      r.endMs <= c.nowMs ? cache.buckets(r.day, c.fingerprints.get(r.day)!) : c.open.get(r.day)?.buckets;
    await compute(c, [r], () => get() !== undefined);
    return get()!;
  }

  async function series(startMs: number, stopMs: number): Promise<SeriesSet> {
    const days = stopMs > startMs ? dayList(dayOf(o.tz, startMs), dayOf(o.tz, stopMs - 1)) : [];
    const buckets: DayBuckets[] = [];
    for (const d of days) buckets.push(await dayBuckets(d));
    return seriesFromBuckets(buckets, startMs, stopMs, o);
  }

  async function extentDays(): Promise<{ first: string; last: string } | null> {
    const c = current();
    c.extent ??= (async () => {
      const w = plausibleWindow(c.nowMs);
      const e = await raw.extent(w.startMs, w.stopMs);
      return e ? { first: dayOf(o.tz, e.firstMs), last: dayOf(o.tz, e.lastMs) } : null;
    })();
    return c.extent;
  }

  async function report(p: PeriodId): Promise<PeriodReport> {
    const { first, last } = periodDays(p.kind, p.id);
    const c = current();
    const today = dayOf(o.tz, c.nowMs);
    const lastRow = last < today ? last : today;
    const rows = first <= lastRow ? await dailyRows(first, lastRow) : [];
    const ext = await extentDays();
    const prevId = shiftPeriod(p.kind, p.id, -1);
    const nextId = shiftPeriod(p.kind, p.id, +1);
    const prevDays = periodDays(p.kind, prevId);
    const nextDays = periodDays(p.kind, nextId);
    const hasPrev = ext !== null && prevDays.last >= ext.first;
    const hasNext = ext !== null && nextDays.first <= ext.last && nextDays.first <= today;
    // Days and weeks are too short for a fit of the house; months and seasons get one.
    const analytics = { settings: o.settings, fitHouse: p.kind === "month" || p.kind === "season" };
    const startMs = dayRange(o.tz, first).startMs;
    const endMs = dayRange(o.tz, last).endMs;
    const progress =
      first <= today && today <= last
        ? progressOf(rows, startMs, endMs, c.nowMs, length(prevDays), analytics)
        : null;
    let previous = null;
    if (hasPrev && !progress) {
      const prevRows = await dailyRows(prevDays.first, prevDays.last < today ? prevDays.last : today);
      previous = rollup(prevRows, length(prevDays), analytics, c.nowMs);
    } else if (hasPrev && progress && progress.compared_days > 0) {
      // Like for like: the previous period's first N days against this one's N complete days.
      const n = progress.compared_days;
      previous = rollup(
        await dailyRows(prevDays.first, addDays(prevDays.first, n - 1)),
        n,
        analytics,
        c.nowMs,
      );
    }
    const out: PeriodReport = {
      ...rollup(rows, length({ first, last }), analytics, c.nowMs),
      kind: p.kind,
      id: p.id,
      label: periodLabel(p.kind, p.id),
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      prev: hasPrev ? prevId : null,
      next: hasNext ? nextId : null,
      rows,
      previous,
      progress,
      tz: o.tz,
      settings: o.settings,
    };
    if (p.kind === "season") {
      const months = Map.groupBy(rows, (r) => monthOf(r.day));
      const monthly = { settings: o.settings, fitHouse: true };
      out.months = [...months].map(([id, rs]) => ({
        id,
        ...rollup(rs, length(periodDays("month", id)), monthly, c.nowMs),
      }));
      out.meter_boundary = o.meterBoundary;
      const latest = await latestValues(Math.min(c.nowMs, dayRange(o.tz, last).endMs), [
        "heatpump.curve_slope",
        "heatpump.curve_shift",
      ]);
      const slope = latest.get("heatpump.curve_slope");
      const shift = latest.get("heatpump.curve_shift");
      out.curve = slope && shift ? { slope: slope.v, shift: shift.v } : null;
    }
    return out;
  }

  /** Newest values at or before `atMs`, looked for in the 31 days before it. */
  function latestValues(atMs: number, fields: readonly string[]) {
    const w = clip(plausibleWindow(current().nowMs), atMs - LATEST_SPAN_MS, atMs + 1);
    return raw.latest(w.startMs, w.stopMs, fields);
  }

  async function status(nowMs: number): Promise<Status> {
    const c = current();
    const latest = await latestValues(nowMs, STATUS_FIELDS);
    const today = dayOf(o.tz, nowMs);
    const [row] = await dailyRows(today, today);
    // COP now needs the samples of the newest heat pump interval: from today's, read this cycle.
    const hpT = latest.get("heatpump.flow_c")?.t ?? latest.get("heatpump.outside_c")?.t;
    let recent: Samples;
    if (hpT === undefined) recent = emptySamples();
    else {
      const from = hpT - 3 * o.hpIntervalMs;
      const open = c.open.get(today);
      recent =
        open && open.fromMs <= from && open.toMs > hpT
          ? sliceSamples(open.samples, from, hpT + 1)
          : await samples(c, from, hpT + 1);
    }
    const lastElec = latest.get("electric.power_w")?.t ?? null;
    const problems = raw.problems?.() ?? [];
    const status = buildStatus({
      nowMs,
      tz: o.tz,
      latest,
      recent,
      copToday: row?.cop ?? null,
      copTodayMs: lastElec,
      elecIntervalMs: o.elecIntervalMs,
      hpIntervalMs: o.hpIntervalMs,
      thresholdW: o.thresholdW,
    });
    return problems.length > 0 ? { ...status, file_problems: problems } : status;
  }

  return {
    tz: o.tz,
    settings: o.settings,
    dailyRows,
    report,
    dayBuckets,
    series,
    status,
    extent: extentDays,
    refresh: () => {
      cycle = undefined;
    },
    close: () => raw.close(),
  };
}

/** Days in a period, both ends included. */
const length = (p: { first: string; last: string }) => daysBetween(p.first, p.last) + 1;
