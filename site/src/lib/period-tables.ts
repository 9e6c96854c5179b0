/**
 * The table of a period's parts on its page: the days of a week or month, the months of a season,
 * with the period's own totals at the foot. Where a backup heater is metered (any row has its
 * electricity, or a system COP) the table gains those columns; otherwise it is the heat pump's alone.
 */
import type { PeriodReport, Totals } from "../../../reports/src/types.ts";
import { monthOf } from "../../../reports/src/periods.ts";
import { coverageBasis, monitoringStart, monthCoverage } from "./coverage.ts";
import { longDay, monthName, num, pct } from "./format.ts";
import { dayLink, monthLink } from "./navigation.ts";
import type { TableRow } from "./page-parts.ts";
import type { DataExtent } from "./snapshot.ts";

/** The rows of a period's parts: title, columns, rows, the totals row, and the line for days before monitoring. */
export interface PartsTable {
  title: string;
  columns: string[];
  rows: TableRow[];
  total: TableRow | null;
  before: string | null;
}

type Figures = Pick<
  Totals,
  "heat_kwh" | "elec_kwh" | "cop" | "backup_elec_kwh" | "cop_system" | "outside_mean_c" | "starts"
>;

/** Which of the system's columns a table has: each only when one of its rows has the figure. */
interface SystemColumns {
  backup: boolean;
  system: boolean;
}

const systemColumns = (rows: readonly Figures[]): SystemColumns => ({
  backup: rows.some((x) => x.backup_elec_kwh !== null),
  system: rows.some((x) => x.cop_system !== null),
});

function columns(first: string, s: SystemColumns): string[] {
  return [
    first,
    "Heat (kWh)",
    "Electricity (kWh)",
    "COP",
    ...(s.backup ? ["Backup (kWh)"] : []),
    ...(s.system ? ["System COP"] : []),
    "Outside (°C)",
    "Starts",
    "Coverage",
  ];
}

/** One row's cells, in the order of `columns`; `coverage` the lower of the two sources' percent. */
function cells(f: Figures, kwhDigits: number | undefined, coverage: number, s: SystemColumns): string[] {
  return [
    num(f.heat_kwh, kwhDigits),
    num(f.elec_kwh, kwhDigits),
    num(f.cop, 2),
    ...(s.backup ? [num(f.backup_elec_kwh, kwhDigits)] : []),
    ...(s.system ? [num(f.cop_system, 2)] : []),
    num(f.outside_mean_c),
    num(f.starts, 0),
    pct(coverage),
  ];
}

/**
 * The totals row of a table of days or months: the period's own figures (energies summed, COP as
 * Σ heat / Σ electricity, temperatures weighted by heat, coverage as on its card), taken from its
 * report, so the table's foot always matches the cards above it.
 */
function totalRow(r: PeriodReport, kwhDigits: number, s: SystemColumns): TableRow {
  const cov = coverageBasis(r);
  return {
    head: r.progress ? "Total so far" : "Total",
    cells: cells(r, kwhDigits, Math.min(cov.elec, cov.hp), s),
  };
}

/** The days or months of a period before monitoring began, in one line: no data is not missing data. */
const beforeMonitoring = (span: string, since: string): string =>
  `${span}: before monitoring, which began on ${longDay(since)}.`;

export function dayRows(r: PeriodReport, extent: DataExtent): PartsTable {
  const link = dayLink(extent);
  const since = monitoringStart(r);
  const before = since === null ? [] : r.rows.filter((row) => row.day < since).map((row) => row.day);
  const shown = r.rows.filter((row) => since === null || row.day >= since);
  const s = systemColumns(shown);
  const rows: TableRow[] = shown.map((row) => ({
    href: link(row.day),
    // Today's row is a day in progress: its sums are so far.
    head: row.closed ? row.day : `${row.day} (so far)`,
    cells: cells(row, undefined, Math.min(row.coverage_elec_pct, row.coverage_hp_pct), s),
  }));
  const [from, to] = [before[0], before.at(-1)];
  return {
    title: "Day by day",
    columns: columns("Day", s),
    rows,
    total: totalRow(r, 1, s),
    before:
      since === null || from === undefined || to === undefined
        ? null
        : beforeMonitoring(from === to ? longDay(from) : `${longDay(from)} – ${longDay(to)}`, since),
  };
}

/** `July – September 2026`, `December 2025 – February 2026`, `July 2026`. */
function monthSpan(first: string, last: string): string {
  if (first === last) return monthName(first, "long");
  const from = monthName(first, "long");
  return `${first.slice(0, 4) === last.slice(0, 4) ? from.replace(/ \d+$/, "") : from} – ${monthName(last, "long")}`;
}

/** A season's months so far, each linking to its page where it has one (data). */
export function monthRows(r: PeriodReport, today: string | null, extent: DataExtent): PartsTable {
  const link = monthLink(extent);
  const since = monitoringStart(r);
  const months = r.months ?? [];
  const before = since === null ? [] : months.filter((m) => m.id < monthOf(since));
  const shown = months.filter((m) => !before.includes(m));
  const s = systemColumns(shown);
  const rows: TableRow[] = shown.map((m) => {
    // The month monitoring began in is covered from that day on, like the season's coverage.
    const cov = monthCoverage(r, m, since);
    return {
      href: link(m.id),
      head: `${monthName(m.id, "long")}${today !== null && monthOf(today) === m.id ? " (so far)" : ""}`,
      cells: cells(m, 0, Math.min(cov.elec, cov.hp), s),
    };
  });
  return {
    title: "Month by month",
    columns: columns("Month", s),
    rows,
    total: totalRow(r, 0, s),
    before:
      since !== null && before.length > 0
        ? beforeMonitoring(monthSpan(before[0]!.id, before.at(-1)!.id), since)
        : null,
  };
}
