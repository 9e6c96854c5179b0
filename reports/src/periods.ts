/**
 * Periods in the report zone: local days (23/24/25 hours on DST changes), ISO weeks (`2026-W13`),
 * months (`2026-03`) and heating seasons July to June (`2025-26`, shown as 2025/26).
 * Local days and their arithmetic are core/src/time.ts (shared with the simulator).
 */
import { addDays, isDay } from "../../core/src/time.ts";
import type { PeriodKind } from "./types.ts";
import { remembered } from "../../core/src/remembered.ts";

const DAY_MS = 86_400_000;
const dayUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);

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
const seasonLabel = (id: string) => id.replace("-", "/");

/** Ids of every period of `kind` touched by `days` (sorted, unique), with their days. */
export function groupDays(kind: PeriodKind, days: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const day of days) {
    const id = periodOf(kind, day);
    const list = groups.get(id);
    if (list) list.push(day);
    else groups.set(id, [day]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** First local day after the month `YYYY-MM`. */
export const monthEnd = (month: string): string => addDays(periodDays("month", month).last, 1);
