/**
 * Chart series downsampled while reading: bucket means, at most about `maxPoints` buckets, bucket
 * times at the bucket start. A gap (no sample for longer than ~3 native intervals or 2 buckets) is
 * marked by a `v: null` point so the line breaks there.
 */
import type { SeriesName, SeriesPoint, SeriesSet } from "./types.ts";
import { lowerBound, type Samples } from "./samples.ts";
import { thermalW } from "./metrics.ts";

export interface SeriesOptions {
  elecIntervalMs: number;
  hpIntervalMs: number;
  /** Below this mean electric power (W) a bucket has no COP (standby). */
  thresholdW: number;
}

/** Bucket width (ms) for a span and a point budget: whole seconds, never below `minMs`. */
export function bucketMs(startMs: number, stopMs: number, maxPoints: number, minMs: number): number {
  const raw = Math.ceil((stopMs - startMs) / Math.max(1, maxPoints) / 1000) * 1000;
  return Math.max(raw, minMs);
}

/** Bucket means of (t, v) over [startMs, stopMs), buckets aligned to startMs. */
export function bucketMeans(
  t: readonly number[],
  v: readonly number[],
  startMs: number,
  stopMs: number,
  width: number,
): { t: number[]; v: number[] } {
  const out = { t: [] as number[], v: [] as number[] };
  let cur = -1;
  let s = 0;
  let n = 0;
  const flush = () => {
    if (n > 0) {
      out.t.push(startMs + cur * width);
      out.v.push(s / n);
    }
  };
  for (let i = lowerBound(t, startMs); i < t.length && t[i]! < stopMs; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    const b = Math.floor((t[i]! - startMs) / width);
    if (b !== cur) {
      flush();
      cur = b;
      s = 0;
      n = 0;
    }
    s += x;
    n++;
  }
  flush();
  return out;
}

/** Points with a null inserted wherever two neighbours are further apart than `maxGapMs`. */
export function withGaps(b: { t: number[]; v: number[] }, maxGapMs: number, digits = 2): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  const f = 10 ** digits;
  for (let i = 0; i < b.t.length; i++) {
    if (i > 0 && b.t[i]! - b.t[i - 1]! > maxGapMs)
      out.push({ t: Math.round((b.t[i]! + b.t[i - 1]!) / 2), v: null });
    out.push({ t: b.t[i]!, v: Math.round(b.v[i]! * f) / f });
  }
  return out;
}

/** Thermal power per heat pump sample (W): flow rate and spread where known, else heat counter steps. */
export function heatPower(s: Samples): number[] {
  const { t, f } = s.hp;
  const out: number[] = [];
  let prevC = Number.NaN;
  let prevT = Number.NaN;
  for (let i = 0; i < t.length; i++) {
    const w = thermalW(f.flow_lph[i]!, f.flow_c[i]!, f.return_c[i]!);
    const hh = f.heat_heating_day_kwh[i]!;
    const hd = f.heat_dhw_day_kwh[i]!;
    const c =
      Number.isNaN(hh) && Number.isNaN(hd)
        ? Number.NaN
        : (Number.isNaN(hh) ? 0 : hh) + (Number.isNaN(hd) ? 0 : hd);
    let fromCounter = Number.NaN;
    if (!Number.isNaN(c) && !Number.isNaN(prevC) && t[i]! > prevT)
      fromCounter = ((c >= prevC ? c - prevC : c) * 3.6e9) / (t[i]! - prevT) / 1000;
    out.push(Number.isNaN(w) ? fromCounter : w);
    if (!Number.isNaN(c)) {
      prevC = c;
      prevT = t[i]!;
    }
  }
  return out;
}

export function buildSeries(
  s: Samples,
  startMs: number,
  stopMs: number,
  maxPoints: number,
  o: SeriesOptions,
): SeriesSet {
  const eW = bucketMs(startMs, stopMs, maxPoints, o.elecIntervalMs);
  const hW = bucketMs(startMs, stopMs, maxPoints, o.hpIntervalMs);
  const eGap = Math.max(3 * o.elecIntervalMs, 2 * eW);
  const hGap = Math.max(3 * o.hpIntervalMs, 2 * hW);
  const out: SeriesSet = {};
  out.power_w = withGaps(bucketMeans(s.elec.t, s.elec.power, startMs, stopMs, eW), eGap, 1);
  for (const name of ["outside_c", "flow_c", "return_c", "dhw_c"] as const satisfies SeriesName[]) {
    out[name] = withGaps(bucketMeans(s.hp.t, s.hp.f[name], startMs, stopMs, hW), hGap, 2);
  }
  const heat = bucketMeans(s.hp.t, heatPower(s), startMs, stopMs, hW);
  out.heat_w = withGaps(heat, hGap, 0);
  // COP per heat pump bucket: mean thermal power over mean electric power in the same bucket.
  const elecInHp = bucketMeans(s.elec.t, s.elec.power, startMs, stopMs, hW);
  const cop = { t: [] as number[], v: [] as number[] };
  let j = 0;
  for (let i = 0; i < heat.t.length; i++) {
    while (j < elecInHp.t.length && elecInHp.t[j]! < heat.t[i]!) j++;
    if (j < elecInHp.t.length && elecInHp.t[j] === heat.t[i] && elecInHp.v[j]! >= o.thresholdW) {
      cop.t.push(heat.t[i]!);
      cop.v.push(Math.max(0, heat.v[i]!) / elecInHp.v[j]!);
    }
  }
  out.cop = withGaps(cop, hGap, 2);
  return out;
}
