/**
 * Chart series downsampled while reading: bucket means, at most about `maxPoints` buckets, bucket
 * times at the bucket start. A gap (no sample for longer than ~3 native intervals or 2 buckets) is
 * marked by a `v: null` point so the line breaks there.
 */
import type { SeriesName, SeriesPoint, SeriesSet } from "./types.ts";
import { lowerBound, type Samples } from "./samples.ts";
import { thermalW } from "./metrics.ts";
import { intervalEnergy } from "./interval-cop.ts";

export interface SeriesOptions {
  elecIntervalMs: number;
  hpIntervalMs: number;
  /** An interval whose power never reaches this (W) had the compressor off: no COP. */
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
  out.cop = copSeries(s, startMs, stopMs, hW, hGap, o);
  return out;
}

/**
 * COP per Viessmann interval (interval-cop.ts), downsampled by adding up the running intervals that
 * start in a bucket: sum of heat / sum of electricity, never a mean of ratios. A bucket with intervals
 * but none running (or a side missing) is a null point, so the line breaks there; a bucket without
 * heat pump samples is a gap as in the other series.
 */
export function copSeries(
  s: Samples,
  startMs: number,
  stopMs: number,
  width: number,
  maxGapMs: number,
  o: SeriesOptions,
): SeriesPoint[] {
  const io = { thresholdW: o.thresholdW, maxElecGapMs: 3 * o.elecIntervalMs };
  const out: SeriesPoint[] = [];
  const t = s.hp.t;
  let cur = -1;
  let heat = 0;
  let elec = 0;
  let ok = false;
  const flush = () => {
    if (cur < 0) return;
    const bt = startMs + cur * width;
    const prev = out.at(-1);
    if (prev && bt - prev.t > maxGapMs) out.push({ t: Math.round((bt + prev.t) / 2), v: null });
    out.push({ t: bt, v: ok && elec > 0 ? Math.round((heat / elec) * 100) / 100 : null });
  };
  for (let i = Math.max(1, lowerBound(t, startMs)); i < t.length && t[i - 1]! < stopMs; i++) {
    if (t[i - 1]! < startMs) continue;
    // An interval longer than a gap is missing data, not an interval.
    if (t[i]! - t[i - 1]! > Math.max(3 * o.hpIntervalMs, width)) continue;
    const b = Math.floor((t[i - 1]! - startMs) / width);
    if (b !== cur) {
      flush();
      cur = b;
      heat = 0;
      elec = 0;
      ok = false;
    }
    const x = intervalEnergy(s, i, io);
    if (!x.running || x.heatWh === null || x.elecWh === null) continue;
    heat += x.heatWh;
    elec += x.elecWh;
    ok = true;
  }
  flush();
  return out;
}
