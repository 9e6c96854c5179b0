/**
 * The engine's questions to the raw source, each inside the window of believable times
 * (plausible.ts): samples with their counters judged, the newest values of fields, and the extent
 * in local days (asked once per cycle).
 */
import type { LatestValue, RawSource } from "../store/raw-source.ts";
import type { Samples } from "../store/samples.ts";
import { judgeSamples } from "../metrics/counters.ts";
import { clip, plausibleWindow } from "../store/plausible.ts";
import { dayOf } from "../../../core/src/time.ts";
import type { Cycle } from "./cycle.ts";

/** How far back the newest value of a field is looked for (ms). */
const LATEST_SPAN_MS = 31 * 86_400_000;

export interface ReadOptions {
  tz: string;
  /** The most the installation can draw (W): counters may not rise faster (counters.ts). */
  maxPowerW: number;
}

export interface Reads {
  /** Samples of [startMs, stopMs) inside the window of believable times, counters judged. */
  samples(c: Cycle, startMs: number, stopMs: number): Promise<Samples>;
  /** Newest values at or before `atMs`, looked for in the 31 days before it. */
  latestValues(atMs: number, fields: readonly string[]): Promise<Map<string, LatestValue>>;
  /** First and last local day with any data, or null when there is none. */
  extentDays(): Promise<{ first: string; last: string } | null>;
}

export function createReads(raw: RawSource, o: ReadOptions, current: () => Cycle): Reads {
  return {
    async samples(c, startMs, stopMs) {
      const w = clip(plausibleWindow(c.nowMs), startMs, stopMs);
      return judgeSamples(await raw.samples(w.startMs, w.stopMs), o.maxPowerW);
    },

    latestValues(atMs, fields) {
      const w = clip(plausibleWindow(current().nowMs), atMs - LATEST_SPAN_MS, atMs + 1);
      return raw.latest(w.startMs, w.stopMs, fields);
    },

    async extentDays() {
      const c = current();
      c.extent ??= (async () => {
        const w = plausibleWindow(c.nowMs);
        const e = await raw.extent(w.startMs, w.stopMs);
        return e ? { first: dayOf(o.tz, e.firstMs), last: dayOf(o.tz, e.lastMs) } : null;
      })();
      return c.extent;
    },
  };
}
