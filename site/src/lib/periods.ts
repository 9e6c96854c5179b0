/**
 * Calendar arithmetic on local day strings (`YYYY-MM-DD`, already local to REPORT_TZ): which week,
 * month and heating season a day belongs to, and the days of a period. Pure and zone-free: the
 * report engine turns days into instants; the site only needs to name and list periods.
 */
import type { PeriodKind } from "../../../reports/src/types.ts";

const DAY_MS = 86_400_000;

/** Day string -> ms at UTC midnight of that calendar date (a counting device, not an instant). */
export function dayNumber(day: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

export function dayFromNumber(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return dayFromNumber(dayNumber(day) + n * DAY_MS);
}

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = dayNumber(from), end = dayNumber(to); t <= end; t += DAY_MS) out.push(dayFromNumber(t));
  return out;
}

/** ISO 8601 week id of a day: `2026-W13` (weeks start on Monday; week 1 holds the first Thursday). */
export function weekOf(day: string): string {
  const t = dayNumber(day);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  const thursday = new Date(t + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** Heating season (July to June) of a day: `2025-26`. */
export function seasonOf(day: string): string {
  const y = Number(day.slice(0, 4));
  const start = Number(day.slice(5, 7)) >= 7 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** The period of `kind` that contains `day`. */
export function periodOf(kind: PeriodKind, day: string): string {
  if (kind === "day") return day;
  if (kind === "week") return weekOf(day);
  if (kind === "month") return monthOf(day);
  return seasonOf(day);
}

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
export function monthEnd(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return dayFromNumber(Date.UTC(y, m, 1));
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Local calendar day of an instant in a time zone. */
export function localDay(ms: number, tz: string): string {
  let f = dayFormats.get(tz);
  if (!f) {
    // en-CA formats as YYYY-MM-DD. Formatters are costly to create: one per zone.
    f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(tz, f);
  }
  return f.format(new Date(ms));
}
