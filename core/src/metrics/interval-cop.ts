/**
 * COP per Viessmann interval: the heat delivered between two consecutive heat pump samples (~5 min)
 * over the electricity the Shelly measured in the same interval. One definition for the `cop`
 * series (day pages), the dashboard's COP now and the collector's live COP now (MQTT), so it lives
 * in core/: the collector may not import the report engine.
 *
 * - Heat (Wh): where the device reports a flow rate at both ends, the thermal power
 *   flow l/h * 1.163 * (flow - return) read at the ends where the compressor ran and did not
 *   defrost, averaged, times the time the compressor ran in the interval by the Shelly's power; else
 *   the increase of the device day counters (heating + hot water, 0.1 kWh steps, midnight rollover
 *   handled). Like the device's counters, this is heat produced: a defrost (heat drawn back from
 *   the water, reported apart as defrost_heat_kwh) produces none, so it shows as a dip.
 * - Electricity (Wh): the increase of the Shelly energy counter across the interval, steps that
 *   straddle an end counted pro rata (resets handled); where the counter is missing, the power
 *   readings integrated (sample and hold). Null when the readings do not cover the interval.
 * - The interval has no COP (null, a gap: never 0 or Infinity) when the compressor did not run in
 *   it (no power reading >= STARTING_POWER_W; without power readings, compressor_on at neither
 *   end), or when either side is missing or the electricity is 0.
 * - A backup heater on its own meter (role `backup`): heat from flow x spread is measured in the flow,
 *   after a heating rod, so it holds the rod's heat too. The backup meter's energy in the interval
 *   (a resistance heater: 1 Wh of electricity is 1 Wh of heat) is taken off, floored at 0, to leave
 *   the heat pump's own heat; where that meter's readings do not cover the interval, the heat pump's
 *   share is not known (null). An immersion heater in the cylinder heats no flow: the floor keeps its
 *   energy from making the heat negative. The day counters count the compressor's heat only:
 *   nothing is taken off them.
 */
import type { HeatpumpField } from "../data/catalogue.ts";
import { lowerBound } from "../sorted.ts";
import { thermalW } from "./thermal.ts";

/**
 * The columns the interval COP reads, a structural part of the report engine's samples (times in ms,
 * ascending; NaN where a point lacks the field): the engine hands its samples as they are, the
 * collector the few readings it keeps of the last two heat pump intervals.
 */
export interface IntervalSamples {
  readonly elec: MeterColumns;
  readonly hp: {
    readonly t: readonly number[];
    readonly f: Readonly<Record<IntervalHpField, readonly number[]>>;
  };
  /** The backup heater's meter, where there is one (the report engine's `Samples.meters`). */
  readonly meters?: { readonly backup?: MeterColumns };
}

/** One electricity meter's readings. */
export interface MeterColumns {
  readonly t: readonly number[];
  /** W */
  readonly power: readonly number[];
  /** Wh counter of imported energy */
  readonly energy: readonly number[];
}

/** The heat pump fields the interval COP reads. */
export type IntervalHpField = Extract<
  HeatpumpField,
  | "flow_lph"
  | "flow_c"
  | "return_c"
  | "defrosting"
  | "compressor_on"
  | "heat_heating_day_kwh"
  | "heat_dhw_day_kwh"
>;

interface IntervalEnergy {
  t0: number;
  t1: number;
  heatWh: number | null;
  elecWh: number | null;
  running: boolean;
}

export interface IntervalOptions {
  thresholdW: number;
  /** Longest Shelly step that still counts as covered (ms), ~3 poll intervals. */
  maxElecGapMs: number;
}

/**
 * Heat over the interval ending at heat pump sample i (from sample i - 1), Wh, or null.
 * With a flow rate: the thermal power read at the ends where the compressor ran, averaged, times the
 * time the compressor ran in the interval (`runMs`, from the Shelly; the whole interval without
 * power readings). A run that stops or starts just after a reading then counts for its seconds, not
 * for half the interval (that was the start-up spike of 15-20). A run that neither end saw has no
 * heat reading: null. Without a flow rate: the day counters' increase.
 */
function heatWh(s: IntervalSamples, i: number, runMs: number | null, o: IntervalOptions): number | null {
  const { t, f } = s.hp;
  const ends = [i - 1, i];
  const w = ends.map((k) => thermalW(f.flow_lph[k]!, f.flow_c[k]!, f.return_c[k]!));
  if (w.every((x) => !Number.isNaN(x))) {
    // A reading taken while defrosting shows heat drawn back from the water, not what the heat pump
    // produces: it is left out, as the device's own heat counters leave defrosts out.
    const defrost = ends.map((k) => f.defrosting[k] === 1);
    const ran = ends.map(
      (k, j) => !defrost[j] && (Number.isNaN(f.compressor_on[k]!) ? w[j]! > 0 : f.compressor_on[k] === 1),
    );
    const seen = w.filter((_, j) => ran[j]);
    if (seen.length === 0) return defrost.some(Boolean) ? 0 : null;
    const meanW = seen.reduce((a, x) => a + x, 0) / seen.length;
    // Defrosting draws heat from the water: an interval's heat is at least 0.
    const wh = Math.max(0, (meanW * (runMs ?? t[i]! - t[i - 1]!)) / 3_600_000);
    const backup = s.meters?.backup;
    if (!backup || backup.t.length === 0) return wh;
    const rod = meterIn(backup, t[i - 1]!, t[i]!, o).wh;
    return rod === null ? null : Math.max(0, wh - rod);
  }
  const counter = (k: number) => {
    const hh = f.heat_heating_day_kwh[k]!;
    const hd = f.heat_dhw_day_kwh[k]!;
    if (Number.isNaN(hh) || Number.isNaN(hd)) return Number.NaN;
    return hh + hd;
  };
  const c0 = counter(i - 1);
  const c1 = counter(i);
  if (Number.isNaN(c0) || Number.isNaN(c1)) return null;
  // A drop is the device's midnight rollover: the new value is the heat since midnight.
  return (c1 >= c0 ? c1 - c0 : c1) * 1000;
}

/**
 * Shelly electricity in [t0, t1] (Wh) and whether the power reached the threshold in it, with the
 * time it did (ms, scaled to the whole span where the readings leave a poll uncovered).
 */
export function elecIn(
  s: IntervalSamples,
  t0: number,
  t1: number,
  o: IntervalOptions,
): { wh: number | null; ranAbove: boolean | null; runMs: number | null } {
  return meterIn(s.elec, t0, t1, o);
}

/** elecIn for any one meter's readings (the backup heater's too). */
export function meterIn(
  m: MeterColumns,
  t0: number,
  t1: number,
  o: IntervalOptions,
): { wh: number | null; ranAbove: boolean | null; runMs: number | null } {
  const { t, power, energy } = m;
  // Counter steps overlapping [t0, t1], each counted by its overlapping share.
  let wh = 0;
  let covered = 0;
  let prevT = Number.NaN;
  let prevE = Number.NaN;
  let ranAbove: boolean | null = null;
  let pWh = 0;
  let pCovered = 0;
  let runMs = 0;
  let prevPT = Number.NaN;
  let prevP = Number.NaN;
  const k0 = Math.max(0, lowerBound(t, t0) - 1);
  for (let k = k0; k < t.length && (k === 0 || t[k - 1]! < t1); k++) {
    const tk = t[k]!;
    const p = power[k]!;
    const e = energy[k]!;
    if (!Number.isNaN(p)) {
      if (tk > t0 && tk <= t1) ranAbove = (ranAbove ?? false) || p >= o.thresholdW;
      if (!Number.isNaN(prevP) && tk - prevPT <= o.maxElecGapMs) {
        const a = Math.max(prevPT, t0);
        const b = Math.min(tk, t1);
        if (b > a) {
          pWh += (Math.max(0, prevP) * (b - a)) / 3_600_000;
          pCovered += b - a;
          if (prevP >= o.thresholdW) {
            ranAbove = true;
            runMs += b - a;
          }
        }
      }
      prevP = p;
      prevPT = tk;
    }
    if (!Number.isNaN(e)) {
      if (!Number.isNaN(prevE) && tk - prevT <= o.maxElecGapMs) {
        const a = Math.max(prevT, t0);
        const b = Math.min(tk, t1);
        if (b > a) {
          const d = e >= prevE ? e - prevE : e;
          wh += (d * (b - a)) / (tk - prevT);
          covered += b - a;
        }
      }
      prevE = e;
      prevT = tk;
    }
  }
  // Covered: the steps span the interval but for one poll's worth of slack at the ends.
  const need = t1 - t0 - o.maxElecGapMs;
  // Running time scaled up to the whole interval where the power readings leave a poll uncovered.
  const run = pCovered > 0 && pCovered >= need ? (runMs * (t1 - t0)) / pCovered : null;
  if (covered > 0 && covered >= need) return { wh, ranAbove, runMs: run };
  if (pCovered > 0 && pCovered >= need) return { wh: pWh, ranAbove, runMs: run };
  return { wh: null, ranAbove, runMs: run };
}

/** Energy both sides of the interval ending at heat pump sample i (i >= 1). */
export function intervalEnergy(s: IntervalSamples, i: number, o: IntervalOptions): IntervalEnergy {
  const { t, f } = s.hp;
  const t0 = t[i - 1]!;
  const t1 = t[i]!;
  const e = elecIn(s, t0, t1, o);
  const running = e.ranAbove ?? (f.compressor_on[i - 1] === 1 || f.compressor_on[i] === 1);
  return { t0, t1, heatWh: heatWh(s, i, e.runMs, o), elecWh: e.wh, running };
}

/** heat / electricity of a running interval, or null (off, a side missing, no electricity). */
export function intervalCop(x: IntervalEnergy): number | null {
  if (!x.running || x.heatWh === null || x.elecWh === null || !(x.elecWh > 0)) return null;
  return x.heatWh / x.elecWh;
}
