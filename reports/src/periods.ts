/**
 * Periods in the report zone: local days (23/24/25 hours on DST changes), ISO weeks (`2026-W13`),
 * months (`2026-03`) and heating seasons July to June (`2025-26`, shown as 2025/26).
 * Only Intl is used: zone offsets come from collector/src/time-zone.ts (shared with the simulator).
 */
import { localDate, offsetMs } from "../../collector/src/time-zone.ts";
import type { PeriodKind } from "./types.ts";
import { remembered } from "./remembered.ts";

const DAY_MS = 86_400_000;

/** The local day (`YYYY-MM-DD`) containing the instant `ms`. */
export const dayOf = (tz: string, ms: number) => localDate(tz, ms);

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.toISOString().slice(0, 10) === s;
}

const dayUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const addDays = (day: string, n: number) =>
  new Date(dayUtc(day) + n * DAY_MS).toISOString().slice(0, 10);
export const daysBetween = (a: string, b: string) => Math.round((dayUtc(b) - dayUtc(a)) / DAY_MS);

/** Local midnights by zone, then by day. */
const startsIn = remembered((tz: string) =>
  remembered((day: string) => {
    const wall = dayUtc(day);
    // Offsets from before and after any transition near midnight; pick the earliest instant that
    // already belongs to `day`.
    const candidates = [
      wall - offsetMs(tz, wall - 14 * 3_600_000),
      wall - offsetMs(tz, wall + 14 * 3_600_000),
    ];
    let best = Number.POSITIVE_INFINITY;
    for (const c of candidates) if (dayOf(tz, c) === day && c < best) best = c;
    return Number.isFinite(best) ? best : candidates[0]!;
  }),
);

/** The first instant of local day `day` (its local midnight, or the end of a DST gap at midnight). */
export function dayStartMs(tz: string, day: string): number {
  return startsIn(tz)(day);
}

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

/**
 * ISO week id (`2026-W13`) of a day. Remembered: the site asks it for every day of the history on
 * every cycle (plan, index pages, calendar).
 */
export const isoWeekOf = remembered(computeIsoWeek);

function computeIsoWeek(day: string): string {
  const t = new Date(dayUtc(day));
  const dow = (t.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(t.getTime() + (3 - dow) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export const monthOf = (day: string) => day.slice(0, 7);

/** Heating season (July to June) of a day: `2025-26`. */
export function seasonOf(day: string): string {
  const y = Number(day.slice(0, 4));
  const first = Number(day.slice(5, 7)) >= 7 ? y : y - 1;
  return `${first}-${String((first + 1) % 100).padStart(2, "0")}`;
}

export class PeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PeriodError";
  }
}

const FORMATS: Record<PeriodKind, string> = {
  day: "YYYY-MM-DD, e.g. 2026-03-29",
  week: "YYYY-Www, e.g. 2026-W13",
  month: "YYYY-MM, e.g. 2026-03",
  season: "YYYY-YY, e.g. 2025-26",
};

/** First and last day (inclusive) of a period; throws PeriodError for a malformed id. */
export function periodDays(kind: PeriodKind, id: string): { first: string; last: string } {
  const bad = () => new PeriodError(`${kind} "${id}" is not valid: use ${FORMATS[kind]}`);
  if (kind === "day") {
    if (!isDay(id)) throw bad();
    return { first: id, last: id };
  }
  if (kind === "week") {
    const m = /^(\d{4})-W(\d{2})$/.exec(id);
    if (!m) throw bad();
    const year = +m[1]!;
    const week = +m[2]!;
    // Monday of week 1 is the Monday on or before January 4.
    const jan4 = Date.UTC(year, 0, 4);
    const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
    const first = new Date(monday1 + (week - 1) * 7 * DAY_MS).toISOString().slice(0, 10);
    if (week < 1 || isoWeekOf(first) !== id) throw bad();
    return { first, last: addDays(first, 6) };
  }
  if (kind === "month") {
    const m = /^(\d{4})-(\d{2})$/.exec(id);
    if (!m || +m[2]! < 1 || +m[2]! > 12) throw bad();
    const first = `${id}-01`;
    return { first, last: addDays(new Date(Date.UTC(+m[1]!, +m[2]!, 1)).toISOString().slice(0, 10), -1) };
  }
  const m = /^(\d{4})-(\d{2})$/.exec(id);
  if (!m || (+m[1]! + 1) % 100 !== +m[2]!) throw bad();
  return { first: `${m[1]}-07-01`, last: `${+m[1]! + 1}-06-30` };
}

/** The period of `kind` that contains `day`. */
export function periodOf(kind: PeriodKind, day: string): string {
  if (kind === "day") return day;
  if (kind === "week") return isoWeekOf(day);
  if (kind === "month") return monthOf(day);
  return seasonOf(day);
}

/** The neighbouring period (`step` -1 or +1). */
export function shiftPeriod(kind: PeriodKind, id: string, step: number): string {
  const { first, last } = periodDays(kind, id);
  return periodOf(kind, step < 0 ? addDays(first, -1) : addDays(last, 1));
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** `Sunday 29 March 2026`, `Week 13, 2026`, `March 2026`, `Heating season 2025/26`. */
export function periodLabel(kind: PeriodKind, id: string): string {
  periodDays(kind, id);
  if (kind === "day") {
    const d = new Date(dayUtc(id));
    return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  }
  if (kind === "week") return `Week ${Number(id.slice(6))}, ${id.slice(0, 4)}`;
  if (kind === "month") return `${MONTHS[Number(id.slice(5)) - 1]} ${id.slice(0, 4)}`;
  return `Heating season ${seasonLabel(id)}`;
}

/** `2025-26` -> `2025/26`. */
export const seasonLabel = (id: string) => id.replace("-", "/");
