/**
 * The house itself, from a month's or a season's days: an ordinary least-squares fit, with
 * intercept, of the day's mean space-heating power against how much colder than indoors it was,
 *
 *   P (W) = heating kWh * 1000 / the day's hours,   x (K) = INDOOR_C - the day's mean outside °C,
 *   P = a + b * x.
 *
 * b is the heat-loss coefficient (W/K: what one kelvin more of difference costs); the line reaches
 * 0 W at the balance point (outside = INDOOR_C + a / b: internal and solar gains cover the rest);
 * its value at DESIGN_OUTSIDE_C is the design load, what the heat pump must deliver on the coldest
 * design day. Days used: closed, with space heating (heating heat above 0), a mean outside
 * temperature and at least 90 % of the heat pump readings (both inputs are heat pump data), and no
 * cooling (cooling.ts: a day that cooled is no heating day). With fewer than 14 such days, or no
 * positive slope, there is no fit (null).
 *
 * Indoors: where every day used has a room temperature (`room_mean_c`, the room sensor's, weighted
 * by heat), x is taken from each day's own, and the balance point and design load from their mean;
 * otherwise INDOOR_C for every day (`indoor_source` says which). One definition across the fit: a
 * fit mixing measured and assumed indoor temperatures would shift the days against each other by
 * the sensor's difference from the setting, and the page could not say what it used. A sensor fitted
 * in the middle of a month therefore counts from the next whole month.
 */
import type { DailyRow, PeriodAnalytics } from "../types.ts";
import { round } from "../metrics/primitives.ts";

const MIN_FIT_DAYS = 14;
const MIN_FIT_COVERAGE_PCT = 90;

interface FitPoint {
  day: string;
  outside_c: number;
  /** Mean space-heating power of the day, W. */
  heating_w: number;
  /** The day's room temperature (°C), null without a room sensor. */
  room_c: number | null;
}

/** The days a fit uses, as points (the season chart draws these). */
export function houseFitPoints(rows: readonly DailyRow[]): FitPoint[] {
  const out: FitPoint[] = [];
  for (const r of rows) {
    if (!r.closed || r.coverage_hp_pct < MIN_FIT_COVERAGE_PCT) continue;
    if (r.outside_mean_c === null || r.heat_heating_kwh === null || !(r.heat_heating_kwh > 0)) continue;
    // Rows from before the cooling and room fields existed read them as unknown.
    if ((r.cooling_kwh ?? null) !== null || (r.cooling_elec_kwh ?? null) !== null) continue;
    out.push({
      day: r.day,
      outside_c: r.outside_mean_c,
      heating_w: (r.heat_heating_kwh * 1000) / r.hours,
      room_c: r.room_mean_c ?? null,
    });
  }
  return out;
}

type HouseFit = Pick<
  PeriodAnalytics,
  | "heat_loss_w_per_k"
  | "balance_point_c"
  | "design_load_w"
  | "house_fit_days"
  | "house_fit_r2"
  | "indoor_source"
>;

export const NO_FIT: HouseFit = {
  heat_loss_w_per_k: null,
  balance_point_c: null,
  design_load_w: null,
  house_fit_days: null,
  house_fit_r2: null,
  indoor_source: null,
};

export function fitHouse(rows: readonly DailyRow[], indoorC: number, designOutsideC: number): HouseFit {
  const points = houseFitPoints(rows);
  const n = points.length;
  const room = n > 0 && points.every((p) => p.room_c !== null);
  const indoor = points.map((p) => (room ? p.room_c! : indoorC));
  const none: HouseFit = {
    ...NO_FIT,
    house_fit_days: n,
    indoor_source: n === 0 ? null : room ? "room" : "setting",
  };
  if (n < MIN_FIT_DAYS) return none;
  const xs = points.map((p, i) => indoor[i]! - p.outside_c);
  const ys = points.map((p) => p.heating_w);
  const mx = xs.reduce((a, x) => a + x, 0) / n;
  const my = ys.reduce((a, y) => a + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    syy += (ys[i]! - my) ** 2;
  }
  if (!(sxx > 0)) return none;
  const b = sxy / sxx;
  if (!(b > 0)) return none;
  const a = my - b * mx;
  // The line reaches 0 W at x = -a / b, i.e. an outside temperature a / b above the indoor one.
  const indoorMean = indoor.reduce((acc, x) => acc + x, 0) / n;
  return {
    heat_loss_w_per_k: round(b, 1),
    balance_point_c: round(indoorMean + a / b, 1),
    design_load_w: round(a + b * (indoorMean - designOutsideC), 0),
    house_fit_days: n,
    // With an intercept, R² is the squared correlation; syy > 0 because the slope is positive.
    house_fit_r2: round((sxy * sxy) / (sxx * syy), 3),
    indoor_source: none.indoor_source,
  };
}
