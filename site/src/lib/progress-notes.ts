/**
 * How a period reads while it is in progress, and when its figures rest on too little data:
 * "so far" with the elapsed share, comparisons over its complete days only (the report engine's
 * `progress`: the first N complete days against the previous period's first N), and the caveat
 * "from 30 of 365 days" on figures whose coverage is under COVERAGE_CAVEAT_PCT.
 */
import type { DailyRow, PeriodReport, Totals } from "../../../reports/src/types.ts";
import { num, pct } from "./format.ts";

/** Below this lower coverage (electricity or heat pump, percent) a figure carries its caveat. */
export const COVERAGE_CAVEAT_PCT = 80;

const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;

/** `3.5 of 7 days (50 %)`, for a day `21.9 of 24 hours (91 %)`; null for a period that is over. */
export function elapsedShare(r: PeriodReport): string | null {
  const p = r.progress;
  if (!p) return null;
  // Rounded down: a period in progress never reads as 100 % over.
  const share = pct(p.hours > 0 ? Math.floor((100 * p.elapsed_hours) / p.hours) : null);
  // Also rounded down: 29.95 of 30 days is "29.9", never "30.0 of 30".
  const down = (x: number) => num(Math.floor(x * 10) / 10, 1);
  return r.kind === "day"
    ? `${down(p.elapsed_hours)} of ${num(p.hours, 0)} hours (${share})`
    : `${down(p.elapsed_days)} of ${days(r.days)} (${share})`;
}

/** What a period is compared with: both sides, and how the comparison is worded. */
export interface ComparisonBasis {
  now: Totals;
  before: Totals;
  /** Card notes: `vs previous week`, `first 3 days vs previous week's first 3`. */
  phrase: string;
  /** Column headers of the comparison table. */
  nowLabel: string;
  beforeLabel: string;
}

/**
 * A closed period against the whole previous one; a period in progress over its first N complete
 * days against the previous period's first N (the engine's `progress.compared` and `previous`);
 * null when there is nothing to compare with (no previous period, or none of this one's days over).
 */
export function comparisonBasis(r: PeriodReport): ComparisonBasis | null {
  const before = r.previous;
  if (!before) return null;
  const gaps =
    before.days_with_data < before.days
      ? ` (${before.days_with_data} of ${days(before.days)} with data)`
      : "";
  const p = r.progress;
  if (!p)
    return {
      now: r,
      before,
      phrase: `vs previous ${r.kind}`,
      nowLabel: r.label,
      beforeLabel: `Previous ${r.kind}${gaps}`,
    };
  if (!p.compared) return null;
  const first = `first ${days(p.compared_days)}`;
  return {
    now: p.compared,
    before,
    phrase: `${first} vs previous ${r.kind}'s`,
    nowLabel: `${r.label}, ${first}`,
    beforeLabel: `Previous ${r.kind}, ${first}${gaps}`,
  };
}

/**
 * The line under the title of a period in progress: how much of it has passed and what its changes
 * compare; null once it is over.
 */
export function progressNote(r: PeriodReport): string | null {
  const share = elapsedShare(r);
  if (!share || !r.progress) return null;
  const p = r.progress;
  // Only where there is a previous period with data (r.prev) to compare with.
  const compare = !r.prev
    ? ""
    : r.kind === "day"
      ? " The change against the day before comes once the day is over."
      : p.compared
        ? ` Changes compare its first ${days(p.compared_days)} ` +
          `with the previous ${r.kind}'s first ${days(p.compared_days)}.`
        : ` Changes against the previous ${r.kind} come once its first day is over.`;
  return `In progress: ${share.replace(" (", " so far (")}.${compare}`;
}

/**
 * The caveat on a figure from too little data, or null when both sources cover at least
 * COVERAGE_CAVEAT_PCT of the time elapsed. For a week, month or season it counts days, with the same
 * denominator as the coverage (the days so far while in progress): `from 30 of 153 days so far`;
 * `has` says which rows the figure draws on.
 */
export function coverageCaveat(r: PeriodReport, has: (row: DailyRow) => boolean): string | null {
  const low = Math.min(r.coverage_elec_pct, r.coverage_hp_pct);
  if (low >= COVERAGE_CAVEAT_PCT) return null;
  if (r.kind === "day") return `from ${pct(low)} of the expected readings`;
  const of = r.progress ? r.progress.complete_days + 1 : r.days;
  const n = r.rows.filter(has).length;
  return `from ${n} of ${days(of)}${r.progress ? " so far" : ""}`;
}
