/**
 * The numbers of the index pages (/day/, /week/, /month/, /season/): every day's COP for the
 * calendar, and every week, month and season rolled up from the daily rows with the report engine's
 * own roll-up (sums, COP from sums, coverage of the time elapsed), so an index shows what the
 * period's page shows. `rows` must hold every day of the seasons with data up to today, consecutive
 * and oldest first as the engine's dailyRows returns them (the days before the first reading count
 * in a season's coverage as they do on its page); periods and days outside `extent` (no data) have
 * no page and are left out.
 */
import type { DailyRow, PeriodKind } from "../../reports/src/types.ts";
import { periodDays, periodLabel, periodOf, seasonOf } from "../../reports/src/periods.ts";
import { rollup } from "../../reports/src/rollup/rollup.ts";
import type { CalendarDay, PeriodIndexes, PeriodSummary } from "../src/lib/snapshot.ts";
import { daysBetween } from "../../core/src/time.ts";

type Extent = { first: string; last: string };

/**
 * Summaries of closed periods by their page's key (plan.ts: a hash of the period's daily rows and
 * the design). A closed period's summary depends on its rows alone, so while its key stays the same
 * the long-running builder reuses it: a cycle rolls up the periods that changed, not years of them.
 * Only the keys of the latest call are kept.
 */
let closedSummaries = new Map<string, PeriodSummary>();

function summaries(
  kind: Exclude<PeriodKind, "day">,
  rows: readonly DailyRow[],
  extent: Extent,
  nowMs: number,
  keys: ReadonlyMap<string, string>,
  kept: Map<string, PeriodSummary>,
): PeriodSummary[] {
  const out: PeriodSummary[] = [];
  const ids = rows.map((r) => periodOf(kind, r.day));
  // Days are consecutive, so a period's days are a run of rows.
  for (let from = 0, to = 1; from < rows.length; from = to++) {
    while (to < rows.length && ids[to] === ids[from]) to++;
    const id = ids[from]!;
    // A period with no day inside the extent has no page.
    if (rows[to - 1]!.day < extent.first || rows[from]!.day > extent.last) continue;
    const key = keys.get(`${kind}/${id}`);
    const known = key === undefined ? undefined : closedSummaries.get(key);
    if (known) {
      kept.set(key!, known);
      out.push(known);
      continue;
    }
    const { first, last } = periodDays(kind, id);
    const own = rows.slice(from, to);
    const summary = {
      id,
      label: periodLabel(kind, id),
      open: own.some((r) => !r.closed),
      days_so_far: own.length,
      first,
      last,
      ...rollup(own, daysBetween(first, last) + 1, undefined, nowMs),
    };
    if (key !== undefined && !summary.open) kept.set(key, summary);
    out.push(summary);
  }
  return out;
}

/** A day of the calendar, made once per row: the engine hands out the same (frozen) row for a closed day. */
const calendarDays = new WeakMap<DailyRow, CalendarDay>();

function calendarDay(r: DailyRow): CalendarDay {
  let d = calendarDays.get(r);
  if (!d) {
    d = {
      day: r.day,
      closed: r.closed,
      heat_kwh: r.heat_kwh,
      elec_kwh: r.elec_kwh,
      cop: r.cop,
      coverage_pct: Math.min(r.coverage_elec_pct, r.coverage_hp_pct),
    };
    if (Object.isFrozen(r)) calendarDays.set(r, d);
  }
  return d;
}

/**
 * The index pages' numbers. `keys` (page keys by `kind/id`, from the plan) lets closed periods keep
 * their summaries from the last call; without it everything is rolled up.
 */
export function periodSummaries(
  rows: readonly DailyRow[],
  extent: Extent | null,
  nowMs: number,
  keys: ReadonlyMap<string, string> = new Map(),
): PeriodIndexes {
  if (!extent) return { days: [], week: [], month: [], season: [] };
  const days = rows.filter((r) => r.day >= extent.first && r.day <= extent.last).map(calendarDay);
  const kept = new Map<string, PeriodSummary>();
  const out = {
    days,
    week: summaries("week", rows, extent, nowMs, keys, kept),
    month: summaries("month", rows, extent, nowMs, keys, kept),
    season: summaries("season", rows, extent, nowMs, keys, kept),
  };
  closedSummaries = kept;
  return out;
}

/**
 * The days `periodSummaries` needs: from the start of the first season with data to today, or to
 * the end of the last season with data if that comes first.
 */
export function summaryDays(extent: Extent, today: string): { from: string; to: string } {
  const end = periodDays("season", seasonOf(extent.last)).last;
  return { from: periodDays("season", seasonOf(extent.first)).first, to: end < today ? end : today };
}
