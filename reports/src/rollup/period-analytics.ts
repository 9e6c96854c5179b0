/**
 * A period's analytics (types.ts PeriodAnalytics) rolled up from its daily rows: energies added,
 * ratios from sums over the days that have both sides, never means of daily ratios. Settings that
 * only shape the roll-up (degree-day base, indoor and design temperatures, prices) are applied here,
 * so changing them needs no recomputation of the daily rows.
 */
import type { AnalysisSettings, DailyRow, PeriodAnalytics } from "../types.ts";
import { degreeDayTotals } from "./degree-days.ts";
import { fitHouse, NO_FIT } from "./house-fit.ts";
import { pairRatio, sum } from "./row-sums.ts";
import { moneyTotals } from "./tariff.ts";
import { round } from "../metrics/primitives.ts";
import { rowNumber } from "../metrics/row-field.ts";

export const DEFAULT_SETTINGS: AnalysisSettings = { hdd_base_c: 15, indoor_c: 20, design_outside_c: -12 };

export interface AnalyticsOptions {
  settings: AnalysisSettings;
  /** Fit the house (months and seasons; a week has too few days). */
  fitHouse: boolean;
}

export function periodAnalytics(rows: readonly DailyRow[], o: AnalyticsOptions): PeriodAnalytics {
  const s = o.settings;
  const total = (k: keyof DailyRow, digits = 3) => round(sum(rows, rowNumber(k)), digits);
  // Σ num / Σ den over the days with both, times `scale` (100 for a percentage).
  const over = (num: keyof DailyRow, den: keyof DailyRow, scale = 1, digits = 3) => {
    const q = pairRatio(rows, rowNumber(num), rowNumber(den));
    return round(q === null ? null : q * scale, digits);
  };
  return {
    elec_heating_kwh: total("elec_heating_kwh"),
    elec_dhw_kwh: total("elec_dhw_kwh"),
    cop_heating: over("heat_heating_kwh", "elec_heating_kwh"),
    cop_dhw: over("heat_dhw_kwh", "elec_dhw_kwh"),
    cop_heating_vendor: over("heat_heating_kwh", "elec_vendor_heating_kwh"),
    cop_dhw_vendor: over("heat_dhw_kwh", "elec_vendor_dhw_kwh"),
    carnot_pct: over("carnot_heat_kwh", "carnot_ideal_heat_kwh", 100, 2),
    defrost_count: total("defrost_count", 0),
    defrost_min: total("defrost_min", 2),
    defrost_heat_kwh: total("defrost_heat_kwh"),
    defrost_share_pct: over("defrost_heat_kwh", "heat_kwh", 100, 2),
    ...degreeDayTotals(rows, s.hdd_base_c),
    ...(o.fitHouse ? fitHouse(rows, s.indoor_c, s.design_outside_c) : NO_FIT),
    export_kwh: total("export_kwh"),
    ...moneyTotals(rows, s),
  };
}
