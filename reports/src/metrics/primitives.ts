/**
 * Pure metric functions, after the definitions of OpenEnergyMonitor's heat pump app (README, Reports).
 * Inputs are time-sorted columns with NaN for missing values; outputs are null, never 0, NaN or
 * Infinity, when they cannot be computed.
 */
import { LOOKBACK_MS } from "../store/samples.ts";
import { lowerBound } from "../../../core/src/sorted.ts";

/** Rounds for output; both stores round alike so their rows compare equal. */
export const round = (x: number | null, digits: number): number | null =>
  x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits;

// The heat formula is core's: the collector's live thermal power (MQTT) uses it too.
export { thermalW } from "../../../core/src/metrics/thermal.ts";

/**
 * Increase of a counter over [startMs, endMs): the sum of the steps into samples inside the period,
 * the first from the last sample before it (within the data given). A drop is a reset or the
 * device's midnight rollover: the new value counts as the increase. Null when there is no step.
 */
export function counterIncrease(
  t: readonly number[],
  v: readonly number[],
  startMs: number,
  endMs: number,
): number | null {
  let prev = Number.NaN;
  let sum = 0;
  let steps = 0;
  const end = lowerBound(t, endMs);
  for (let i = lowerBound(t, startMs - LOOKBACK_MS); i < end; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    if (t[i]! >= startMs && !Number.isNaN(prev)) {
      sum += x >= prev ? x - prev : x;
      steps++;
    }
    prev = x;
  }
  return steps === 0 ? null : sum;
}

/** heat / electricity, or null when either is missing or electricity is not positive. */
export function ratio(num: number | null, den: number | null): number | null {
  if (num === null || den === null || !(den > 0) || !Number.isFinite(num)) return null;
  return num / den;
}

/** Median spacing of t[i0..i1) (ms), or null with fewer than 10 samples. */
export function medianSpacing(t: readonly number[], i0: number, i1: number): number | null {
  if (i1 - i0 < 10) return null;
  const d: number[] = [];
  for (let i = i0 + 1; i < i1; i++) d.push(t[i]! - t[i - 1]!);
  d.sort((a, b) => a - b);
  return d[d.length >> 1]! || null;
}

/** Share of expected samples present, percent (0..100). */
export function coveragePct(samples: number, durationMs: number, intervalMs: number): number {
  if (durationMs <= 0 || intervalMs <= 0) return 0;
  return Math.min(100, (100 * samples * intervalMs) / durationMs);
}

/** Sum of the non-null values, or null when all are null. */
export function sumOrNull(...xs: (number | null)[]): number | null {
  let s: number | null = null;
  for (const x of xs) if (x !== null) s = (s ?? 0) + x;
  return s;
}

/** Weighted mean of values with weights; null when the weights sum to zero. */
export function weightedMean(values: readonly number[], weights: readonly number[]): number | null {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights[i]!;
    const v = values[i]!;
    if (!(w > 0) || Number.isNaN(v)) continue;
    sw += w;
    s += w * v;
  }
  return sw > 0 ? s / sw : null;
}

export interface ElectricStats {
  /** Samples inside the period. */
  samples: number;
  elecWh: number | null;
  method: "counter" | "power" | null;
  runningWh: number | null;
  standbyWh: number | null;
  runningMs: number | null;
  starts: number | null;
}

/**
 * Electricity, running/standby split and compressor starts from the 10 s `electric` samples.
 * Sample and hold: the power read at a poll holds until the next poll, so a step's energy is
 * running energy when the power at its start was >= `thresholdW`. Steps longer than `maxGapMs` are
 * gaps: their counter increase still counts in elecWh (the counter is honest) but not in the split,
 * in running time or in starts.
 */
export function electricStats(
  t: readonly number[],
  power: readonly number[],
  energy: readonly number[],
  startMs: number,
  endMs: number,
  thresholdW: number,
  maxGapMs: number,
): ElectricStats {
  let prevPT = Number.NaN;
  let prevP = Number.NaN;
  let prevET = Number.NaN;
  let prevE = Number.NaN;
  let n = 0;
  let eSteps = 0;
  let eWh = 0;
  let eRun = 0;
  let eStandby = 0;
  let pSteps = 0;
  let pWh = 0;
  let pRun = 0;
  let pStandby = 0;
  let runMs = 0;
  let starts = 0;
  const end = lowerBound(t, endMs);
  for (let i = lowerBound(t, startMs - LOOKBACK_MS); i < end; i++) {
    const ti = t[i]!;
    const p = power[i]!;
    const e = energy[i]!;
    const inside = ti >= startMs;
    if (inside) n++;
    if (!Number.isNaN(e)) {
      if (inside && !Number.isNaN(prevE)) {
        const d = e >= prevE ? e - prevE : e;
        eWh += d;
        eSteps++;
        // The state at the start of the step is the last power reading at or before prevET.
        if (ti - prevET <= maxGapMs && !Number.isNaN(prevP) && prevET - prevPT <= maxGapMs) {
          if (prevP >= thresholdW) eRun += d;
          else eStandby += d;
        }
      }
      prevE = e;
      prevET = ti;
    }
    if (!Number.isNaN(p)) {
      if (inside && !Number.isNaN(prevP) && ti - prevPT <= maxGapMs) {
        const dt = ti - prevPT;
        // Step energy in Wh: imported power only (export is not consumption).
        const wh = (Math.max(0, prevP) * dt) / 3_600_000;
        pSteps++;
        pWh += wh;
        if (prevP >= thresholdW) {
          pRun += wh;
          runMs += dt;
        } else pStandby += wh;
        if (p >= thresholdW && prevP < thresholdW) starts++;
      }
      prevP = p;
      prevPT = ti;
    }
  }
  const byCounter = eSteps > 0;
  const byPower = !byCounter && pSteps > 0;
  return {
    samples: n,
    elecWh: byCounter ? eWh : byPower ? pWh : null,
    method: byCounter ? "counter" : byPower ? "power" : null,
    runningWh: byCounter ? (pSteps > 0 || eRun + eStandby > 0 ? eRun : null) : byPower ? pRun : null,
    standbyWh: byCounter ? (pSteps > 0 || eRun + eStandby > 0 ? eStandby : null) : byPower ? pStandby : null,
    runningMs: pSteps > 0 ? runMs : null,
    starts: pSteps > 0 ? starts : null,
  };
}

/** Plain mean of the finite values in [i0, i1). */
export function meanOf(v: readonly number[], i0: number, i1: number): number | null {
  let s = 0;
  let n = 0;
  for (let i = i0; i < i1; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    s += x;
    n++;
  }
  return n > 0 ? s / n : null;
}

/** Maximum of the finite values in [i0, i1), or null. */
export function maxOf(v: readonly number[], i0: number, i1: number): number | null {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = i0; i < i1; i++) if (v[i]! > m) m = v[i]!;
  return Number.isFinite(m) ? m : null;
}
