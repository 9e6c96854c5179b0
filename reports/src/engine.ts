/**
 * The report engine over a raw source: daily rows (closed days from the cache unless their source
 * fingerprint changed), period reports, series and status. The same code runs over both sources.
 */
import type { Logger } from "../../collector/src/effects.ts";
import type { DailyRow, PeriodId, PeriodReport, Reports, SeriesSet, Status } from "./types.ts";
import type { RawSource } from "./raw-source.ts";
import { RowCache } from "./cache.ts";
import { computeDailyRow, type DailyOptions } from "./daily.ts";
import { LOOKBACK_MS } from "./metrics.ts";
import {
  dayList,
  dayOf,
  dayRange,
  daysBetween,
  isDay,
  monthOf,
  periodDays,
  periodLabel,
  PeriodError,
  shiftPeriod,
} from "./periods.ts";
import { rollup } from "./rollup.ts";
import type { Samples } from "./samples.ts";
import { bucketMs, buildSeries } from "./series.ts";
import { buildStatus, STATUS_FIELDS } from "./status.ts";

export interface EngineOptions extends DailyOptions {
  tz: string;
  meterBoundary: string;
  /** Folder of the row cache; null keeps it in memory. */
  cacheDir: string | null;
  now: () => number;
  logger?: Logger;
}

/** How long an open day's row is reused while its data did not change (ms). */
const OPEN_MEMO_MS = 30_000;

/** Days computed from one read of the source (bounds memory on a cold cache). */
const BATCH_DAYS = 14;

export function createEngine(raw: RawSource, o: EngineOptions): Reports & { close(): Promise<void> } {
  const key = JSON.stringify({
    src: raw.id,
    tz: o.tz,
    thr: o.thresholdW,
    e: o.elecIntervalMs,
    h: o.hpIntervalMs,
  });
  const cache = new RowCache(o.cacheDir, key);
  const openMemo = new Map<string, { fp: string; nowMs: number; row: DailyRow }>();

  async function dailyRows(from: string, to: string): Promise<DailyRow[]> {
    for (const d of [from, to])
      if (!isDay(d)) throw new PeriodError(`day "${d}" is not valid: use YYYY-MM-DD, e.g. 2026-03-29`);
    if (to < from) return [];
    const nowMs = o.now();
    const ranges = dayList(from, to).map((d) => dayRange(o.tz, d));
    const fps = await raw.fingerprints(ranges);
    const rows: (DailyRow | undefined)[] = ranges.map((r, i) => {
      if (r.endMs <= nowMs) return cache.get(r.day, fps[i]!);
      // An open day is recomputed unless nothing arrived and the clock barely moved (one cycle asks
      // for today several times: status, day, week, month and season).
      const m = openMemo.get(r.day);
      return m && m.fp === fps[i] && Math.abs(nowMs - m.nowMs) <= OPEN_MEMO_MS ? m.row : undefined;
    });
    // Compute the missing days in runs of adjacent days, one source read per run.
    let i = 0;
    while (i < ranges.length) {
      if (rows[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < ranges.length && !rows[j + 1] && j + 1 - i < BATCH_DAYS) j++;
      const samples = await raw.samples(ranges[i]!.startMs - LOOKBACK_MS, ranges[j]!.endMs);
      for (let k = i; k <= j; k++) {
        const row = computeDailyRow(samples, ranges[k]!, nowMs, o);
        rows[k] = row;
        if (row.closed) cache.set(row.day, fps[k]!, row);
        else openMemo.set(row.day, { fp: fps[k]!, nowMs, row });
      }
      i = j + 1;
    }
    cache.flush();
    return rows as DailyRow[];
  }

  async function extentDays(): Promise<{ first: string; last: string } | null> {
    const e = await raw.extent();
    return e ? { first: dayOf(o.tz, e.firstMs), last: dayOf(o.tz, e.lastMs) } : null;
  }

  async function report(p: PeriodId): Promise<PeriodReport> {
    const { first, last } = periodDays(p.kind, p.id);
    const today = dayOf(o.tz, o.now());
    const lastRow = last < today ? last : today;
    const rows = first <= lastRow ? await dailyRows(first, lastRow) : [];
    const ext = await extentDays();
    const prevId = shiftPeriod(p.kind, p.id, -1);
    const nextId = shiftPeriod(p.kind, p.id, +1);
    const prevDays = periodDays(p.kind, prevId);
    const nextDays = periodDays(p.kind, nextId);
    const hasPrev = ext !== null && prevDays.last >= ext.first;
    const hasNext = ext !== null && nextDays.first <= ext.last && nextDays.first <= today;
    let previous = null;
    if (hasPrev) {
      const prevRows = await dailyRows(prevDays.first, prevDays.last < today ? prevDays.last : today);
      previous = rollup(prevRows, length(prevDays));
    }
    const out: PeriodReport = {
      ...rollup(rows, length({ first, last })),
      kind: p.kind,
      id: p.id,
      label: periodLabel(p.kind, p.id),
      start: new Date(dayRange(o.tz, first).startMs).toISOString(),
      end: new Date(dayRange(o.tz, last).endMs).toISOString(),
      prev: hasPrev ? prevId : null,
      next: hasNext ? nextId : null,
      rows,
      previous,
      tz: o.tz,
    };
    if (p.kind === "season") {
      const months = Map.groupBy(rows, (r) => monthOf(r.day));
      out.months = [...months].map(([id, rs]) => ({ id, ...rollup(rs, length(periodDays("month", id))) }));
      out.meter_boundary = o.meterBoundary;
      const latest = await raw.latest(Math.min(o.now(), dayRange(o.tz, last).endMs), [
        "heatpump.curve_slope",
        "heatpump.curve_shift",
      ]);
      const slope = latest.get("heatpump.curve_slope");
      const shift = latest.get("heatpump.curve_shift");
      out.curve = slope && shift ? { slope: slope.v, shift: shift.v } : null;
    }
    return out;
  }

  async function series(startMs: number, stopMs: number, maxPoints: number): Promise<SeriesSet> {
    const s = raw.seriesSamples
      ? await raw.seriesSamples(
          startMs,
          stopMs,
          bucketMs(startMs, stopMs, maxPoints, o.elecIntervalMs),
          bucketMs(startMs, stopMs, maxPoints, o.hpIntervalMs),
        )
      : await raw.samples(startMs, stopMs);
    return buildSeries(s, startMs, stopMs, maxPoints, o);
  }

  async function status(nowMs: number): Promise<Status> {
    const latest = await raw.latest(nowMs, STATUS_FIELDS);
    const hpT = latest.get("heatpump.flow_c")?.t ?? latest.get("heatpump.outside_c")?.t;
    const recent: Samples =
      hpT === undefined
        ? await raw.samples(nowMs, nowMs)
        : await raw.samples(hpT - 3 * o.hpIntervalMs, hpT + 1);
    const today = dayOf(o.tz, nowMs);
    const [row] = await dailyRows(today, today);
    const lastElec = latest.get("electric.power_w")?.t ?? null;
    return buildStatus({
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
  }

  return {
    tz: o.tz,
    dailyRows,
    report,
    series,
    status,
    extent: extentDays,
    close: () => raw.close(),
  };
}

/** Days in a period, both ends included. */
const length = (p: { first: string; last: string }) => daysBetween(p.first, p.last) + 1;
