/**
 * A period's report (a day, week, month or season) from its daily rows: the roll-up with its
 * analytics, the neighbouring periods, the previous period to compare with, the progress of a
 * period that contains "now", the metering (boundary and roles, metrics/boundary.ts) of every period,
 * and for a season its months and heating curve.
 */
import type { AnalysisSettings, PeriodId, PeriodReport, Progress, Totals, DailyRow } from "../types.ts";
import type { AnalyticsOptions } from "../rollup/period-analytics.ts";
import { progressOf } from "../rollup/progress.ts";
import { rollup } from "../rollup/rollup.ts";
import { pricedRows } from "../rollup/tariff.ts";
import { periodMetering } from "../metrics/boundary.ts";
import { monthOf, periodDays, periodLabel, shiftPeriod } from "../periods.ts";
import { addDays, dayOf, dayRange, daysBetween } from "../../../core/src/time.ts";
import type { Days } from "./days.ts";
import type { Reads } from "./reads.ts";

interface PeriodReportOptions {
  tz: string;
  settings: AnalysisSettings;
  /** The running cycle's clock (ms since epoch): decides which days are over. */
  nowMs(): number;
  dailyRows: Days["dailyRows"];
  extentDays: Reads["extentDays"];
  latestValues: Reads["latestValues"];
}

type Span = { first: string; last: string };

export function createPeriodReports(o: PeriodReportOptions): (p: PeriodId) => Promise<PeriodReport> {
  async function report(p: PeriodId): Promise<PeriodReport> {
    const { first, last } = periodDays(p.kind, p.id);
    const nowMs = o.nowMs();
    const today = dayOf(o.tz, nowMs);
    const lastRow = last < today ? last : today;
    const rows = first <= lastRow ? await o.dailyRows(first, lastRow) : [];
    const ext = await o.extentDays();
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
        ? progressOf(rows, startMs, endMs, nowMs, length(prevDays), analytics)
        : null;
    const previous = hasPrev ? await previousTotals(prevDays, progress, today, analytics, nowMs) : null;
    const out: PeriodReport = {
      ...rollup(rows, length({ first, last }), analytics, nowMs),
      kind: p.kind,
      id: p.id,
      label: periodLabel(p.kind, p.id),
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      prev: hasPrev ? prevId : null,
      next: hasNext ? nextId : null,
      // With prices, each row carries its own cost (the cached rows stay price-free).
      rows: pricedRows(rows, o.settings),
      previous,
      progress,
      metering: periodMetering(rows),
      tz: o.tz,
      settings: o.settings,
    };
    if (p.kind === "season") await addSeason(out, rows, endMs, nowMs);
    return out;
  }

  /**
   * Totals of the previous period: the whole of it (up to today) when this period is over. For one
   * in progress, like for like: its first N days against this one's N complete days, none while N
   * is 0.
   */
  async function previousTotals(
    prevDays: Span,
    progress: Progress | null,
    today: string,
    analytics: AnalyticsOptions,
    nowMs: number,
  ): Promise<Totals | null> {
    if (!progress) {
      const prevRows = await o.dailyRows(prevDays.first, prevDays.last < today ? prevDays.last : today);
      return rollup(prevRows, length(prevDays), analytics, nowMs);
    }
    const n = progress.compared_days;
    if (!(n > 0)) return null;
    return rollup(await o.dailyRows(prevDays.first, addDays(prevDays.first, n - 1)), n, analytics, nowMs);
  }

  /** A season's months (each with a fit of the house) and heating curve at its end. */
  async function addSeason(out: PeriodReport, rows: DailyRow[], endMs: number, nowMs: number): Promise<void> {
    const months = Map.groupBy(rows, (r) => monthOf(r.day));
    const monthly = { settings: o.settings, fitHouse: true };
    out.months = [...months].map(([id, rs]) => ({
      id,
      ...rollup(rs, length(periodDays("month", id)), monthly, nowMs),
    }));
    const latest = await o.latestValues(Math.min(nowMs, endMs), [
      "heatpump.curve_slope",
      "heatpump.curve_shift",
    ]);
    const slope = latest.get("heatpump.curve_slope");
    const shift = latest.get("heatpump.curve_shift");
    out.curve = slope && shift ? { slope: slope.v, shift: shift.v } : null;
  }

  return report;
}

/** Days in a period, both ends included. */
const length = (p: Span) => daysBetween(p.first, p.last) + 1;
