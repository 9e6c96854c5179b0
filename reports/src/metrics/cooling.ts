/**
 * Cooling: heat taken out of the house, never part of the heating figures.
 *
 * - A Viessmann interval (between two heat pump readings, at most three polls apart) is cooling when
 *   its first reading says so: `cooling_active` = 1 (the device's operating state; 0 is trusted as
 *   not cooling). Where the device does not report `cooling_active`, when the compressor runs
 *   (`compressor_on` = 1) and the return is above the flow by more than COOLING_DEAD_BAND_K: heat
 *   flowing the other way. A reading taken while defrosting (flow below return too, but heat drawn
 *   back for the outdoor unit, defrost.ts) or while making hot water (the circuit may be in cooling
 *   mode while the cylinder is heated) never starts a cooling interval.
 * - Cooling energy: flow l/h * 1.163 * (return - flow) read at the interval's ends where the
 *   compressor ran and did not defrost, averaged, times the time the Shelly shows it ran (as the
 *   interval's heat in interval-cop.ts); an interval across midnight counts for each day by its
 *   share of time. Null for the day where an interval has no flow rate or temperatures.
 * - cooling_elec_kwh: the heat pump meter's electricity in the cooling intervals, as electricStats
 *   counts the day's (electric-span.ts); its running part is kept apart for cop_running.
 * - eer = cooling / cooling electricity.
 * `elec_kwh` stays what the meter measured, cooling included; `cop`, `cop_running`, the COP per mode,
 * % of Carnot, the degree-day figures and the house fit leave the cooling intervals out.
 */
import { elecIn, type IntervalOptions } from "./interval-cop.ts";
import { spanStats } from "./electric-span.ts";
import { ratio, thermalW } from "./primitives.ts";
import type { HpSamples, Samples } from "../store/samples.ts";
import { lowerBound } from "../../../core/src/sorted.ts";

/**
 * Return above flow by more than this (K) while the compressor runs is cooling, where the device does
 * not say: above the sensors' noise (0.1-0.2 K between two readings at standstill), below the 2-5 K a
 * cooling circuit runs at.
 */
export const COOLING_DEAD_BAND_K = 0.5;

/** Whether the interval that starts at heat pump reading i is cooling. */
export function coolingAt(f: HpSamples["f"], i: number): boolean {
  if (f.dhw_active[i] === 1 || f.defrosting[i] === 1) return false;
  const state = f.cooling_active[i]!;
  if (!Number.isNaN(state)) return state === 1;
  return f.compressor_on[i] === 1 && f.return_c[i]! - f.flow_c[i]! > COOLING_DEAD_BAND_K;
}

export interface Span {
  fromMs: number;
  toMs: number;
}

/** The cooling intervals overlapping [startMs, stopMs), by the index of their closing reading. */
export function coolingIntervals(s: Samples, startMs: number, stopMs: number, maxHpGapMs: number): number[] {
  const { t, f } = s.hp;
  const out: number[] = [];
  for (let i = Math.max(1, lowerBound(t, startMs)); i < t.length && t[i - 1]! < stopMs; i++) {
    if (t[i]! <= startMs || t[i]! - t[i - 1]! > maxHpGapMs) continue;
    if (coolingAt(f, i - 1)) out.push(i);
  }
  return out;
}

/** The cooling intervals of [startMs, stopMs) as spans inside it, neighbours merged. */
export function coolingSpans(s: Samples, startMs: number, stopMs: number, maxHpGapMs: number): Span[] {
  const t = s.hp.t;
  const spans: Span[] = [];
  for (const i of coolingIntervals(s, startMs, stopMs, maxHpGapMs)) {
    const fromMs = Math.max(startMs, t[i - 1]!);
    const toMs = Math.min(stopMs, t[i]!);
    const last = spans.at(-1);
    if (last && last.toMs === fromMs) last.toMs = toMs;
    else spans.push({ fromMs, toMs });
  }
  return spans;
}

/** Spans of `runs` outside every span of `cut` (both in time order, `cut` not overlapping itself). */
export function withoutSpans<T extends Span>(runs: readonly T[], cut: readonly Span[]): T[] {
  if (cut.length === 0) return [...runs];
  const out: T[] = [];
  for (const run of runs) {
    let from = run.fromMs;
    for (const c of cut) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: cuts outside [from, run.toMs) add no piece
      if (c.toMs <= from || c.fromMs >= run.toMs) continue;
      if (c.fromMs > from) out.push({ ...run, fromMs: from, toMs: c.fromMs });
      from = Math.max(from, c.toMs);
    }
    if (from < run.toMs) out.push({ ...run, fromMs: from, toMs: run.toMs });
  }
  return out;
}

/** Cooling delivered in the interval closing at reading i (Wh), or null where it cannot be known. */
function coolingWh(s: Samples, i: number, o: IntervalOptions): number | null {
  const { t, f } = s.hp;
  const ends = [i - 1, i];
  const w = ends.map((k) => -thermalW(f.flow_lph[k]!, f.flow_c[k]!, f.return_c[k]!));
  if (w.some((x) => Number.isNaN(x))) return null;
  const e = elecIn(s, t[i - 1]!, t[i]!, o);
  const ran = ends.map(
    (k, j) =>
      f.defrosting[k] !== 1 && (Number.isNaN(f.compressor_on[k]!) ? w[j]! > 0 : f.compressor_on[k] === 1),
  );
  const seen = w.filter((_, j) => ran[j]);
  // Cooling mode standing by delivers nothing; a run neither reading saw cannot be known.
  if (seen.length === 0) return e.runMs !== null && e.runMs > 0 ? null : 0;
  const meanW = seen.reduce((a, x) => a + x, 0) / seen.length;
  return Math.max(0, (meanW * (e.runMs ?? t[i]! - t[i - 1]!)) / 3_600_000);
}

interface CoolingStats {
  /** Cooling delivered (Wh); null without cooling or where an interval's cannot be known. */
  coolingWh: number | null;
  /** The heat pump meter's electricity in the cooling intervals, and its running part (Wh). */
  elecWh: number | null;
  runningWh: number | null;
  eer: number | null;
}

export function coolingStats(
  s: Samples,
  startMs: number,
  stopMs: number,
  o: IntervalOptions & { maxHpGapMs: number },
): CoolingStats {
  const t = s.hp.t;
  const intervals = coolingIntervals(s, startMs, stopMs, o.maxHpGapMs);
  if (intervals.length === 0) return { coolingWh: null, elecWh: null, runningWh: null, eer: null };
  let cooling: number | null = 0;
  for (const i of intervals) {
    const wh = coolingWh(s, i, o);
    if (wh === null || cooling === null) {
      cooling = null;
      continue;
    }
    const t0 = t[i - 1]!;
    const t1 = t[i]!;
    cooling += (wh * (Math.min(stopMs, t1) - Math.max(startMs, t0))) / (t1 - t0);
  }
  let elec: number | null = null;
  let running: number | null = null;
  for (const span of coolingSpans(s, startMs, stopMs, o.maxHpGapMs)) {
    const x = spanStats(s.elec, span.fromMs, span.toMs, o.thresholdW, o.maxElecGapMs);
    if (x.elecWh !== null) elec = (elec ?? 0) + x.elecWh;
    if (x.runningWh !== null) running = (running ?? 0) + x.runningWh;
  }
  return { coolingWh: cooling, elecWh: elec, runningWh: running, eer: ratio(cooling, elec) };
}
