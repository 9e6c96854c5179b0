/**
 * The engine's questions to the raw source, each inside the window of believable times
 * (plausible.ts): samples with their counters judged, the newest values of fields, and the extent
 * in local days (asked once per cycle).
 */
import type { LatestValue, RawSource } from "../store/raw-source.ts";
import { sliceSamples, type Samples } from "../store/samples.ts";
import { judgeSamples } from "../metrics/counters.ts";
import { clip, plausibleWindow, type TimeWindow } from "../store/plausible.ts";
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
  /**
   * The samples of each window, as samples() gives them for it alone, from one read of the span they
   * cover: each window's counters are judged on its own samples, so what a day is computed from does
   * not depend on the days read with it.
   */
  windows(c: Cycle, windows: readonly TimeWindow[]): Promise<Samples[]>;
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

    async windows(c, ws) {
      if (ws.length === 0) return [];
      const plausible = plausibleWindow(c.nowMs);
      const clipped = ws.map((x) => clip(plausible, x.startMs, x.stopMs));
      const startMs = Math.min(...clipped.map((x) => x.startMs));
      const stopMs = Math.max(...clipped.map((x) => x.stopMs));
      const all = await raw.samples(startMs, stopMs);
      const one = clipped.length === 1;
      return clipped.map((x) =>
        judgeSamples(one ? all : sliceSamples(all, x.startMs, x.stopMs), o.maxPowerW),
      );
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
