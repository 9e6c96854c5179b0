/**
 * The views of the index pages: /day/ is a calendar of the months, each day a cell coloured by its
 * COP and linking to the day, each week number to the week, each month title to the month;
 * /week/, /month/ and /season/ are tables of their periods, newest first, each linking to its page.
 */
import { groupDays, isoWeekOf, periodDays } from "../../../reports/src/periods.ts";
import type { PeriodKind } from "../../../reports/src/types.ts";
import { monthName, num, pct, seasonName, shortDay } from "./format.ts";
import { escapeHtml } from "./html.ts";
import type { CalendarDay, PeriodIndexes } from "./snapshot.ts";
import { pageHref } from "./navigation.ts";
import type { TableRow } from "./page-parts.ts";
import { addDays, dayList } from "../../../core/src/time.ts";

/** `2026-11-30` -> `30 Nov`. */
const dayMonth = (day: string) => shortDay(day).replace(/^\w+ /, "");

/** COP classes of the calendar: below 2, 2 to 2.5, …, 4.5 and above (CSS `cop0` … `cop6`). */
const COP_STEPS = [2, 2.5, 3, 3.5, 4, 4.5] as const;

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
  /** The month's block of the calendar (monthHtml). */
  html: string;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/**
 * A month of the calendar as HTML. Written here rather than in Calendar.astro: three years are some
 * 10,000 elements, which Astro's renderer takes milliseconds over on every cycle, and a month whose
 * days did not change keeps its HTML (calendarView).
 */
function monthHtml(m: Omit<CalendarMonth, "html">): string {
  const e = escapeHtml;
  const link = (href: string | null, text: string) =>
    href ? `<a href="${e(href)}">${e(text)}</a>` : e(text);
  const day = (d: CalendarCell | null) => {
    if (d === null) return "<td></td>";
    const inner = `<span class="d">${e(d.label)}</span>`;
    return d.href
      ? `<td><a class="${e(d.className)}" href="${e(d.href)}" title="${e(d.title)}">` +
          `${inner}<span class="v">${e(d.cop)}</span></a></td>`
      : `<td><span class="${e(d.className)}" title="${e(d.title)}">${inner}</span></td>`;
  };
  return [
    `<section class="cal-month" aria-label="${e(m.label)}">`,
    `<h2>${link(m.href, m.label)}</h2>`,
    `<table class="cal-grid"><thead><tr><th scope="col">Week</th>`,
    ...WEEKDAYS.map((d) => `<th scope="col">${d}</th>`),
    `</tr></thead><tbody>`,
    ...m.weeks.map(
      (w) => `<tr><th scope="row">${link(w.href, w.label)}</th>${w.days.map(day).join("")}</tr>`,
    ),
    `</tbody></table></section>`,
  ].join("");
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
    title:
      `${shortDay(day)} ${day.slice(0, 4)}${soFar}: COP ${num(d.cop, 2)}, heat ${num(d.heat_kwh)} kWh, ` +
      `electricity ${num(d.elec_kwh)} kWh, coverage ${pct(d.coverage_pct)}`,
    cop: num(d.cop, 2),
    className: `cal ${copClass(d.cop)}${d.closed ? "" : " partial"}`,
  };
}

/**
 * Months laid out by the last call, by id, with what they were made of: the long-running builder
 * renders the calendar every cycle (today's cell changes), and lays out again only the months whose
 * days or week pages changed, not years of them. A closed day's CalendarDay is the same object
 * every cycle (period-summaries.ts makes one per cached row), so days are compared by identity.
 */
interface LaidOut {
  days: CalendarDay[];
  weeks: string;
  month: CalendarMonth;
}
let laidOut = new Map<string, LaidOut>();

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
  const month = { id, label: monthName(id, "long"), href: pageHref("month", id), weeks };
  return { ...month, html: monthHtml(month) };
}

/** The calendar, newest month first. */
export function calendarView(idx: PeriodIndexes): {
  months: CalendarMonth[];
  legend: { className: string; label: string }[];
} {
  const byDay = new Map(idx.days.map((d) => [d.day, d]));
  const weeksWithPage = new Set(idx.week.map((w) => w.id));
  const next = new Map<string, LaidOut>();
  const months = [
    ...groupDays(
      "month",
      idx.days.map((d) => d.day),
    ),
  ]
    .reverse()
    .map(([id, ds]) => {
      // A month's layout is made of its days and which of its weeks have a page.
      const { first, last } = periodDays("month", id);
      const days = ds.map((day) => byDay.get(day)!);
      const weeks = idx.week
        .filter((w) => w.last >= first && w.first <= last)
        .map((w) => w.id)
        .join(" ");
      const known = laidOut.get(id);
      const same =
        known?.weeks === weeks &&
        known.days.length === days.length &&
        known.days.every((d, i) => d === days[i]);
      const month = same ? known.month : layOutMonth(id, byDay, weeksWithPage);
      next.set(id, { days, weeks, month });
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
    note:
      `Newest first. ${t.cop} = heat / Shelly electricity over the whole ${kind}; coverage and days ` +
      `with data are of the time so far where a ${kind} is in progress.`,
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
