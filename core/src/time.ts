/**
 * Local time and day arithmetic in an IANA time zone, from Intl alone (no date library): the one
 * implementation the simulator (device local time: day counters roll over at the device's
 * midnight) and the report engine (local days in REPORT_TZ) share. A day is named `YYYY-MM-DD`;
 * a local day has 23, 24 or 25 hours. One cached formatter per zone: creating one costs far more
 * than using it.
 */
import { remembered } from "./remembered.ts";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    // Throws RangeError for an unknown zone; callers report it with the variable or option name.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** UTC offset of `tz` at instant `tMs`, in ms (Berlin winter: +3 600 000, summer: +7 200 000). */
export function offsetMs(tz: string, tMs: number): number {
  const whole = Math.floor(tMs / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(whole))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - whole;
}

/**
 * Offset lookups cached per UTC hour, for a caller that asks every few seconds (the simulator's
 * model steps every 10 s). Every zone in use changes its offset on a whole hour.
 */
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

/** The local day (`YYYY-MM-DD`) containing the instant `tMs` in `tz`. */
export function dayOf(tz: string, tMs: number): string {
  return new Date(tMs + offsetMs(tz, tMs)).toISOString().slice(0, 10);
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` names a real calendar day (`2026-02-30` does not). */
export function isDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.toISOString().slice(0, 10) === s;
}

/** `YYYY-MM-DD` -> [year, month (1-12), day], or a RangeError naming the value. */
export function parseDay(day: string): [number, number, number] {
  if (!isDay(day)) throw new RangeError(`expected a date like 2026-01-31, got ${JSON.stringify(day)}`);
  return [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];
}

const dayUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** `day` shifted by `n` calendar days. */
export const addDays = (day: string, n: number): string =>
  new Date(dayUtc(day) + n * DAY_MS).toISOString().slice(0, 10);

/** Calendar days from `a` to `b` (negative when `b` is earlier). */
export const daysBetween = (a: string, b: string): number => Math.round((dayUtc(b) - dayUtc(a)) / DAY_MS);

/** Local midnights by zone, then by day. */
const startsIn = remembered((tz: string) =>
  remembered((day: string) => {
    const wall = dayUtc(day);
    // Offsets from before and after any transition near midnight; pick the earliest instant that
    // already belongs to `day`.
    const candidates = [wall - offsetMs(tz, wall - 14 * HOUR_MS), wall - offsetMs(tz, wall + 14 * HOUR_MS)];
    let best = Number.POSITIVE_INFINITY;
    for (const c of candidates) if (dayOf(tz, c) === day && c < best) best = c;
    return Number.isFinite(best) ? best : candidates[0]!;
  }),
);

/** The first instant of local day `day` (its local midnight, or the end of a DST gap at midnight). */
export function dayStartMs(tz: string, day: string): number {
  return startsIn(tz)(day);
}

/** A local day and its instants: `[startMs, endMs)`. */
export interface DayRange {
  day: string;
  startMs: number;
  endMs: number;
}

/** Ranges by zone, then by day (no key to build per lookup); frozen, so every caller gets the same. */
const rangesIn = remembered((tz: string) =>
  remembered((day: string): DayRange =>
    Object.freeze({ day, startMs: dayStartMs(tz, day), endMs: dayStartMs(tz, addDays(day, 1)) }),
  ),
);

export function dayRange(tz: string, day: string): DayRange {
  return rangesIn(tz)(day);
}

/** Day names by UTC midnight: the builder lists years of days every cycle. */
const dayName = remembered((t: number) => new Date(t).toISOString().slice(0, 10));

/** Days from..to inclusive. */
export function dayList(from: string, to: string): string[] {
  const out: string[] = [];
  const end = dayUtc(to);
  for (let t = dayUtc(from); t <= end; t += DAY_MS) out.push(dayName(t));
  return out;
}
