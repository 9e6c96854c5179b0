/**
 * What the report engine asks a store. A store answers raw questions only: the samples of a time
 * range, the newest value of named fields, the data extent, and a fingerprint that tells whether a
 * closed day changed. Everything computed from them (daily rows, buckets, series, roll-ups, status)
 * is the engine's, the same code for both stores (local line protocol and InfluxDB).
 */
import type { FileProblems } from "../types.ts";
import type { Samples } from "./samples.ts";
import { type DayRange } from "../../../core/src/time.ts";

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
   * A string per closed day that changes whenever the data in [day start - LOOKBACK_MS, day end +
   * LOOKAHEAD_MS) changes (late data, a journal replay, a file replaced or edited); the cached row and
   * buckets of a day are recomputed when it differs. It does not depend on which days are asked
   * together.
   */
  fingerprints(ranges: readonly DayRange[]): Promise<string[]>;
  /** Time of the first and the last electric or heat pump point in [startMs, stopMs), or null. */
  extent(startMs: number, stopMs: number): Promise<{ firstMs: number; lastMs: number } | null>;
  /** Newest value of each named field (`measurement.field`) in [startMs, stopMs). */
  latest(startMs: number, stopMs: number, fields: readonly string[]): Promise<Map<string, LatestValue>>;
  /** Files with lines left out (a file store only). */
  problems?(): FileProblems[];
  /**
   * Look at the store afresh on the next question (a store that holds on to one look for a burst of
   * questions lets it go): the engine's refresh(), at the start of a site build.
   */
  lookAgain?(): void;
  close(): Promise<void>;
}
