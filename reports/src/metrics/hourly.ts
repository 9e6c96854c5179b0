/**
 * A day's electricity per local clock hour (index 0 = 00:00-01:00 local .. 23), so that prices that
 * change with the time of day (ELECTRICITY_PRICE_SCHEDULE, tariff.ts) are applied when rolling up,
 * and a changed price needs no recomputation of history. Each hour is electricStats' (metrics.ts,
 * through electric-span.ts) over that hour: a counter step counts in the hour of the reading that
 * ends it, as in the day, so the hours add up to the day's elec_kwh (an hour without counter
 * readings on a day measured by the counter is null: the step after the gap carries its energy).
 * On the 25-hour day the repeated hour adds into its one clock hour (a schedule prices both alike);
 * on the 23-hour day the skipped hour is null. An hour without a step is null, never 0.
 */
import { offsetMs, type DayRange } from "../../../core/src/time.ts";
import { spanStats } from "./electric-span.ts";
import type { Samples } from "../store/samples.ts";

const HOUR_MS = 3_600_000;

/** Local clock hour (0..23) of an instant in `tz`. */
export const localHour = (tz: string, ms: number): number => new Date(ms + offsetMs(tz, ms)).getUTCHours();

/** Wh per local clock hour, 24 entries; `method` is how the day's electricity was measured. */
export function hourlyElectricity(
  s: Samples,
  range: DayRange,
  tz: string,
  o: { thresholdW: number; maxElecGapMs: number; method: "counter" | "power" | null },
): (number | null)[] {
  const out = new Array<number | null>(24).fill(null);
  const e = s.elec;
  for (let from = range.startMs; from < range.endMs; from += HOUR_MS) {
    const to = Math.min(range.endMs, from + HOUR_MS);
    const hour = spanStats(e, from, to, o.thresholdW, o.maxElecGapMs);
    if (hour.elecWh === null || hour.method !== o.method) continue;
    const wh = hour.elecWh;
    const h = localHour(tz, from);
    out[h] = (out[h] ?? 0) + wh;
  }
  return out;
}
