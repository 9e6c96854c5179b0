/**
 * The archive of closed months in ARCHIVE_DIR: `YYYY-MM.html` (one self-contained file: inline CSS
 * and SVG, no script, no external reference) and `YYYY-MM.json`. Written once, atomically, and
 * never rendered again: design changes and rebuilds leave them as they are.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PeriodReport } from "../../reports/src/types.ts";
import type { ArchiveEntry } from "../src/lib/snapshot.ts";

const MONTH_FILE = /^(\d{4}-\d{2})\.html$/;

export function archivedMonths(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => MONTH_FILE.exec(n)?.[1])
    .filter((m): m is string => m !== undefined)
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

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Freezes one month: never overwrites an existing archive file. */
export function freezeMonth(dir: string, month: string, html: string, report: PeriodReport): void {
  const why = externalReferences(html);
  if (why) throw new Error(`archive page ${month} is not self-contained (${why}); it was not written`);
  mkdirSync(dir, { recursive: true });
  const htmlPath = join(dir, `${month}.html`);
  if (existsSync(htmlPath)) return;
  writeAtomic(join(dir, `${month}.json`), JSON.stringify(report, null, 2));
  // The HTML last: its presence marks the month as archived.
  writeAtomic(htmlPath, html);
}
