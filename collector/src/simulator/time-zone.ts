/**
 * Device local time: offsets from the shared collector/src/time-zone.ts, cached per hour here (offsets
 * only change on whole hours or half hours in practice, and every zone we care about changes on the hour).
 */
import { localDate, offsetMs } from "../time-zone.ts";

export { localDate, offsetMs };

const HOUR_MS = 3_600_000;
/** Offset lookups cached per UTC hour: the model asks every 10 s. */
export function createOffsetCache(tz: string): (tMs: number) => number {
  let hour = NaN;
  let offset = 0;
  return (tMs: number) => {
    const h = Math.floor(tMs / HOUR_MS);
    if (h !== hour) {
      hour = h;
      offset = offsetMs(tz, h * HOUR_MS);
    }
    return offset;
  };
}

/** `YYYY-MM-DD` -> [year, month (1-12), day], or throws naming the value. */
export function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`expected a date like 2026-01-31, got ${JSON.stringify(date)}`);
  }
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** UTC instant of local midnight starting `date` (`YYYY-MM-DD`) in `tz`. */
export function localMidnightMs(date: string, tz: string): number {
  const [y, mo, d] = parseDate(date);
  const guess = Date.UTC(y, mo - 1, d);
  let t = guess - offsetMs(tz, guess);
  // A second pass settles the offset when a DST change lies between the guess and the answer.
  t = guess - offsetMs(tz, t);
  return t;
}

/** `YYYY-MM-DD` shifted by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, mo, d] = parseDate(date);
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
}
