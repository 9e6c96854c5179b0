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
import { compressorChart, hasCompressorSpeed } from "../charts/compressor.ts";
import { hasHydraulics, hydraulicsChart } from "../charts/hydraulics.ts";
import { monitoringStart } from "./coverage.ts";
import { dateTime, longDay, num, seasonName, withUnit } from "./format.ts";
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
import type { ComparisonRow, Kpi } from "./page-parts.ts";
import { comparisonRows, periodCards, previousLabel } from "./period-cards.ts";
import { dayRows, monthRows, type PartsTable } from "./period-tables.ts";
import { comparisonBasis, progressNote } from "./progress-notes.ts";
import type { DashboardData, DataExtent, DayData, SnapshotIndex } from "./snapshot.ts";
import { staleMessage, statusCards } from "./status-cards.ts";
import { boundaryLine, indoorText, rowsBoundaryLine, systemNotes } from "./system-cards.ts";

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
  /**
   * The periods inside, one row each: days of a week or month, months of a season; `total` the
   * period's own figures (its totals, never summed again here); `before` the line that says which of
   * them came before monitoring began (they have no rows), or null.
   */
  days: PartsTable;
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
      `Built ${dateTime(d.status.nowMs, d.status.tz)} (${d.status.tz}); times are of the last readings. ` +
      `The page reloads itself every ${Math.round(idx.refreshS / 60) || 1} min.`,
    refreshS: idx.refreshS,
    banner: staleMessage(d.status),
    cards: statusCards(d.status),
    links: latest,
    // The daily figures below are at the meters' boundary: said once, over the days they cover.
    boundary: rowsBoundaryLine(d.week, "Last 7 days"),
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

/** Every report page states its metering boundary after the subtitle (the meters' roles, SEPEMO). */
function withBoundary(r: PeriodReport, subtitle: string): string {
  const line = boundaryLine(r.metering);
  return line ? `${subtitle} ${line}` : subtitle;
}

function base(
  r: PeriodReport,
  nav: Nav,
  charts: ChartSpec[],
  extent: DataExtent,
  twin: string,
  csv: Link | null,
): PeriodView {
  const since = monitoringStart(r);
  return {
    title: r.progress ? `${r.label}, so far` : r.label,
    // A first season (week, month) says from when its figures are: the days before were not missed.
    subtitle: withBoundary(
      r,
      since
        ? `${r.tz}; since monitoring began on ${longDay(since)}; COP = heat / Shelly electricity over that time.`
        : `${r.tz}; COP = heat / Shelly electricity over the whole period.`,
    ),
    progress: progressNote(r),
    nav,
    cards: periodCards(r),
    charts,
    comparison: comparisonRows(r),
    compareLabels: { now: comparisonBasis(r)?.nowLabel ?? r.label, before: previousLabel(r) },
    days: dayRows(r, extent),
    notes: systemNotes(r),
    twin,
    csv,
  };
}

/**
 * Now on a day in progress, from its elapsed hours (kept to 0.01 h, 36 s): the earliest it can have
 * been, so the five-minute bucket in progress is never drawn as if it were over. Null once over.
 */
function earliestNow(r: PeriodReport): number | null {
  if (!r.progress) return null;
  return Date.parse(r.start) + r.progress.elapsed_hours * 3_600_000 - 18_000;
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
      copLineChart({ ...window, nowMs: earliestNow(r) }, { id: "cop", title: "COP through the day" }),
      // The hydraulics, where the heat pump reports them: drawn only on a day that has the data.
      ...(hasHydraulics(d.series)
        ? [hydraulicsChart(window, { id: "hydraulics", title: "Flow rate and flow − return" })]
        : []),
      ...(hasCompressorSpeed(d.series)
        ? [compressorChart(window, { id: "compressor", title: "Compressor speed" })]
        : []),
    ],
    null,
    `/day/${r.id}.json`,
    { href: `/day/${r.id}.csv`, label: "Five-minute data as CSV" },
  );
  const row = r.rows[0];
  // A day in progress says its elapsed hours in the progress line instead.
  v.subtitle = withBoundary(
    r,
    r.progress
      ? `${r.tz}; COP = heat / Shelly electricity.`
      : `${r.tz}, ${num(row?.hours ?? 24, 0)} hours; COP = heat / Shelly electricity.`,
  );
  v.days = { title: "", columns: [], rows: [], total: null, before: null };
  if (row) {
    v.notes.unshift(
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
  // Days before monitoring began are not days without data: the charts start on its first day.
  const since = monitoringStart(r);
  const days = since === null ? r.rows : r.rows.filter((row) => row.day >= since);
  return base(
    r,
    nav,
    [
      dailyEnergyChart(days, { id: "energy", title: "Heat and electricity per day", link }),
      heatSplitChart(days, { id: "split", title: "Space heating and hot water", link }),
      dailyCopChart(days, { id: "cop", title: "COP per day", link }),
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
        since: monitoringStart(r),
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
        indoor: indoorText(r),
      }),
    ],
    null,
    `/season/${r.id}.json`,
    { href: `/season/${r.id}.csv`, label: "Day by day as CSV" },
  );
  v.days = monthRows(r, open ? open.day : null, extent);
  // The boundary is stated under the title; with a backup heater the system's SPF is in the notes.
  v.notes.unshift(
    `SPF ${num(r.cop, 2)} = ${withUnit(r.heat_kwh, "kWh", 0)} heat / ${withUnit(r.elec_kwh, "kWh", 0)} ` +
      "electricity.",
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
