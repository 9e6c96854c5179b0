/**
 * What a period's coverage is of. Monitoring began on the data's first day: the days of a period
 * before it (July to September of a first season that began in October) are "before monitoring",
 * not missing data. So the coverage, the days with data and the caveats of such a period count from
 * that day, and its tables say "before monitoring" instead of a row of dashes and "0 %".
 *
 * The report engine's coverage is of the whole period (of the time so far while in progress), each
 * day weighted by its hours (reports/src/rollup/rollup.ts); here the same weighting runs over the
 * days from the monitoring start.
 */
import type { DailyRow, PeriodReport } from "../../../reports/src/types.ts";
import { periodDays } from "../../../reports/src/periods.ts";
import { round } from "../../../reports/src/metrics/primitives.ts";
import { hasData } from "../../../reports/src/rollup/rollup.ts";
import { daysBetween } from "../../../core/src/time.ts";

/**
 * The day monitoring began, where it lies inside the period after its first day; else null. A period
 * without a previous one with data (the engine's `prev` is null then) holds the data's first day.
 */
export function monitoringStart(r: PeriodReport): string | null {
  if (r.kind === "day" || r.prev !== null) return null;
  const first = r.rows.find(hasData)?.day;
  return first !== undefined && first > periodDays(r.kind, r.id).first ? first : null;
}

/** Coverage per source (percent, one decimal) over `rows`: what a period's figures rest on. */
export interface CoverageBasis {
  elec: number;
  hp: number;
  /** Days the coverage is of: the period's (those begun so far while in progress), from `since` on. */
  days: number;
  /** The day monitoring began, inside the period (monitoringStart), or null. */
  since: string | null;
}

/**
 * Hours of the period's open day (today) that have passed: the period's elapsed hours less its
 * closed days' hours; 0 for a period that is over.
 */
function openDayHours(r: PeriodReport): number {
  if (!r.progress) return 0;
  const closed = r.rows.reduce((a, row) => a + (row.closed ? row.hours : 0), 0);
  return Math.max(0, r.progress.elapsed_hours - closed);
}

/** The rows of days begun so far: the closed ones and today's (none after it, as in the engine). */
function elapsedRows(r: PeriodReport): DailyRow[] {
  const today = r.rows.findIndex((row) => !row.closed);
  return today < 0 ? r.rows : r.rows.slice(0, today + 1);
}

/** Coverage of `rows` per source, each day weighted by its hours (the open day by `openHours`). */
function coverageOf(rows: readonly DailyRow[], openHours: number): { elec: number; hp: number } {
  let hours = 0;
  let elec = 0;
  let hp = 0;
  for (const row of rows) {
    const w = row.closed ? row.hours : Math.min(row.hours, openHours);
    hours += w;
    elec += row.coverage_elec_pct * w;
    hp += row.coverage_hp_pct * w;
  }
  const pct = (x: number) => (hours > 0 ? (round(x / hours, 1) ?? 0) : 0);
  return { elec: pct(elec), hp: pct(hp) };
}

/** The coverage a period's cards and totals show: the engine's, or from the monitoring start on. */
export function coverageBasis(r: PeriodReport): CoverageBasis {
  const soFar = r.progress ? r.progress.complete_days + 1 : r.days;
  const since = monitoringStart(r);
  if (since === null) return { elec: r.coverage_elec_pct, hp: r.coverage_hp_pct, days: soFar, since };
  const monitored = elapsedRows(r).filter((row) => row.day >= since);
  return {
    ...coverageOf(monitored, openDayHours(r)),
    days: soFar - daysBetween(periodDays(r.kind, r.id).first, since),
    since,
  };
}

/**
 * The coverage of one month of a season (its table row): the engine's, or for the month monitoring
 * began in, from that day on (`rows`: the season's rows).
 */
export function monthCoverage(
  r: PeriodReport,
  month: { id: string; coverage_elec_pct: number; coverage_hp_pct: number },
  since: string | null,
): { elec: number; hp: number } {
  if (since === null || since.slice(0, 7) !== month.id)
    return { elec: month.coverage_elec_pct, hp: month.coverage_hp_pct };
  return coverageOf(
    elapsedRows(r).filter((row) => row.day >= since && row.day.startsWith(month.id)),
    openDayHours(r),
  );
}
