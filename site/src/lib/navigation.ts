/**
 * Links between the site's pages: the address of a period's page, links to days and months that
 * have a page (the charts' and tables' links), and the navigation of a report page (previous and
 * next, the periods that contain it, the periods inside it).
 */
import type { PeriodKind, PeriodReport } from "../../../reports/src/types.ts";
import { isoWeekOf, monthOf, periodDays, periodOf, seasonOf } from "../../../reports/src/periods.ts";
import { dayList } from "../../../core/src/time.ts";
import type { PeriodLink } from "../charts/common.ts";
import { monthName, seasonName } from "./format.ts";
import type { DataExtent } from "./snapshot.ts";

export interface Link {
  href: string;
  label: string;
}

export interface Nav {
  prev: Link | null;
  next: Link | null;
  /** The periods that contain this one (a day's week, month and season; a week's months and season). */
  up: Link[];
  /** The periods inside this one that have a page (a month's weeks, a season's months). */
  down: { label: string; links: Link[] } | null;
}

export const pageHref = (kind: PeriodKind, id: string): string => `/${kind}/${id}/`;

/** Links of days drawn in charts and tables: only those with a page (inside the data's extent). */
export const dayLink =
  (extent: DataExtent): PeriodLink =>
  (day) =>
    extent !== null && day >= extent.first && day <= extent.last ? pageHref("day", day) : null;

/** Links of months drawn in charts and tables: only those with a page (touching the data's extent). */
export const monthLink =
  (extent: DataExtent): PeriodLink =>
  (month) =>
    extent !== null && month >= monthOf(extent.first) && month <= monthOf(extent.last)
      ? pageHref("month", month)
      : null;

function label(kind: PeriodKind, id: string): string {
  return kind === "season" ? seasonName(id) : id;
}

/** Ids of the periods of `kind` that hold one of `days` and have a page, in order. */
function periodsWithPages(kind: PeriodKind, days: readonly string[], extent: DataExtent): string[] {
  const inside = extent ? days.filter((d) => d >= extent.first && d <= extent.last) : [];
  return [...new Set(inside.map((d) => periodOf(kind, d)))];
}

/** Previous/next links, links to the containing periods and to the periods inside. */
export function navigation(r: PeriodReport, extent: DataExtent = null): Nav {
  const link = (kind: PeriodKind, id: string | null, prefix: string): Link | null =>
    id ? { href: pageHref(kind, id), label: `${prefix} ${kind} (${label(kind, id)})` } : null;
  const first = r.rows[0]?.day ?? r.id;
  const days = periodDays(r.kind, r.id);
  const all = dayList(days.first, days.last);
  const up: Link[] = [];
  if (r.kind === "day") {
    up.push({ href: pageHref("week", isoWeekOf(r.id)), label: `Week ${isoWeekOf(r.id)}` });
    up.push({ href: pageHref("month", monthOf(r.id)), label: `Month ${monthOf(r.id)}` });
  }
  if (r.kind === "week")
    // A week that straddles two months links both (where they have pages).
    for (const m of periodsWithPages("month", all, extent))
      up.push({ href: pageHref("month", m), label: `Month ${m}` });
  if (r.kind === "week" || r.kind === "day" || r.kind === "month") {
    // A week that straddles a season boundary links the season of its first day.
    up.push({ href: pageHref("season", seasonOf(first)), label: `Season ${seasonName(seasonOf(first))}` });
  }
  let down: Nav["down"] = null;
  if (r.kind === "month") {
    const weeks = periodsWithPages("week", all, extent);
    if (weeks.length)
      down = {
        label: "Weeks",
        links: weeks.map((w) => ({ href: pageHref("week", w), label: `W${w.slice(6)}` })),
      };
  }
  if (r.kind === "season") {
    const months = periodsWithPages("month", all, extent);
    if (months.length)
      down = {
        label: "Months",
        links: months.map((m) => ({ href: pageHref("month", m), label: monthName(m) })),
      };
  }
  return { prev: link(r.kind, r.prev, "Previous"), next: link(r.kind, r.next, "Next"), up, down };
}

/** Navigation of a frozen archive page: only between archived months, by relative file names. */
export function archiveNavigation(r: PeriodReport, archived: readonly string[]): Nav {
  const has = (id: string | null) => (id && archived.includes(id) ? id : null);
  const prev = has(r.prev);
  const next = has(r.next);
  return {
    prev: prev ? { href: `./${prev}.html`, label: `Previous month (${prev})` } : null,
    next: next ? { href: `./${next}.html`, label: `Next month (${next})` } : null,
    up: [{ href: "./", label: "All archived months" }],
    down: null,
  };
}
