/**
 * The archive of closed months in ARCHIVE_DIR: `YYYY-MM.html` (one self-contained file: inline CSS
 * and SVG, no script, no external reference) and `YYYY-MM.json`. Only months with data are frozen,
 * each once, durably, and never rendered again: design changes and rebuilds leave them as they are.
 * The one exception is `npm run build:site -- --rebuild-archive`, which renders every archived month
 * again from the data as it is now and removes archived months that have none.
 *
 * In a build (the archive stage): the plan says which months are frozen (archivePlan); they are
 * rendered for the archive and frozen (freezeMonths), and the site gets copies (archiveIntoSite).
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileDurable } from "../../core/src/durable-file.ts";
import { addDays } from "../../core/src/time.ts";
import { monthEnd } from "../../reports/src/periods.ts";
import { hasData } from "../../reports/src/rollup/rollup.ts";
import type { DailyRow, PeriodReport } from "../../reports/src/types.ts";
import { reportJson } from "../../reports/src/output/json.ts";
import type { ArchiveEntry, SnapshotIndex } from "../src/lib/snapshot.ts";
import type { BuildDeps, BuildPlan } from "./build-context.ts";
import type { PagePlan } from "./plan.ts";
import { checkFile, type RenderStage } from "./render-stage.ts";

/** A closed month is frozen one day after it ended, so data replayed after a short outage is in. */
const FREEZE_GRACE_DAYS = 1;

const MONTH_FILE = /^(\d{4}-\d{2})\.html$/;

/** Archived months, oldest first. An empty page file (a write cut off) is not an archived month. */
function archivedMonths(dir: string): string[] {
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
function freezeMonth(
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
function removeMonth(dir: string, month: string): void {
  // The page first: without it the month is not archived, whatever happens next.
  rmSync(join(dir, `${month}.html`), { force: true });
  rmSync(join(dir, `${month}.json`), { force: true });
  entries.delete(join(dir, `${month}.json`));
}

/**
 * Which months a build freezes: months that are over (and a day more, for late data), closed and
 * with data, not archived yet (all of them with `rebuild`). With `rebuild`, archived months that are
 * not frozen again (no data) are removed; the others are kept.
 */
export function archivePlan(
  plans: readonly PagePlan[],
  rows: readonly DailyRow[],
  today: string,
  dir: string,
  rebuild: boolean,
): Pick<BuildPlan, "freeze" | "unarchived" | "kept"> {
  const archived = archivedMonths(dir);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const freezable = (p: PagePlan) =>
    p.kind === "month" &&
    addDays(monthEnd(p.id), FREEZE_GRACE_DAYS) <= today &&
    p.days.every((d) => byDay.get(d)!.closed) &&
    p.days.some((d) => hasData(byDay.get(d)!));
  const freeze = plans.filter((p) => freezable(p) && (rebuild || !archived.includes(p.id))).map((p) => p.id);
  const unarchived = rebuild ? archived.filter((m) => !freeze.includes(m)) : [];
  return { freeze, unarchived, kept: archived.filter((m) => !unarchived.includes(m)) };
}

/**
 * Freezes the months of `plan.freeze` (once): each rendered for the archive (self-contained, linking
 * the other archived months of `index` relatively), checked like every page, written into ARCHIVE_DIR.
 */
export async function freezeMonths(
  stage: RenderStage,
  deps: BuildDeps,
  plan: BuildPlan,
  months: ReadonlyMap<string, PeriodReport>,
  index: SnapshotIndex,
): Promise<void> {
  const { config, logger } = deps;
  const archivedIds = index.archive.map((a) => a.id);
  for (const m of plan.freeze) {
    const report = months.get(m)!;
    const [frozen] = await stage.here({
      page: "archived-month",
      id: m,
      props: { report, archived: archivedIds },
    });
    checkFile(frozen!, deps.secrets);
    freezeMonth(config.archiveDir, m, frozen!.text, report, { rebuild: deps.rebuildArchive ?? false });
    logger.info(`archived month ${m} into ${config.archiveDir}`);
  }
}

/**
 * The archive in the build folder `fresh`: archived months without data removed (--rebuild-archive),
 * and copies of the months frozen now and of archived months the site lacks (a new SITE_OUT), or of
 * all of them with --force.
 */
export function archiveIntoSite(fresh: string, deps: BuildDeps, plan: BuildPlan): void {
  const { config, logger } = deps;
  for (const m of plan.unarchived) {
    removeMonth(config.archiveDir, m);
    logger.info(`removed archived month ${m} from ${config.archiveDir}: it has no data`);
  }
  for (const m of plan.kept.concat(plan.freeze))
    if (deps.force || plan.freeze.includes(m) || !existsSync(join(config.siteOut, "archive", `${m}.html`)))
      for (const ext of ["json", "html"])
        copyFileSync(join(config.archiveDir, `${m}.${ext}`), join(fresh, "archive", `${m}.${ext}`));
}
