/**
 * The data snapshot: everything a build renders, computed once by site/tools (through the report
 * engine) and written as JSON files into a folder named by SITE_SNAPSHOT. Pages only read it, so
 * they hold no arithmetic and Astro never talks to a data source.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  DailyRow,
  DayBuckets,
  PeriodKind,
  PeriodReport,
  SeriesSet,
  Status,
  Totals,
} from "../../../reports/src/types.ts";

export interface ArchiveEntry {
  id: string;
  label: string;
  elec_kwh: number | null;
  heat_kwh: number | null;
  cop: number | null;
}

export interface SnapshotIndex {
  builtAtMs: number;
  /** Seconds between builds (SITE_INTERVAL): the dashboard reloads itself this often, without JavaScript. */
  refreshS: number;
  tz: string;
  /** Periods rendered in this build (the others are carried over unchanged from the last site). */
  render: Record<PeriodKind, string[]>;
  /** Closed months to freeze into the archive in this build. */
  freeze: string[];
  /** Newest period of each kind with data, for the header links (null without data). */
  latest: Record<PeriodKind, string | null>;
  /** First and last day with data: day links stay inside it. */
  extent: { first: string; last: string } | null;
  /** Every archived month, newest first (including the ones frozen in this build). */
  archive: ArchiveEntry[];
}

export interface DashboardData {
  status: Status;
  /** The last 24 hours. */
  fromMs: number;
  toMs: number;
  series: SeriesSet;
  /** The last 7 local days, oldest first. */
  week: DailyRow[];
  today: string;
}

export interface DayData {
  report: PeriodReport;
  /** The day's five-minute buckets (its CSV) and the chart series drawn from them. */
  buckets: DayBuckets;
  series: SeriesSet;
}

export interface PeriodData {
  report: PeriodReport;
}

/** One day of the /day/ calendar. */
export interface CalendarDay {
  day: string;
  closed: boolean;
  heat_kwh: number | null;
  elec_kwh: number | null;
  cop: number | null;
  /** The lower of the two sources' coverage, percent. */
  coverage_pct: number;
}

/** One week, month or season of its index page: the same totals as its own page. */
export interface PeriodSummary extends Totals {
  id: string;
  label: string;
  first: string;
  last: string;
  /** Still in progress (holds today). */
  open: boolean;
  /** Days of the period up to today (all of them once it is over). */
  days_so_far: number;
}

/** The index pages' data: every day with data, every week, month and season. */
export interface PeriodIndexes {
  days: CalendarDay[];
  week: PeriodSummary[];
  month: PeriodSummary[];
  season: PeriodSummary[];
}

const memo = new Map<string, unknown>();

function dir(): string {
  const d = process.env.SITE_SNAPSHOT;
  if (!d)
    throw new Error(
      "SITE_SNAPSHOT is not set: pages are built by `npm run build:site`, not by astro directly",
    );
  return d;
}

function read<T>(rel: string): T {
  const hit = memo.get(rel);
  if (hit !== undefined) return hit as T;
  const value = JSON.parse(readFileSync(join(dir(), rel), "utf8")) as T;
  // Only the small index and dashboard are kept. A period file is read by its page and again by its
  // JSON twin (and a frozen month by its archive page): not kept, so a full build's memory stays flat.
  if (rel === "index.json" || rel === "dashboard.json") memo.set(rel, value);
  return value;
}

export const snapshotIndex = (): SnapshotIndex => read<SnapshotIndex>("index.json");
export const dashboardData = (): DashboardData => read<DashboardData>("dashboard.json");
export const dayData = (id: string): DayData => read<DayData>(`day/${id}.json`);
/** Each index page reads it once: not kept (a long history makes it the largest snapshot file). */
export const periodIndexes = (): PeriodIndexes => read<PeriodIndexes>("periods.json");
export const periodData = (kind: Exclude<PeriodKind, "day">, id: string): PeriodData =>
  read<PeriodData>(`${kind}/${id}.json`);

export const staticPaths = (kind: PeriodKind, param: string) =>
  snapshotIndex().render[kind].map((id) => ({ params: { [param]: id } }));
