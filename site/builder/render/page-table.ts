/**
 * Which page module renders which file of the site, with which props: the routing `astro build`
 * would do from file names, written out, because the builder renders only the pages that changed.
 * The modules (under src/pages) are named after what they draw, not after a route: the week, month
 * and season pages share one module each for the page, its index and its JSON and CSV twins, and
 * get the kind among their props.
 */
import type { PeriodKind } from "../../../reports/src/types.ts";
import type {
  ArchivedMonthProps,
  ArchiveIndexProps,
  DashboardProps,
  DayProps,
  IndexProps,
  PeriodProps,
} from "../../src/lib/snapshot.ts";
import type { AlertsProps } from "../../src/lib/alerts-view.ts";

/** One page to render, with the data it shows. */
export type PageJob =
  | { page: "dashboard"; props: DashboardProps & Partial<AlertsProps> }
  | { page: "alerts"; props: AlertsProps }
  | { page: "not-found" }
  | { page: "index"; kind: PeriodKind; props: IndexProps }
  | { page: "archive-index"; props: ArchiveIndexProps }
  | { page: "period"; kind: "day"; id: string; props: DayProps }
  | { page: "period"; kind: Exclude<PeriodKind, "day">; id: string; props: PeriodProps }
  | { page: "archived-month"; id: string; props: ArchivedMonthProps };

/** A file of the site: its path relative to the site root, and the module (under src/pages) rendering it. */
export interface PageFile {
  rel: string;
  module: string;
  /** An endpoint module (its GET's body is the file) or an .astro page. */
  endpoint: boolean;
}

const page = (rel: string, module: string): PageFile => ({ rel, module: `${module}.astro`, endpoint: false });
const endpoint = (rel: string, module: string): PageFile => ({ rel, module, endpoint: true });

/** The files a job renders, in the order they are rendered. */
export function filesOf(job: PageJob): PageFile[] {
  switch (job.page) {
    case "dashboard":
      return [page("index.html", "dashboard"), endpoint("status.json", "status.json.ts")];
    case "alerts":
      return [page("alerts/index.html", "alerts"), endpoint("alerts.json", "alerts.json.ts")];
    case "not-found":
      return [page("404.html", "not-found")];
    case "index":
      // The days' index is a calendar; the others are tables of their periods.
      return [page(`${job.kind}/index.html`, job.kind === "day" ? "calendar" : "period-index")];
    case "archive-index":
      return [page("archive/index.html", "archive-index")];
    case "period": {
      // A day's page draws its hours from five-minute buckets, which its CSV holds; a week's,
      // month's or season's page draws and lists days.
      const m = job.kind === "day" ? "day" : "period";
      return [
        page(`${job.kind}/${job.id}/index.html`, m),
        endpoint(`${job.kind}/${job.id}.json`, `${m}.json.ts`),
        endpoint(`${job.kind}/${job.id}.csv`, `${m}.csv.ts`),
      ];
    }
    case "archived-month":
      // Not a file of the site: the build freezes it into ARCHIVE_DIR, whence the site gets a copy.
      return [page(`archive/${job.id}.html`, "archived-month")];
  }
}

/**
 * The props every file of a job is rendered with: the job's own, and the kind of an index or
 * report page, which tells the module shared by weeks, months and seasons which one it draws.
 */
export function propsOf(job: PageJob): Record<string, unknown> {
  if (!("props" in job)) return {};
  return "kind" in job ? { ...job.props, kind: job.kind } : { ...job.props };
}

/** Every page module of the site, relative to src/pages. */
export const PAGE_MODULES: readonly string[] = [
  "dashboard.astro",
  "status.json.ts",
  "alerts.astro",
  "alerts.json.ts",
  "not-found.astro",
  "archive-index.astro",
  "archived-month.astro",
  "calendar.astro",
  "period-index.astro",
  ...["day", "period"].flatMap((m) => [`${m}.astro`, `${m}.json.ts`, `${m}.csv.ts`]),
];
