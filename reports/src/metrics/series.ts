/**
 * Chart series from the days' five-minute buckets (day-buckets.ts): one point per bucket with a
 * value, at the bucket's start. Where two neighbouring points are further apart than the series'
 * gap limit, a `v: null` point is put between them, so the line breaks there. The COP series also
 * carries a null point for each bucket that had heat data but no COP (the compressor was off).
 */
import type { SeriesName, SeriesPoint, SeriesSet } from "../types.ts";
import { BUCKET_MS } from "./day-buckets.ts";
import { type DayBuckets } from "../types.ts";

interface SeriesOptions {
  elecIntervalMs: number;
  hpIntervalMs: number;
}

/** Series from the Shelly meters' readings (the backup heater's too), gaps by their poll interval. */
const ELECTRIC: readonly SeriesName[] = ["power_w", "backup_w"];
const HEAT_PUMP: readonly SeriesName[] = [
  "heat_w",
  "outside_c",
  "flow_c",
  "return_c",
  "dhw_c",
  "cop",
  "defrost",
  "flow_lph",
  "delta_t_k",
  "compressor_speed_rps",
  "cooling",
];

/** Series of [startMs, stopMs) from the buckets of the days that cover it, in day order. */
export function seriesFromBuckets(
  days: readonly DayBuckets[],
  startMs: number,
  stopMs: number,
  o: SeriesOptions,
): SeriesSet {
  const out: SeriesSet = {};
  const gap = (name: SeriesName) =>
    Math.max(3 * (ELECTRIC.includes(name) ? o.elecIntervalMs : o.hpIntervalMs), 2 * BUCKET_MS);
  for (const name of [...ELECTRIC, ...HEAT_PUMP]) {
    const maxGapMs = gap(name);
    const points: SeriesPoint[] = [];
    let lastT = Number.NaN;
    for (const d of days) {
      const values = d.values[name];
      const heat = d.values.heat_w;
      for (let k = 0; k < values.length; k++) {
        const t = d.startMs + k * BUCKET_MS;
        if (t < startMs || t >= stopMs) continue;
        const v = values[k]!;
        if (v === null && (name !== "cop" || heat[k] === null)) continue;
        if (t - lastT > maxGapMs) points.push({ t: Math.round((t + lastT) / 2), v: null });
        points.push({ t, v });
        lastT = t;
      }
    }
    out[name] = points;
  }
  return out;
}
