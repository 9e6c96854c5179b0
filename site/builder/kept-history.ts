/**
 * The history the site published, which the report engine keeps when the store loses data (README,
 * "The site": history is append-only). Rows, not bytes: the daily rows of closed days with data, read
 * back from the published JSON twins, which live where the site lives and so survive a lost report
 * cache (the builder-data volume): the archive's month files (ARCHIVE_DIR/<month>.json and their
 * copies in SITE_OUT/archive), then each day's own twin (SITE_OUT/day/<day>.json), the newest word
 * on a day. A kept day's page is rendered from its row like any other, so later fields and formats
 * apply to it (the engine gives a field the row predates null); its chart and CSV come from its
 * published CSV twin where there is one.
 *
 * Read once per engine (the long-running builder keeps one for its life) and then grown by each
 * build with the rows it publishes, so a cycle costs no reading.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { hasData } from "../../reports/src/rollup/rollup.ts";
import type { DailyRow, DayBuckets, PublishedHistory, Reports } from "../../reports/src/types.ts";
import { bucketsFromCsv } from "./published-buckets.ts";

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.json$/;
const MONTH_FILE = /^(\d{4}-\d{2})\.json$/;

/** A site's published history: rows by day, buckets read from the day's CSV twin when asked. */
class SiteHistory implements PublishedHistory {
  readonly rows = new Map<string, DailyRow>();
  private readonly siteOut: string;

  constructor(siteOut: string) {
    this.siteOut = siteOut;
  }

  buckets(day: string): DayBuckets | null {
    try {
      return bucketsFromCsv(day, readFileSync(join(this.siteOut, "day", `${day}.csv`), "utf8"));
    } catch {
      return null;
    }
  }
}

/**
 * What `siteOut` and `archiveDir` published for the zone `tz`: every closed day with data. A file
 * that cannot be read or is not a report of that zone (REPORT_TZ changed: other local days) is
 * passed over.
 */
export function readSiteHistory(siteOut: string, archiveDir: string, tz: string): SiteHistory {
  const history = new SiteHistory(siteOut);
  const take = (file: string, kind: "day" | "month", id: string) => {
    const report = readReport(file);
    if (report?.kind !== kind || report.tz !== tz || !Array.isArray(report.rows)) return;
    for (const row of report.rows) if (isPublishedDay(row, id)) history.rows.set(row.day, Object.freeze(row));
  };
  for (const dir of [archiveDir, join(siteOut, "archive")])
    for (const name of listing(dir)) {
      const month = MONTH_FILE.exec(name)?.[1];
      if (month) take(join(dir, name), "month", month);
    }
  const days = join(siteOut, "day");
  for (const name of listing(days)) {
    const day = DAY_FILE.exec(name)?.[1];
    if (day) take(join(days, name), "day", day);
  }
  return history;
}

function listing(dir: string): string[] {
  try {
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  } catch {
    return [];
  }
}

function readReport(file: string): { kind?: unknown; tz?: unknown; rows?: unknown } | null {
  try {
    const r: unknown = JSON.parse(readFileSync(file, "utf8"));
    return r && typeof r === "object" ? r : null;
  } catch {
    return null;
  }
}

/** A closed day with data inside the period `id` (a day or its month), as a daily row reads. */
function isPublishedDay(row: unknown, id: string): row is DailyRow {
  if (!row || typeof row !== "object") return false;
  const r = row as Partial<DailyRow>;
  return (
    typeof r.day === "string" &&
    r.day.startsWith(id) &&
    r.closed === true &&
    typeof r.coverage_elec_pct === "number" &&
    typeof r.coverage_hp_pct === "number" &&
    hasData(r as DailyRow)
  );
}

/** The history each engine was handed, with where it was read from. */
const held = new WeakMap<Reports, { siteOut: string; archiveDir: string; history: SiteHistory }>();

/**
 * The published history of the site, read on an engine's first build (and again if the site's
 * folders change) and handed to it; null for an engine that cannot keep one.
 */
export function keptHistory(reports: Reports, siteOut: string, archiveDir: string): SiteHistory | null {
  if (!reports.keepPublished) return null;
  let h = held.get(reports);
  if (h?.siteOut !== siteOut || h.archiveDir !== archiveDir) {
    h = { siteOut, archiveDir, history: readSiteHistory(siteOut, archiveDir, reports.tz) };
    held.set(reports, h);
  }
  reports.keepPublished(h.history);
  return h.history;
}

/** A build's rows go into the history: what it publishes is kept from now on. */
export function recordPublished(history: SiteHistory, rows: readonly DailyRow[]): void {
  for (const r of rows)
    if (r.closed && hasData(r) && history.rows.get(r.day) !== r) history.rows.set(r.day, r);
}
