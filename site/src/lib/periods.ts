/**
 * Local days grouped into the site's periods, for the page plan. The calendar arithmetic itself
 * (ISO weeks, months, heating seasons, day lists, local days) is the report engine's:
 * reports/src/periods.ts, so the site and the reports can never name a period differently.
 */
import { periodDays, periodOf } from "../../../reports/src/periods.ts";
import type { PeriodKind } from "../../../reports/src/types.ts";
import { addDays } from "../../../core/src/time.ts";

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
