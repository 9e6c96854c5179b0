/** What the report engine needs from a store; implemented over local line protocol and InfluxDB. */
import type { DayRange } from "./periods.ts";
import type { Samples } from "./samples.ts";

export interface LatestValue {
  /** ms since epoch */
  t: number;
  v: number;
}

export interface RawSource {
  /** Identifies the store in cache keys (a path or a URL + bucket; never a token). */
  readonly id: string;
  /** All samples the metrics need in [startMs, stopMs). */
  samples(startMs: number, stopMs: number): Promise<Samples>;
  /**
   * A string per day that changes whenever data in [day start - LOOKBACK_MS, day end) changes
   * (late data, a journal replay). Cached closed days are recomputed when it differs.
   */
  fingerprints(ranges: readonly DayRange[]): Promise<string[]>;
  /** Time of the first and the last point, or null when the store is empty. */
  extent(): Promise<{ firstMs: number; lastMs: number } | null>;
  /** Newest value of each named field (`measurement.field`) at or before `nowMs`. */
  latest(nowMs: number, fields: readonly string[]): Promise<Map<string, LatestValue>>;
  /** Optional server-side downsampling: window means as samples at window starts (InfluxDB). */
  seriesSamples?(startMs: number, stopMs: number, everyElecMs: number, everyHpMs: number): Promise<Samples>;
  close(): Promise<void>;
}
