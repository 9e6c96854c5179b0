/**
 * The data snapshot: everything a build renders, computed once per build by site/builder (through
 * the report engine) and handed to each page as its props (site/builder/render/page-table.ts says
 * which page gets what). Pages only lay it out, so they hold no arithmetic and never talk to a data source.
 */
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

/** First and last day with data (null without data). */
export type DataExtent = SnapshotIndex["extent"];

/** Props of the dashboard and of /status.json. */
export interface DashboardProps {
  dashboard: DashboardData;
  index: SnapshotIndex;
}

/** Props of a day page and of its JSON and CSV twins. */
export interface DayProps {
  day: DayData;
  extent: DataExtent;
}

/** Props of a week, month or season page and of its JSON and CSV twins. */
export interface PeriodProps {
  report: PeriodReport;
  extent: DataExtent;
}

/** What the week, month and season modules get: the job's props and its kind (page-table.ts adds it). */
export type PeriodPageProps = PeriodProps & { kind: Exclude<PeriodKind, "day"> };

/** Props of a closed month rendered for the archive. */
export interface ArchivedMonthProps {
  report: PeriodReport;
  /** Every archived month (including the ones frozen in this build): archive links stay inside it. */
  archived: string[];
}

/** Props of the /day/, /week/, /month/ and /season/ index pages. */
export interface IndexProps {
  periods: PeriodIndexes;
}

/** What the /week/, /month/ and /season/ module gets: the props and the kind (page-table.ts adds it). */
export type PeriodIndexProps = IndexProps & { kind: Exclude<PeriodKind, "day"> };

/** Props of /archive/. */
export interface ArchiveIndexProps {
  index: SnapshotIndex;
}
