/**
 * The whole system over a period, from its daily rows (metrics/system.ts and cooling.ts say what
 * each day's figures are): energies added, ratios from sums over the days that have both sides,
 * never means of daily ratios; the boundary is the widest among the days. Rows from before these
 * fields existed (a published row) read them as unknown.
 */
import type { DailyRow, Totals } from "../types.ts";
import { pairRatio, sum } from "./row-sums.ts";
import { periodBoundary } from "../metrics/boundary.ts";
import { round } from "../metrics/primitives.ts";
import { rowNumber } from "../metrics/row-field.ts";

type SystemTotals = Pick<
  Totals,
  | "boundary"
  | "backup_elec_kwh"
  | "pumps_elec_kwh"
  | "house_elec_kwh"
  | "backup_vendor_kwh"
  | "heat_system_kwh"
  | "cop_system"
  | "backup_share_pct"
  | "cooling_kwh"
  | "cooling_elec_kwh"
  | "eer"
>;

const coolingElec = rowNumber("cooling_elec_kwh");
const coolingRunningElec = rowNumber("cooling_running_elec_kwh");
const backupElec = rowNumber("backup_elec_kwh");
const pumpsElec = rowNumber("pumps_elec_kwh");
const copSystemOf = rowNumber("cop_system");

/** The heat pump's electricity without its cooling intervals': what heating COPs divide by. */
export const heatingElec = (r: DailyRow): number | null =>
  r.elec_kwh === null ? null : r.elec_kwh - (coolingElec(r) ?? 0);

/** The running electricity without the cooling intervals' running part (cop_running). */
export const heatingRunningElec = (r: DailyRow): number | null =>
  r.running_elec_kwh === null ? null : r.running_elec_kwh - (coolingRunningElec(r) ?? 0);

export function systemTotals(rows: readonly DailyRow[]): SystemTotals {
  const total = (k: keyof DailyRow) => round(sum(rows, rowNumber(k)), 3);
  // cop_system over the days that have it: their system heat over their system electricity.
  const withSystem = rows.filter((r) => copSystemOf(r) !== null);
  const backup = (r: DailyRow) => backupElec(r) ?? 0;
  const copSystem = pairRatio(
    withSystem,
    (r) => (r.heat_kwh === null ? null : r.heat_kwh + backup(r)),
    (r) => {
      const e = heatingElec(r);
      return e === null ? null : e + backup(r) + (pumpsElec(r) ?? 0);
    },
  );
  const share = pairRatio(rows, backupElec, rowNumber("heat_system_kwh"));
  return {
    boundary: periodBoundary(rows),
    backup_elec_kwh: total("backup_elec_kwh"),
    pumps_elec_kwh: total("pumps_elec_kwh"),
    house_elec_kwh: total("house_elec_kwh"),
    backup_vendor_kwh: total("backup_vendor_kwh"),
    heat_system_kwh: total("heat_system_kwh"),
    cop_system: round(copSystem, 3),
    backup_share_pct: round(share === null ? null : 100 * share, 2),
    cooling_kwh: total("cooling_kwh"),
    cooling_elec_kwh: total("cooling_elec_kwh"),
    eer: round(pairRatio(rows, rowNumber("cooling_kwh"), rowNumber("cooling_elec_kwh")), 3),
  };
}
