/**
 * One view per page: the snapshot data turned into titles, cards, chart specs and links for the
 * dashboard, the report pages (a day; a week or month, archived or not; a season) and the archive's
 * index; the other index pages' views are index-views.ts. Pages (.astro) only lay these out.
 */
import type { PeriodReport } from "../../../reports/src/types.ts";
import type { ChartSpec } from "../charts/common.ts";
import { copLineChart } from "../charts/cop-line.ts";
import { copVsOutsideChart } from "../charts/cop-vs-outside.ts";
import { dailyCopChart } from "../charts/daily-cop.ts";
import { dailyEnergyChart } from "../charts/daily-energy.ts";
import { heatSplitChart } from "../charts/heat-split.ts";
import { heatingCurveChart } from "../charts/heating-curve.ts";
import { houseFitChart } from "../charts/house-fit.ts";
import { monthlyEnergyChart } from "../charts/monthly-energy.ts";
import { powerChart } from "../charts/power.ts";
import { temperatureChart } from "../charts/temperatures.ts";
import { dateTime, monthName, num, pct, seasonName, withUnit } from "./format.ts";
import { monthOf } from "../../../reports/src/periods.ts";
import { perDegreeDayNote } from "./analytics-cards.ts";
import {
  archiveNavigation,
  dayLink,
  type Link,
  monthLink,
  type Nav,
  navigation,
  pageHref,
} from "./navigation.ts";
import type { ComparisonRow, Kpi, TableRow } from "./page-parts.ts";
import { comparisonRows, periodCards, previousLabel } from "./period-cards.ts";
import { comparisonBasis, progressNote } from "./progress-notes.ts";
import type { DashboardData, DataExtent, DayData, SnapshotIndex } from "./snapshot.ts";
import { staleMessage, statusCards } from "./status-cards.ts";

export interface PeriodView {
  title: string;
  subtitle: string;
  /** A period in progress: what "so far" covers and what its changes compare (null once over). */
  progress: string | null;
  nav: Nav;
  cards: Kpi[];
  charts: ChartSpec[];
  comparison: ComparisonRow[];
  compareLabels: { now: string; before: string };
  /** The periods inside, one row each: days of a week or month, months of a season. */
  days: { title: string; columns: string[]; rows: TableRow[] };
  notes: string[];
  /** The JSON twin of the page. */
  twin: string;
  /** The page's CSV (five-minute buckets of a day, daily rows of a period); null on archived pages. */
  csv: Link | null;
}

export function dashboardView(d: DashboardData, idx: SnapshotIndex) {
  const latest: Link[] = [];
  if (idx.latest.day)
    latest.push({
      href: pageHref("day", idx.latest.day),
      label: idx.latest.day === d.today ? "Today" : "Latest day",
    });
  if (idx.latest.week) latest.push({ href: pageHref("week", idx.latest.week), label: "This week" });
  if (idx.latest.month) latest.push({ href: pageHref("month", idx.latest.month), label: "This month" });
  if (idx.latest.season)
    latest.push({
      href: pageHref("season", idx.latest.season),
      label: `Season ${seasonName(idx.latest.season)}`,
    });
  if (idx.archive.length) latest.push({ href: "/archive/", label: "Archive" });
  const window = { series: d.series, fromMs: d.fromMs, toMs: d.toMs };
  const link = dayLink(idx.extent);
  return {
    title: "Dashboard",
    updated:
      `Built ${dateTime(d.status.nowMs, d.status.tz)} (${d.status.tz}); the ages below count from then. ` +
      `The page reloads itself every ${Math.round(idx.refreshS / 60) || 1} min.`,
    refreshS: idx.refreshS,
    banner: staleMessage(d.status),
    cards: statusCards(d.status),
    links: latest,
    last24: [
      powerChart(window, { id: "power-24h", title: "Power, last 24 hours" }),
      temperatureChart(window, { id: "temperatures-24h", title: "Temperatures, last 24 hours" }),
    ],
    last7: [
      dailyEnergyChart(d.week, { id: "energy-7d", title: "Heat and electricity, last 7 days", link }),
      heatSplitChart(d.week, { id: "split-7d", title: "Space heating and hot water, last 7 days", link }),
      dailyCopChart(d.week, { id: "cop-7d", title: "COP per day, last 7 days", link }),
    ],
  };
}

function dayRows(r: PeriodReport, extent: DataExtent): PeriodView["days"] {
  const link = dayLink(extent);
  return {
    title: "Day by day",
    columns: ["Day", "Heat (kWh)", "Electricity (kWh)", "COP", "Outside (°C)", "Starts", "Coverage"],
    rows: r.rows.map((row) => ({
      href: link(row.day),
      // Today's row is a day in progress: its sums are so far.
      head: row.closed ? row.day : `${row.day} (so far)`,
      cells: [
        num(row.heat_kwh),
        num(row.elec_kwh),
        num(row.cop, 2),
        num(row.outside_mean_c),
        num(row.starts, 0),
        pct(Math.min(row.coverage_elec_pct, row.coverage_hp_pct)),
      ],
    })),
  };
}

/** A season's months so far, each linking to its page where it has one (data). */
function monthRows(r: PeriodReport, today: string | null, extent: DataExtent): PeriodView["days"] {
  const link = monthLink(extent);
  return {
    title: "Month by month",
    columns: ["Month", "Heat (kWh)", "Electricity (kWh)", "COP", "Outside (°C)", "Starts", "Coverage"],
    rows: (r.months ?? []).map((m) => ({
      href: link(m.id),
      head: `${monthName(m.id, "long")}${today !== null && monthOf(today) === m.id ? " (so far)" : ""}`,
      cells: [
        num(m.heat_kwh, 0),
        num(m.elec_kwh, 0),
        num(m.cop, 2),
        num(m.outside_mean_c),
        num(m.starts, 0),
        pct(Math.min(m.coverage_elec_pct, m.coverage_hp_pct)),
      ],
    })),
  };
}

function base(
  r: PeriodReport,
  nav: Nav,
  charts: ChartSpec[],
  extent: DataExtent,
  twin: string,
  csv: Link | null,
): PeriodView {
  return {
    title: r.progress ? `${r.label}, so far` : r.label,
    subtitle: `${r.tz}; COP = heat / Shelly electricity over the whole period.`,
    progress: progressNote(r),
    nav,
    cards: periodCards(r),
    charts,
    comparison: comparisonRows(r),
    compareLabels: { now: comparisonBasis(r)?.nowLabel ?? r.label, before: previousLabel(r) },
    days: dayRows(r, extent),
    notes: [],
    twin,
    csv,
  };
}

export function dayView(d: DayData, extent: DataExtent): PeriodView {
  const r = d.report;
  const window = { series: d.series, fromMs: Date.parse(r.start), toMs: Date.parse(r.end) };
  const v = base(
    r,
    navigation(r, extent),
    [
      powerChart(window, { id: "power", title: "Power" }),
      temperatureChart(window, { id: "temperatures", title: "Temperatures" }),
      copLineChart(window, { id: "cop", title: "COP through the day" }),
    ],
    null,
    `/day/${r.id}.json`,
    { href: `/day/${r.id}.csv`, label: "Five-minute data as CSV" },
  );
  const row = r.rows[0];
  // A day in progress says its elapsed hours in the progress line instead.
  v.subtitle = r.progress
    ? `${r.tz}; COP = heat / Shelly electricity.`
    : `${r.tz}, ${num(row?.hours ?? 24, 0)} hours; COP = heat / Shelly electricity.`;
  v.days = { title: "", columns: [], rows: [] };
  if (row) {
    v.notes.push(
      `Electricity from the ${
        row.elec_method === "power" ? "integrated power (the counter was missing)" : "Shelly energy counter"
      }; flow temperature weighted by ${row.flow_weighting === "running" ? "running time" : "heat"}.`,
      `Viessmann API calls ${row.closed ? "that day" : "so far today"}: ${num(row.viessmann_calls, 0)}.`,
    );
  }
  return v;
}

/** A week or month; `archived` (the archived month ids) renders the frozen variant without day links. */
export function periodView(
  r: PeriodReport,
  extent: DataExtent,
  opts: { archived?: readonly string[] } = {},
): PeriodView {
  const archived = opts.archived !== undefined;
  const nav = archived ? archiveNavigation(r, opts.archived!) : navigation(r, extent);
  // A frozen archive page links no day: it must read the same in years, whatever the site holds then.
  const link = dayLink(archived ? null : extent);
  return base(
    r,
    nav,
    [
      dailyEnergyChart(r.rows, { id: "energy", title: "Heat and electricity per day", link }),
      heatSplitChart(r.rows, { id: "split", title: "Space heating and hot water", link }),
      dailyCopChart(r.rows, { id: "cop", title: "COP per day", link }),
    ],
    archived ? null : extent,
    archived ? `./${r.id}.json` : `/${r.kind}/${r.id}.json`,
    archived ? null : { href: `/${r.kind}/${r.id}.csv`, label: "Day by day as CSV" },
  );
}

export function seasonView(r: PeriodReport, extent: DataExtent): PeriodView {
  const open = r.rows.find((row) => !row.closed);
  const v = base(
    r,
    navigation(r, extent),
    [
      monthlyEnergyChart(r.months ?? [], {
        id: "months",
        title: "Heat and electricity per month",
        link: monthLink(extent),
        open: open ? monthOf(open.day) : null,
      }),
      copVsOutsideChart(r.rows, {
        id: "cop-outside",
        title: "Daily COP against outside temperature",
        link: dayLink(extent),
      }),
      heatingCurveChart(r.rows, r.curve, {
        id: "curve",
        title: "Heating curve: measured and configured",
        link: dayLink(extent),
      }),
      houseFitChart(r.rows, r, r.settings.design_outside_c, {
        id: "house",
        title: "The house: space-heating power against outside temperature",
      }),
    ],
    null,
    `/season/${r.id}.json`,
    { href: `/season/${r.id}.csv`, label: "Day by day as CSV" },
  );
  v.days = monthRows(r, open ? open.day : null, extent);
  v.notes.push(
    `SPF ${num(r.cop, 2)} = ${withUnit(r.heat_kwh, "kWh", 0)} heat / ${withUnit(r.elec_kwh, "kWh", 0)} ` +
      `electricity. Metering boundary: ${r.meter_boundary ?? "not stated"}.`,
  );
  const perDegreeDay = perDegreeDayNote(r);
  if (perDegreeDay) v.notes.push(perDegreeDay);
  return v;
}

export function archiveIndexView(idx: SnapshotIndex) {
  return {
    title: "Archive",
    columns: ["Month", "Heat (kWh)", "Electricity (kWh)", "COP", "Data"],
    months: idx.archive.map((a) => ({
      href: `/archive/${a.id}.html`,
      json: `/archive/${a.id}.json`,
      label: a.label,
      cells: [num(a.heat_kwh, 0), num(a.elec_kwh, 0), num(a.cop, 2)],
    })),
  };
}
