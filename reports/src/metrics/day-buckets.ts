/**
 * Five-minute buckets of one local day, from local midnight (276, 288 or 300 of them): the chart
 * data of day pages and the dashboard, and the day's CSV. Computed from the same samples as the
 * daily row and cached with it, so a closed day is read once for both.
 *
 * - power_w: mean of the electric power readings in the bucket (W).
 * - heat_w: heat delivered in the bucket, from the interval heat of interval-cop.ts (each Viessmann
 *   interval's heat spread over the buckets it overlaps, by time), over the bucket's length (W).
 *   An interval in which the compressor did not run delivered 0.
 * - flow_c, return_c, outside_c, dhw_c: means of the heat pump samples in the bucket (°C).
 * - cop: the bucket's heat over the Shelly electricity in the bucket, where the compressor ran in it and
 *   delivered heat. A bucket without either has no COP (null, a gap in the chart, never 0): standby
 *   electricity over no heat is not a performance, and neither is the bucket a run starts at its very
 *   end, nor a defrost that takes the whole bucket (both deliver no heat).
 * - defrost: 1 where a heat pump reading in the bucket saw a defrost (`defrosting`), else 0 (defrost.ts
 *   says what five-minute readings can and cannot see).
 * - flow_lph: mean flow rate of the heat pump readings in the bucket (l/h).
 * - delta_t_k: mean flow - return of the readings in the bucket taken while the compressor ran
 *   (`compressor_on` = 1), K; null in a bucket without such a reading (a standing circuit's
 *   difference says nothing). Negative while cooling or defrosting.
 * - compressor_speed_rps: mean of the readings in the bucket (rps), where the device reports it.
 * - backup_w: mean power of the backup heater's meter readings in the bucket (W), where there is one.
 * - cooling: 1 where a cooling interval (cooling.ts) overlaps the bucket, else 0 where a heat pump
 *   interval does.
 * A value that cannot be known is null (an empty cell), never 0. Where a backup heater has its own
 * meter, heat_w and cop are the heat pump's own (interval-cop.ts takes the heater's energy off).
 */
import { type Samples } from "../store/samples.ts";
import { elecIn, intervalEnergy } from "./interval-cop.ts";
import { coolingAt } from "./cooling.ts";
import { type DayRange } from "../../../core/src/time.ts";
import { BUCKET_COLUMNS, type BucketColumn, type DayBuckets } from "../types.ts";
import { round } from "./primitives.ts";
import { lowerBound } from "../../../core/src/sorted.ts";

/** Bucket width (ms). */
export const BUCKET_MS = 300_000;

interface BucketOptions {
  /** Power at or above this (W) means the compressor runs. */
  thresholdW: number;
  elecIntervalMs: number;
  hpIntervalMs: number;
}

/** Digits each column is rounded to (both stores round alike, so their CSVs compare equal). */
const DIGITS: Record<BucketColumn, number> = {
  power_w: 1,
  heat_w: 1,
  flow_c: 2,
  return_c: 2,
  outside_c: 2,
  dhw_c: 2,
  cop: 2,
  defrost: 0,
  flow_lph: 1,
  delta_t_k: 2,
  compressor_speed_rps: 1,
  backup_w: 1,
  cooling: 0,
};

function bucketCount(range: DayRange): number {
  return Math.round((range.endMs - range.startMs) / BUCKET_MS);
}

/** Means of v per bucket (NaN values skipped), null for buckets without a value. */
function bucketMeans(
  t: readonly number[],
  v: readonly number[],
  range: DayRange,
  n: number,
): (number | null)[] {
  const sum = new Array<number>(n).fill(0);
  const count = new Array<number>(n).fill(0);
  for (let i = lowerBound(t, range.startMs); i < t.length && t[i]! < range.endMs; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    const k = Math.floor((t[i]! - range.startMs) / BUCKET_MS);
    sum[k]! += x;
    count[k]!++;
  }
  return sum.map((s, k) => (count[k]! > 0 ? s / count[k]! : null));
}

/** flow - return of each heat pump reading taken while the compressor ran, else NaN. */
function runningSpread(s: Samples): number[] {
  const f = s.hp.f;
  return f.flow_c.map((flow, i) => (f.compressor_on[i] === 1 ? flow - f.return_c[i]! : Number.NaN));
}

export function computeBuckets(s: Samples, range: DayRange, o: BucketOptions): DayBuckets {
  const n = bucketCount(range);
  const { startMs, endMs } = range;
  const bucketStart = (k: number) => startMs + k * BUCKET_MS;

  // Heat: each Viessmann interval's heat spread over the buckets it overlaps.
  const heatWh = new Array<number>(n).fill(0);
  const heatKnown = new Array<boolean>(n).fill(false);
  const heatUnknown = new Array<boolean>(n).fill(false);
  const ran = new Array<boolean>(n).fill(false);
  const cooling = new Array<number | null>(n).fill(null);
  const io = { thresholdW: o.thresholdW, maxElecGapMs: 3 * o.elecIntervalMs };
  const t = s.hp.t;
  for (let i = Math.max(1, lowerBound(t, startMs)); i < t.length && t[i - 1]! < endMs; i++) {
    const t0 = t[i - 1]!;
    const t1 = t[i]!;
    // An interval longer than three polls is missing data, not an interval.
    if (t1 <= t0 || t1 - t0 > 3 * o.hpIntervalMs) continue;
    const x = intervalEnergy(s, i, io);
    const heat = x.running ? x.heatWh : 0;
    const cools = coolingAt(s.hp.f, i - 1);
    const a = Math.max(t0, startMs);
    const b = Math.min(t1, endMs);
    for (let k = Math.floor((a - startMs) / BUCKET_MS); k < n && bucketStart(k) < b; k++) {
      const overlap = Math.min(b, bucketStart(k) + BUCKET_MS) - Math.max(a, bucketStart(k));
      if (overlap <= 0) continue;
      cooling[k] = cools ? 1 : (cooling[k] ?? 0);
      if (x.running) ran[k] = true;
      if (heat === null) heatUnknown[k] = true;
      else {
        heatWh[k]! += (heat * overlap) / (t1 - t0);
        heatKnown[k] = true;
      }
    }
  }
  const hours = BUCKET_MS / 3_600_000;
  const heat = heatWh.map((wh, k) => (heatKnown[k] && !heatUnknown[k] ? wh : null));
  const cop = heat.map((wh, k) => {
    if (wh === null || !(wh > 0) || !ran[k]) return null;
    const e = elecIn(s, bucketStart(k), bucketStart(k) + BUCKET_MS, io);
    // Ran in this bucket, not only in the interval around it: by the Shelly's time above the threshold
    // where its power readings cover the bucket, else by the interval's own judgement (ran[k]).
    if (e.runMs !== null && !(e.runMs > 0)) return null;
    return e.wh !== null && e.wh > 0 ? wh / e.wh : null;
  });

  const backup = s.meters.backup;
  const values: DayBuckets["values"] = {
    power_w: bucketMeans(s.elec.t, s.elec.power, range, n),
    heat_w: heat.map((wh) => (wh === null ? null : wh / hours)),
    flow_c: bucketMeans(t, s.hp.f.flow_c, range, n),
    return_c: bucketMeans(t, s.hp.f.return_c, range, n),
    outside_c: bucketMeans(t, s.hp.f.outside_c, range, n),
    dhw_c: bucketMeans(t, s.hp.f.dhw_c, range, n),
    cop,
    defrost: bucketMeans(t, s.hp.f.defrosting, range, n).map((v) => (v === null ? null : v > 0 ? 1 : 0)),
    flow_lph: bucketMeans(t, s.hp.f.flow_lph, range, n),
    delta_t_k: bucketMeans(t, runningSpread(s), range, n),
    compressor_speed_rps: bucketMeans(t, s.hp.f.compressor_speed_rps, range, n),
    backup_w: backup ? bucketMeans(backup.t, backup.power, range, n) : new Array<null>(n).fill(null),
    cooling,
  };
  for (const c of BUCKET_COLUMNS) values[c] = values[c].map((v) => round(v, DIGITS[c]));
  return { day: range.day, startMs, values };
}
