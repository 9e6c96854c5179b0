/**
 * How a period reads while it is in progress, and when its figures rest on too little data:
 * "so far" with the elapsed share, comparisons over its complete days only (the report engine's
 * `progress`: the first N complete days against the previous period's first N), and the caveat
 * "from 30 of 365 days" on figures whose coverage is under COVERAGE_CAVEAT_PCT; a comparison with
 * days without data on either side is per day with data ("October: 26 of 31 days").
 */
import type { DailyRow, PeriodKind, PeriodReport, Totals } from "../../../reports/src/types.ts";
import { shiftPeriod } from "../../../reports/src/periods.ts";
import { coverageBasis } from "./coverage.ts";
import { monthName, num, pct, seasonName } from "./format.ts";

/** Below this lower coverage (electricity or heat pump, percent) a figure carries its caveat. */
const COVERAGE_CAVEAT_PCT = 80;

const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;

/** `3.5 of 7 days (50 %)`, for a day `21.9 of 24 hours (91 %)`; null for a period that is over. */
function elapsedShare(r: PeriodReport): string | null {
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
interface ComparisonBasis {
  now: Totals;
  before: Totals;
  /** Card notes: `vs previous week`, `first 3 days vs previous week's first 3`, `per day vs …`. */
  phrase: string;
  /** Column headers of the comparison table. */
  nowLabel: string;
  beforeLabel: string;
  /**
   * Either side has days without data: what adds up over days (energies, starts, defrosts, degree
   * days, money) is compared per day with data, never as totals over different numbers of days.
   */
  perDay: boolean;
  /** Each side with days without data, named: `October: 26 of 31 days`. */
  gaps: string[];
}

/** `October`, `Week 43`, `2025/26`: a period named short, for "October: 26 of 31 days". */
function shortName(kind: PeriodKind, id: string): string {
  if (kind === "month") return monthName(id, "long").replace(/ \d+$/, "");
  if (kind === "week") return `Week ${Number(id.slice(6))}`;
  return kind === "season" ? seasonName(id) : id;
}

/**
 * A closed period against the whole previous one; a period in progress over its first N complete
 * days against the previous period's first N (the engine's `progress.compared` and `previous`);
 * null when there is nothing to compare with (no previous period, or none of this one's days over).
 * Where either side has days without data (a month whose first days were before monitoring began,
 * an outage), figures that add up are compared per day with data (perDayTotals).
 */
export function comparisonBasis(r: PeriodReport): ComparisonBasis | null {
  const before = r.previous;
  if (!before) return null;
  const p = r.progress;
  if (p && !p.compared) return null;
  const now = p?.compared ?? r;
  const gapsOf = (t: Totals) =>
    t.days_with_data < t.days ? ` (${t.days_with_data} of ${days(t.days)} with data)` : "";
  // A day's own gaps are its coverage, on its card: only the day before is named "0 of 1 day".
  const nowGaps = r.kind === "day" ? "" : gapsOf(now);
  const gaps =
    r.kind === "day"
      ? []
      : [
          { t: now, id: r.id },
          { t: before, id: r.prev ?? shiftPeriod(r.kind, r.id, -1) },
        ]
          .filter((x) => x.t.days_with_data < x.t.days)
          .map((x) => `${shortName(r.kind, x.id)}: ${x.t.days_with_data} of ${days(x.t.days)}`);
  const perDay = gaps.length > 0;
  const each = perDay ? "per day " : "";
  if (!p)
    return {
      now,
      before,
      phrase: `${each}vs previous ${r.kind}`,
      nowLabel: `${r.label}${nowGaps}`,
      beforeLabel: `Previous ${r.kind}${gapsOf(before)}`,
      perDay,
      gaps,
    };
  const first = `first ${days(p.compared_days)}`;
  return {
    now,
    before,
    phrase: `${perDay ? "per day, " : ""}${first} vs previous ${r.kind}'s`,
    nowLabel: `${r.label}, ${first}${nowGaps}`,
    beforeLabel: `Previous ${r.kind}, ${first}${gapsOf(before)}`,
    perDay,
    gaps,
  };
}

/** The figures of Totals that add up over days: compared per day with data where days are missing. */
const ADDITIVE = [
  "elec_kwh",
  "heat_kwh",
  "heat_heating_kwh",
  "heat_dhw_kwh",
  "elec_vendor_kwh",
  "running_elec_kwh",
  "standby_elec_kwh",
  "running_hours",
  "starts",
  "starts_vendor",
  "elec_heating_kwh",
  "elec_dhw_kwh",
  "defrost_count",
  "defrost_min",
  "defrost_heat_kwh",
  "hdd",
  "export_kwh",
  "backup_elec_kwh",
  "pumps_elec_kwh",
  "house_elec_kwh",
  "backup_vendor_kwh",
  "heat_system_kwh",
  "cooling_kwh",
  "cooling_elec_kwh",
  "cost",
  "gas_cost",
  "savings",
] as const satisfies readonly (keyof Totals)[];

/**
 * Totals with every figure that adds up over days divided by the days with data (kWh per day with
 * data); ratios and means stay as they are. Null where there is no day with data.
 */
export function perDayTotals(t: Totals): Totals {
  const out: Totals = { ...t };
  for (const k of ADDITIVE) {
    const v = t[k];
    if (v === undefined) continue;
    out[k] = v === null || !(t.days_with_data > 0) ? null : v / t.days_with_data;
  }
  return out;
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
  // From the day monitoring began, where that is inside the period (coverage.ts).
  const b = coverageBasis(r);
  const low = Math.min(b.elec, b.hp);
  if (low >= COVERAGE_CAVEAT_PCT) return null;
  if (r.kind === "day") return `from ${pct(low)} of the expected readings`;
  const n = r.rows.filter(has).length;
  return `from ${n} of ${days(b.days)}${r.progress ? " so far" : ""}`;
}
