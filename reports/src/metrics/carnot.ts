/**
 * % of Carnot, as OpenEnergyMonitor's heat pump app defines it for air-source heat pumps: the ideal
 * (Carnot) COP of each Viessmann interval between a condensing temperature 2 K above the flow and an
 * evaporating temperature 6 K below the outside air,
 *
 *   ideal COP = (T_flow + 2 + 273.15) / ((T_flow + 2) - (T_outside - 6)),
 *
 * with the interval's mean flow and outside temperatures (the readings at its two ends); the ideal
 * heat is the interval's electricity times that COP. carnot_pct = 100 * Σ heat / Σ ideal heat, both
 * sums over the same running intervals (interval-cop.ts: heat, Shelly electricity, running), from
 * sums and never as a mean of ratios. Intervals whose denominator is not positive (outside warmer
 * than the flow plus 8 K) are left out, and so are cooling intervals (cooling.ts): Carnot here is
 * of heating. Where a backup heater has its own meter, the interval's heat is the heat pump's own
 * (interval-cop.ts takes the heater's energy off). The figure needs no indoor temperature: the ideal
 * COP is between the flow and the outside air, so a room sensor changes nothing here.
 */
import { coolingAt } from "./cooling.ts";
import { intervalEnergy, type IntervalOptions } from "./interval-cop.ts";
import { type Samples } from "../store/samples.ts";
import { lowerBound } from "../../../core/src/sorted.ts";

/** Condensing above the flow and evaporating below the outside air, K (OpenEnergyMonitor's values). */
const CONDENSING_OFFSET_K = 2;
const EVAPORATING_OFFSET_K = 6;
const KELVIN = 273.15;

/** The ideal COP between a flow and an outside temperature (°C), or null when the lift is not positive. */
export function idealCop(flowC: number, outsideC: number): number | null {
  const hot = flowC + CONDENSING_OFFSET_K;
  const lift = hot - (outsideC - EVAPORATING_OFFSET_K);
  if (!(lift > 0)) return null;
  return (hot + KELVIN) / lift;
}

interface CarnotSums {
  /** Heat of the intervals counted (Wh). */
  heatWh: number;
  /** Their electricity times their ideal COP (Wh). */
  idealHeatWh: number;
  intervals: number;
}

/** Mean of the two readings, or the one that exists. */
function mean2(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return (a + b) / 2;
}

/**
 * Sums over the intervals that end inside [startMs, stopMs) (an interval belongs to the day of the
 * reading that closes it, as counter steps do), skipping intervals longer than `maxHpGapMs`.
 */
export function carnotSums(
  s: Samples,
  startMs: number,
  stopMs: number,
  o: IntervalOptions & { maxHpGapMs: number },
): CarnotSums {
  const { t, f } = s.hp;
  const out: CarnotSums = { heatWh: 0, idealHeatWh: 0, intervals: 0 };
  // Past the end t[i] is undefined, and `undefined < stopMs` ends the loop all the same.
  // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, see above
  for (let i = Math.max(1, lowerBound(t, startMs)); i < t.length && t[i]! < stopMs; i++) {
    const span = t[i]! - t[i - 1]!;
    // Times are strictly increasing (samples.ts merges points of one time): span <= 0 never holds.
    // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, see above
    if (span <= 0 || span > o.maxHpGapMs || coolingAt(f, i - 1)) continue;
    const x = intervalEnergy(s, i, o);
    if (!x.running || x.heatWh === null || x.elecWh === null || !(x.elecWh > 0)) continue;
    const ideal = idealCop(
      mean2(f.flow_c[i - 1]!, f.flow_c[i]!),
      mean2(f.outside_c[i - 1]!, f.outside_c[i]!),
    );
    if (ideal === null) continue;
    out.heatWh += x.heatWh;
    out.idealHeatWh += x.elecWh * ideal;
    out.intervals++;
  }
  return out;
}
