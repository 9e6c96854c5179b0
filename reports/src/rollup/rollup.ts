/**
 * Roll-ups of daily rows (week, month, season): energies added, COP recomputed from the sums (never a
 * mean of daily COPs), temperatures weighted by heat, coverage weighted by hours.
 * Ratios use only the days on which both sides are known, so a day without heat pump data does not
 * drag the COP down with electricity that has no heat beside it.
 *
 * Coverage is of the time that has passed: a day not over yet weighs with its elapsed hours, not
 * its 24, so a week on its first evening is not "100 %" of seven days.
 */
import type { DailyRow, Totals } from "../types.ts";
import { DEFAULT_SETTINGS, periodAnalytics, type AnalyticsOptions } from "./period-analytics.ts";
import { pairRatio, sum } from "./row-sums.ts";
import { heatingElec, heatingRunningElec, systemTotals } from "./system-totals.ts";
import { round } from "../metrics/primitives.ts";

/**
 * Mean of `get` weighted by the day's heat (`heat`: which heat, all by default); where no day has
 * heat, by the day's hours.
 */
function heatWeighted(
  rows: readonly DailyRow[],
  get: (r: DailyRow) => number | null,
  hoursFallback: boolean,
  heat: (r: DailyRow) => number | null = (r) => r.heat_kwh,
): number | null {
  let s = 0;
  let w = 0;
  for (const r of rows) {
    const v = get(r);
    const q = heat(r);
    if (v === null || !(q !== null && q > 0)) continue;
    s += v * q;
    w += q;
  }
  if (w > 0) return s / w;
  if (!hoursFallback) return null;
  for (const r of rows) {
    const v = get(r);
    if (v === null) continue;
    s += v * r.hours;
    w += r.hours;
  }
  return w > 0 ? s / w : null;
}

export const hasData = (r: DailyRow) => r.coverage_elec_pct > 0 || r.coverage_hp_pct > 0;

/** Hours of a row that had passed at `nowMs` (all of them once the day is closed). */
export function elapsedHours(r: DailyRow, nowMs: number): number {
  if (r.closed) return r.hours;
  return Math.min(r.hours, Math.max(0, (nowMs - Date.parse(r.start)) / 3_600_000));
}

/**
 * Totals over `rows`; `days` is the number of days in the period (rows may stop at today). The
 * analytics (period-analytics.ts) use `analytics`: default settings, no house fit, by default.
 * `nowMs` weighs the coverage of a day still open by its elapsed hours (without it, by all of them).
 */
export function rollup(
  rows: readonly DailyRow[],
  days = rows.length,
  analytics: AnalyticsOptions = { settings: DEFAULT_SETTINGS, fitHouse: false },
  nowMs = Infinity,
): Totals {
  const weight = (r: DailyRow) => elapsedHours(r, nowMs);
  const hours = rows.reduce((a, r) => a + weight(r), 0);
  const cov = (get: (r: DailyRow) => number) =>
    hours > 0 ? (round(rows.reduce((a, r) => a + get(r) * weight(r), 0) / hours, 1) ?? 0) : 0;
  const runningHours = sum(rows, (r) => r.running_hours);
  const starts = sum(rows, (r) => r.starts);
  let runH = 0;
  let runStarts = 0;
  for (const r of rows)
    if (r.running_hours !== null && r.starts !== null) {
      runH += r.running_hours;
      runStarts += r.starts;
    }
  // Energies in kWh and ratios of heat to an electricity, to 3 decimals.
  const total = (get: (r: DailyRow) => number | null) => round(sum(rows, get), 3);
  const heatOver = (elec: (r: DailyRow) => number | null) =>
    round(
      pairRatio(rows, (r) => r.heat_kwh, elec),
      3,
    );
  return {
    elec_kwh: total((r) => r.elec_kwh),
    heat_kwh: total((r) => r.heat_kwh),
    heat_heating_kwh: total((r) => r.heat_heating_kwh),
    heat_dhw_kwh: total((r) => r.heat_dhw_kwh),
    elec_vendor_kwh: total((r) => r.elec_vendor_kwh),
    // The heating COPs leave the cooling intervals' electricity out (metrics/cooling.ts).
    cop: heatOver(heatingElec),
    cop_vendor: heatOver((r) => r.elec_vendor_kwh),
    running_elec_kwh: total((r) => r.running_elec_kwh),
    standby_elec_kwh: total((r) => r.standby_elec_kwh),
    running_hours: round(runningHours, 3),
    cop_running: heatOver(heatingRunningElec),
    starts,
    mean_run_min: round(runStarts > 0 ? (runH * 60) / runStarts : null, 2),
    starts_vendor: sum(rows, (r) => r.starts_vendor),
    outside_mean_c: round(
      heatWeighted(rows, (r) => r.outside_mean_c, true),
      2,
    ),
    flow_mean_c: round(
      heatWeighted(rows, (r) => r.flow_mean_c, false),
      2,
    ),
    // Rows cached before this field existed have it undefined: treated as unknown.
    flow_heating_mean_c: round(
      heatWeighted(
        rows,
        (r) => r.flow_heating_mean_c ?? null,
        false,
        (r) => r.heat_heating_kwh,
      ),
      2,
    ),
    coverage_elec_pct: cov((r) => r.coverage_elec_pct),
    coverage_hp_pct: cov((r) => r.coverage_hp_pct),
    outliers: rows.reduce((a, r) => a + r.outliers, 0),
    ...systemTotals(rows),
    room_mean_c: round(
      heatWeighted(rows, (r) => r.room_mean_c ?? null, true),
      2,
    ),
    days_with_data: rows.filter(hasData).length,
    days,
    ...periodAnalytics(rows, analytics),
  };
}
