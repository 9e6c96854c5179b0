/**
 * COP per mode: the Shelly's running electricity split by what the heat pump was doing. Each
 * Viessmann reading's mode (`dhw_active`: 1 hot water, 0 space heating) holds from the reading to the
 * next one, so the electricity of an interval goes to the mode at the interval's start; a defrost
 * keeps the mode it interrupts (the valve does not move). A reading's mode holds at most
 * `maxHpGapMs` (three polls): electricity after that, in a gap of the heat pump data, has no mode.
 *
 * The electricity itself is electricStats' (metrics.ts, through electric-span.ts) over each run of
 * one mode, so its counter rules, running threshold and gap handling are the daily row's: where
 * every minute of the day has a known mode, heating + hot water = running_elec_kwh, and standby
 * stays apart. Cooling intervals (cooling.ts) are neither mode: their electricity is cooling's, so
 * on a day with cooling, heating + hot water = running_elec_kwh less the cooling intervals' running part.
 */
import { coolingSpans, withoutSpans } from "./cooling.ts";
import { spanStats } from "./electric-span.ts";
import { type Samples, LOOKBACK_MS } from "../store/samples.ts";
import { lowerBound } from "../../../core/src/sorted.ts";

interface ModeRun {
  fromMs: number;
  toMs: number;
  dhw: boolean;
}

/** The spans of [startMs, stopMs) with a known mode, adjacent spans of one mode merged. */
export function modeRuns(s: Samples, startMs: number, stopMs: number, maxHpGapMs: number): ModeRun[] {
  const { t, f } = s.hp;
  const mode = f.dhw_active;
  const runs: ModeRun[] = [];
  const end = lowerBound(t, stopMs);
  // Readings that carry the mode, from the last one before the period.
  const known: number[] = [];
  for (let i = lowerBound(t, startMs - LOOKBACK_MS); i < end; i++) if (!Number.isNaN(mode[i]!)) known.push(i);
  for (let k = 0; k < known.length; k++) {
    const i = known[k]!;
    const next = k + 1 < known.length ? t[known[k + 1]!]! : Number.POSITIVE_INFINITY;
    const fromMs = Math.max(startMs, t[i]!);
    const toMs = Math.min(stopMs, next, t[i]! + maxHpGapMs);
    if (toMs <= fromMs) continue;
    const dhw = mode[i] === 1;
    const last = runs.at(-1);
    if (last && last.dhw === dhw && last.toMs === fromMs) last.toMs = toMs;
    else runs.push({ fromMs, toMs, dhw });
  }
  return runs;
}

interface ModeElectricity {
  /** Running electricity while heating the house / making hot water (Wh); null without modes or data. */
  heatingWh: number | null;
  dhwWh: number | null;
}

export function modeElectricity(
  s: Samples,
  startMs: number,
  stopMs: number,
  o: { thresholdW: number; maxElecGapMs: number; maxHpGapMs: number },
): ModeElectricity {
  let heating = 0;
  let dhw = 0;
  let known = false;
  const e = s.elec;
  const cooling = coolingSpans(s, startMs, stopMs, o.maxHpGapMs);
  for (const run of withoutSpans(modeRuns(s, startMs, stopMs, o.maxHpGapMs), cooling)) {
    const wh = spanStats(e, run.fromMs, run.toMs, o.thresholdW, o.maxElecGapMs).runningWh;
    if (wh === null) continue;
    known = true;
    if (run.dhw) dhw += wh;
    else heating += wh;
  }
  return known ? { heatingWh: heating, dhwWh: dhw } : { heatingWh: null, dhwWh: null };
}
