/**
 * The archive of closed months in ARCHIVE_DIR: `YYYY-MM.html` (one self-contained file: inline CSS
 * and SVG, no script, no external reference) and `YYYY-MM.json`. Only months with data are frozen,
 * each once, durably, and never rendered again: design changes and rebuilds leave them as they are.
 * The one exception is `npm run build:site -- --rebuild-archive`, which renders every archived month
 * again from the data as it is now and removes archived months that have none.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileDurable } from "../../core/src/durable-file.ts";
import type { PeriodReport } from "../../reports/src/types.ts";
import { reportJson } from "../../reports/src/output/json.ts";
import type { ArchiveEntry } from "../src/lib/snapshot.ts";

const MONTH_FILE = /^(\d{4}-\d{2})\.html$/;

/** Archived months, oldest first. An empty page file (a write cut off) is not an archived month. */
export function archivedMonths(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => MONTH_FILE.exec(n)?.[1])
    .filter((m): m is string => m !== undefined && statSync(join(dir, `${m}.html`)).size > 0)
    .sort();
}

/**
 * Archive files never change once written, so the long-running builder reads each month's JSON once,
 * not once per cycle (the archive grows by a month a month). A file that cannot be read is not
 * remembered: the next cycle tries again.
 */
const entries = new Map<string, ArchiveEntry>();

export function archiveEntry(dir: string, month: string): ArchiveEntry {
  const file = join(dir, `${month}.json`);
  const hit = entries.get(file);
  if (hit) return hit;
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as PeriodReport;
    const e = { id: month, label: r.label ?? month, elec_kwh: r.elec_kwh, heat_kwh: r.heat_kwh, cop: r.cop };
    entries.set(file, e);
    return e;
  } catch {
    return { id: month, label: month, elec_kwh: null, heat_kwh: null, cop: null };
  }
}

/** Why `html` is not self-contained, or null when it is. */
export function externalReferences(html: string): string | null {
  if (/<script\b/i.test(html)) return "it contains a <script>";
  if (/<link\b[^>]*rel="?stylesheet/i.test(html)) return "it links a stylesheet";
  const src = /\ssrc="(?!data:)[^"]*"/i.exec(html);
  if (src) return `it loads ${src[0].trim()}`;
  if (/url\((?!["']?data:|#)/i.test(html)) return "its CSS loads a url()";
  return null;
}

/**
 * Freezes one month. An archived month is never overwritten, except with `rebuild` (the
 * --rebuild-archive command).
 */
export function freezeMonth(
  dir: string,
  month: string,
  html: string,
  report: PeriodReport,
  opts: { rebuild?: boolean } = {},
): void {
  const why = externalReferences(html);
  if (why) throw new Error(`archive page ${month} is not self-contained (${why}); it was not written`);
  const htmlPath = join(dir, `${month}.html`);
  if (!opts.rebuild && archivedMonths(dir).includes(month)) return;
  entries.delete(join(dir, `${month}.json`));
  writeFileDurable(join(dir, `${month}.json`), reportJson(report));
  // The HTML last: a non-empty page file marks the month as archived.
  writeFileDurable(htmlPath, html);
}

/** Removes an archived month (--rebuild-archive, for a month that has no data). */
export function removeMonth(dir: string, month: string): void {
  // The page first: without it the month is not archived, whatever happens next.
  rmSync(join(dir, `${month}.html`), { force: true });
  rmSync(join(dir, `${month}.json`), { force: true });
  entries.delete(join(dir, `${month}.json`));
}
