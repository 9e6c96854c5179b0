/**
 * Weather taken out: heating degree days and the space heating per degree day.
 *
 * hdd = Σ max(0, HDD_BASE_C - the day's mean outside temperature), over the days that have one.
 * heat_per_hdd_kwh and elec_per_hdd_kwh: space-heating heat (the heating day counter) and
 * space-heating electricity (mode-split.ts) over the degree days of the same days, counting only
 * closed days (a day in progress has a partial mean) that have both, from sums. A colder winter has
 * more degree days; heat per degree day compares two winters with the weather taken out.
 */
import type { DailyRow, PeriodAnalytics } from "../types.ts";
import { pairRatio, sum } from "./row-sums.ts";
import { round } from "../metrics/primitives.ts";

/** A day's degree days, or null without a mean outside temperature. */
export const dayHdd = (r: DailyRow, baseC: number): number | null =>
  r.outside_mean_c === null ? null : Math.max(0, baseC - r.outside_mean_c);

export function degreeDayTotals(
  rows: readonly DailyRow[],
  baseC: number,
): Pick<PeriodAnalytics, "hdd" | "heat_per_hdd_kwh" | "elec_per_hdd_kwh"> {
  const hdd = (r: DailyRow) => dayHdd(r, baseC);
  const closed = rows.filter((r) => r.closed);
  return {
    hdd: round(sum(rows, hdd), 2),
    heat_per_hdd_kwh: round(
      pairRatio(closed, (r) => r.heat_heating_kwh, hdd),
      4,
    ),
    elec_per_hdd_kwh: round(
      pairRatio(closed, (r) => r.elec_heating_kwh ?? null, hdd),
      4,
    ),
  };
}
