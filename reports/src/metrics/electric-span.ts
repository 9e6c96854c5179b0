/**
 * electricStats (metrics.ts) over a short span of a day, an hour or a run of one mode, without its
 * six-hour look-back: the arrays handed over start at the last power and the last energy reading
 * before the span, which is all electricStats reads from before it. Same result, a tenth of the work
 * for the 24 hours and the mode runs of every day.
 */
import { electricStats, type ElectricStats } from "./primitives.ts";
import { type ElecSamples, LOOKBACK_MS } from "../store/samples.ts";
import { lowerBound } from "../../../core/src/sorted.ts";

export function spanStats(
  e: ElecSamples,
  fromMs: number,
  toMs: number,
  thresholdW: number,
  maxGapMs: number,
): ElectricStats {
  const i0 = lowerBound(e.t, fromMs);
  // The last reading of each field before the span (electricStats carries both into it).
  let lastP = -1;
  let lastE = -1;
  for (let i = i0 - 1; i >= 0 && (lastP < 0 || lastE < 0); i--) {
    if (lastP < 0 && !Number.isNaN(e.power[i]!)) lastP = i;
    if (lastE < 0 && !Number.isNaN(e.energy[i]!)) lastE = i;
    // Beyond the look-back electricStats would not see them either.
    if (fromMs - e.t[i]! > LOOKBACK_MS) break;
  }
  const from = Math.max(0, Math.min(lastP < 0 ? i0 : lastP, lastE < 0 ? i0 : lastE));
  const to = lowerBound(e.t, toMs);
  return electricStats(
    e.t.slice(from, to),
    e.power.slice(from, to),
    e.energy.slice(from, to),
    fromMs,
    toMs,
    thresholdW,
    maxGapMs,
  );
}
