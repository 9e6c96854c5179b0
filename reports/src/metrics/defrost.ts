/**
 * Defrosts, as the Viessmann readings (`defrosting`, every ~5 minutes) can see them. A defrost
 * reverses the cycle for a few minutes and draws heat back out of the heating water, so the circuit
 * runs with flow below return.
 *
 * - A defrost is a run of consecutive readings with `defrosting` = 1; it belongs to the day of its
 *   first reading.
 * - Its time: each defrosting reading holds until the next reading (sample and hold); so a 4-minute
 *   defrost seen once counts one poll interval (~5 min). Before a gap in the data (no reading within
 *   three polls) or at the end of the data, a reading holds one poll interval.
 * - Its heat: the heat drawn back, flow l/h * 1.163 * (return - flow) at each defrosting reading,
 *   held like the time. Null when a defrosting reading has no flow rate (no `flow_lph`).
 * A defrost shorter than the poll interval that falls between two readings is not seen at all: the
 * counts are a lower bound on short defrosts, and time and heat are estimates of the right size on
 * average (a defrost seen is counted a whole interval, one not seen is counted nothing).
 */
import { thermalW } from "./primitives.ts";
import { type Samples, LOOKBACK_MS } from "../store/samples.ts";
import { lowerBound } from "../../../core/src/sorted.ts";

interface DefrostStats {
  count: number | null;
  minutes: number | null;
  /** Heat drawn back from the circuit, Wh. */
  heatWh: number | null;
}

/** `hpIntervalMs`: the heat pump's poll interval (ms). */
export function defrostStats(
  s: Samples,
  startMs: number,
  stopMs: number,
  hpIntervalMs: number,
): DefrostStats {
  const maxHpGapMs = 3 * hpIntervalMs;
  const { t, f } = s.hp;
  const i0 = lowerBound(t, startMs);
  const i1 = lowerBound(t, stopMs);
  let seen = false;
  let count = 0;
  let ms = 0;
  let wh = 0;
  let heatKnown = true;
  let flowRate = false;
  // Whether the reading before each one was defrosting (a defrost that began the day before).
  let prev = false;
  let prevT = Number.NaN;
  for (let i = lowerBound(t, startMs - LOOKBACK_MS); i < i0; i++)
    if (!Number.isNaN(f.defrosting[i]!)) {
      prev = f.defrosting[i] === 1;
      prevT = t[i]!;
    }
  for (let i = i0; i < i1; i++) {
    if (!Number.isNaN(f.flow_lph[i]!)) flowRate = true;
    const d = f.defrosting[i]!;
    if (Number.isNaN(d)) continue;
    seen = true;
    const on = d === 1;
    if (on) {
      if (!prev || t[i]! - prevT > maxHpGapMs) count++;
      const hold = heldMs(t, f.defrosting, i, hpIntervalMs);
      ms += hold;
      const w = thermalW(f.flow_lph[i]!, f.flow_c[i]!, f.return_c[i]!);
      if (Number.isNaN(w)) heatKnown = false;
      else wh += (Math.max(0, -w) * hold) / 3_600_000;
    }
    prev = on;
    prevT = t[i]!;
  }
  if (!seen) return { count: null, minutes: null, heatWh: null };
  // No defrost and a flow sensor: no heat drawn back (a real zero). No flow sensor: unknown.
  const heat = count === 0 && ms === 0 ? (flowRate ? 0 : null) : heatKnown ? wh : null;
  return { count, minutes: ms / 60_000, heatWh: heat };
}

/** How long reading i holds: to the next reading of the field, or one poll before a gap or the end. */
function heldMs(t: readonly number[], v: readonly number[], i: number, intervalMs: number): number {
  for (let j = i + 1; j < t.length; j++)
    if (!Number.isNaN(v[j]!)) return t[j]! - t[i]! <= 3 * intervalMs ? t[j]! - t[i]! : intervalMs;
  return intervalMs;
}
