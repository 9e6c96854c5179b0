/**
 * View models of the index pages: /day/ is a calendar of the months, each day a cell coloured by its
 * COP and linking to the day, each week number to the week, each month title to the month;
 * /week/, /month/ and /season/ are tables of their periods, newest first, each linking to its page.
 */
import { addDays, dayList, isoWeekOf, periodDays } from "../../../reports/src/periods.ts";
import type { PeriodKind } from "../../../reports/src/types.ts";
import { monthName, num, pct, seasonName, shortDay } from "./format.ts";
import { groupDays } from "./periods.ts";
import type { CalendarDay, PeriodIndexes } from "./snapshot.ts";
import { pageHref, type TableRow } from "./view.ts";

/** `2026-11-30` -> `30 Nov`. */
const dayMonth = (day: string) => shortDay(day).replace(/^\w+ /, "");

/** COP classes of the calendar: below 2, 2 to 2.5, …, 4.5 and above (CSS `cop0` … `cop6`). */
export const COP_STEPS = [2, 2.5, 3, 3.5, 4, 4.5] as const;

export function copClass(cop: number | null): string {
  if (cop === null) return "nocop";
  return `cop${COP_STEPS.filter((s) => cop >= s).length}`;
}

export interface CalendarCell {
  day: string;
  label: string;
  /** Null for a day before the first or after the last with data: no page. */
  href: string | null;
  /** The day and its figures, shown on hover. */
  title: string;
  cop: string;
  className: string;
}

export interface CalendarMonth {
  id: string;
  label: string;
  href: string;
  /** Rows Monday to Sunday; null for days of other months. */
  weeks: { id: string; href: string | null; label: string; days: (CalendarCell | null)[] }[];
}

function cell(day: string, d: CalendarDay | undefined): CalendarCell {
  const label = String(Number(day.slice(8)));
  if (!d)
    return { day, label, href: null, title: `${shortDay(day)}: no data`, cop: "", className: "cal out" };
  const soFar = d.closed ? "" : " (so far)";
  return {
    day,
    label,
    href: pageHref("day", day),
    title: `${shortDay(day)} ${day.slice(0, 4)}${soFar}: COP ${num(d.cop, 2)}, heat ${num(d.heat_kwh)} kWh, electricity ${num(d.elec_kwh)} kWh, coverage ${pct(d.coverage_pct)}`,
    cop: num(d.cop, 2),
    className: `cal ${copClass(d.cop)}${d.closed ? "" : " partial"}`,
  };
}

/**
 * Months laid out by the last call, by id, with what they were made of: the long-running builder
 * renders the calendar every cycle (today's cell changes), and lays out again only the months whose
 * days or week pages changed, not years of them.
 */
let laidOut = new Map<string, { made: string; month: CalendarMonth }>();

function layOutMonth(
  id: string,
  byDay: ReadonlyMap<string, CalendarDay>,
  weeksWithPage: ReadonlySet<string>,
) {
  const { first, last } = periodDays("month", id);
  // From the Monday on or before the 1st to the Sunday on or after the last day.
  const dow = (day: string) => (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
  const all = dayList(addDays(first, -dow(first)), addDays(last, 6 - dow(last)));
  const weeks = [];
  for (let i = 0; i < all.length; i += 7) {
    const days = all.slice(i, i + 7);
    const week = isoWeekOf(days[0]!);
    weeks.push({
      id: week,
      href: weeksWithPage.has(week) ? pageHref("week", week) : null,
      label: `W${week.slice(6)}`,
      days: days.map((d) => (d >= first && d <= last ? cell(d, byDay.get(d)) : null)),
    });
  }
  return { id, label: monthName(id, "long"), href: pageHref("month", id), weeks };
}

/** The calendar, newest month first. */
export function calendarView(idx: PeriodIndexes): {
  months: CalendarMonth[];
  legend: { className: string; label: string }[];
} {
  const byDay = new Map(idx.days.map((d) => [d.day, d]));
  const weeksWithPage = new Set(idx.week.map((w) => w.id));
  const next = new Map<string, { made: string; month: CalendarMonth }>();
  const months = [
    ...groupDays(
      "month",
      idx.days.map((d) => d.day),
    ),
  ]
    .reverse()
    .map(([id, days]) => {
      // A month's layout is made of its days' figures and which of its weeks have a page.
      const { first, last } = periodDays("month", id);
      const made = [
        ...days.map((day) => {
          const d = byDay.get(day)!;
          return `${day} ${d.closed} ${d.cop} ${d.heat_kwh} ${d.elec_kwh} ${d.coverage_pct}`;
        }),
        ...idx.week.filter((w) => w.last >= first && w.first <= last).map((w) => w.id),
      ].join("|");
      const known = laidOut.get(id);
      const month = known?.made === made ? known.month : layOutMonth(id, byDay, weeksWithPage);
      next.set(id, { made, month });
      return month;
    });
  laidOut = next;
  const bounds = ["", ...COP_STEPS.map(String)];
  const legend = bounds.map((lo, i) => ({
    className: `cal cop${i}`,
    label:
      i === 0
        ? `below ${COP_STEPS[0]}`
        : i === COP_STEPS.length
          ? `${lo} and above`
          : `${lo} to ${COP_STEPS[i]}`,
  }));
  return { months, legend: [...legend, { className: "cal nocop", label: "no COP" }] };
}

const TITLES: Record<Exclude<PeriodKind, "day">, { title: string; head: string; cop: string }> = {
  week: { title: "Weeks", head: "Week", cop: "COP" },
  month: { title: "Months", head: "Month", cop: "COP" },
  season: { title: "Heating seasons", head: "Season", cop: "SPF" },
};

/** The table of an index page: one row per week, month or season, newest first. */
export function periodIndexView(kind: Exclude<PeriodKind, "day">, idx: PeriodIndexes) {
  const t = TITLES[kind];
  const name = (id: string, label: string) =>
    kind === "season" ? seasonName(id) : kind === "month" ? monthName(id, "long") : label;
  const rows: TableRow[] = [...idx[kind]].reverse().map((p) => ({
    head: `${name(p.id, p.label)}${p.open ? " (so far)" : ""}`,
    href: pageHref(kind, p.id),
    cells: [
      ...(kind === "week" ? [`${dayMonth(p.first)} – ${dayMonth(p.last)}`] : []),
      num(p.heat_kwh, 0),
      num(p.elec_kwh, 0),
      num(p.cop, 2),
      num(p.outside_mean_c),
      pct(Math.min(p.coverage_elec_pct, p.coverage_hp_pct)),
      // While in progress, of the days so far: the time the coverage is of.
      `${p.days_with_data} of ${p.open ? `${p.days_so_far} so far` : p.days}`,
    ],
  }));
  return {
    title: t.title,
    note: `Newest first. ${t.cop} = heat / Shelly electricity over the whole ${kind}; coverage and days with data are of the time so far where a ${kind} is in progress.`,
    columns: [
      t.head,
      ...(kind === "week" ? ["Days"] : []),
      "Heat (kWh)",
      "Electricity (kWh)",
      t.cop,
      "Outside (°C)",
      "Coverage",
      "Days with data",
    ],
    rows,
  };
}
