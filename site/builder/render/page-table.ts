/**
 * Which page module renders which file of the site, with which props: the routing `astro build`
 * did from file names, written out, because the builder renders only the pages that changed.
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

/** One page to render, with the data it shows. */
export type PageJob =
  | { page: "dashboard"; props: DashboardProps }
  | { page: "not-found" }
  | { page: "index"; kind: PeriodKind; props: IndexProps }
  | { page: "archive-index"; props: ArchiveIndexProps }
  | { page: "period"; kind: "day"; id: string; props: DayProps }
  | { page: "period"; kind: Exclude<PeriodKind, "day">; id: string; props: PeriodProps }
  | { page: "archived-month"; id: string; props: ArchivedMonthProps };

/** A file of the site: its path relative to the site root and the module (under src/pages) that renders it. */
export interface PageFile {
  rel: string;
  module: string;
  /** An endpoint module (its GET's body is the file) or an .astro page. */
  endpoint: boolean;
}

/** The module of each period kind's page (its JSON and CSV twins sit beside it). */
const PERIOD_MODULE: Record<PeriodKind, string> = {
  day: "day/[date]",
  week: "week/[week]",
  month: "month/[month]",
  season: "season/[season]",
};

const page = (rel: string, module: string): PageFile => ({ rel, module: `${module}.astro`, endpoint: false });
const endpoint = (rel: string, module: string): PageFile => ({ rel, module, endpoint: true });

/** The files a job renders, in the order they are rendered. */
export function filesOf(job: PageJob): PageFile[] {
  switch (job.page) {
    case "dashboard":
      return [page("index.html", "index"), endpoint("status.json", "status.json.ts")];
    case "not-found":
      return [page("404.html", "404")];
    case "index":
      return [page(`${job.kind}/index.html`, `${job.kind}/index`)];
    case "archive-index":
      return [page("archive/index.html", "archive/index")];
    case "period": {
      const m = PERIOD_MODULE[job.kind];
      return [
        page(`${job.kind}/${job.id}/index.html`, m),
        endpoint(`${job.kind}/${job.id}.json`, `${m}.json.ts`),
        endpoint(`${job.kind}/${job.id}.csv`, `${m}.csv.ts`),
      ];
    }
    case "archived-month":
      // Not a file of the site: the build freezes it into ARCHIVE_DIR, whence the site gets a copy.
      return [page(`archive/${job.id}.html`, "archive-frozen/[month]")];
  }
}

/** Every page module of the site, relative to src/pages. */
export const PAGE_MODULES: readonly string[] = [
  "index.astro",
  "status.json.ts",
  "404.astro",
  "archive/index.astro",
  "archive-frozen/[month].astro",
  ...(["day", "week", "month", "season"] as const).flatMap((k) => [
    `${k}/index.astro`,
    `${PERIOD_MODULE[k]}.astro`,
    `${PERIOD_MODULE[k]}.json.ts`,
    `${PERIOD_MODULE[k]}.csv.ts`,
  ]),
];
