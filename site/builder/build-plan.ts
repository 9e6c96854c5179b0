/**
 * The plan stage: which pages a build renders and which months it freezes. Every period with data
 * gets a key (plan.ts); a page is rendered when it holds a day that is not over, when its key is not
 * the one the published manifest names, or when a file of it is missing from the published site.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { shortHash } from "../../core/src/hash.ts";
import { archivePlan } from "./archive.ts";
import { type BuildDeps, BuildError, type BuildPlan, type Timings } from "./build-context.ts";
import { sayKept, warnRebuild } from "./history-notes.ts";
import { keptHistory, recordPublished } from "./kept-history.ts";
import { type Manifest, type PagePlan, planPages } from "./plan.ts";

export async function planBuild(
  deps: BuildDeps,
  when: { nowMs: number; today: string },
  rendererDesign: string,
  timings: Timings,
): Promise<BuildPlan> {
  const { reports, config, logger } = deps;
  // The analytics settings (prices, degree-day base, indoor and design temperatures) shape every
  // period page without changing a daily row: a change renders every page again.
  const design = `${rendererDesign}-${shortHash(JSON.stringify(reports.settings))}`;
  // History is append-only: the engine keeps the published rows of days the store lost data of
  // (kept-history.ts), except in a --rebuild, which recomputes everything from the store.
  const history = deps.rebuild ? null : keptHistory(reports, config.siteOut, config.archiveDir);
  if (deps.rebuild) reports.keepPublished?.(null);
  const extent = await timings.engine(() => reports.extent());
  const last = readManifest(config.siteOut);
  // The store's own data: the extent counts the published days too.
  const own = reports.storeExtent ? await timings.engine(() => reports.storeExtent!()) : extent;
  if (!own && last && Object.keys(last.pages).length > 0) {
    // A source that suddenly has nothing is misconfigured or unreachable, not a history that vanished.
    throw new BuildError(
      `the report source returned no data at all, but the published site has ${Object.keys(last.pages).length} ` +
        "report pages; kept it. Check LOCAL_SOURCE, INFLUX_URL or DATA_DIR.",
    );
  }
  const rows = extent ? await timings.engine(() => reports.dailyRows(extent.first, extent.last)) : [];
  const kept = reports.keptDays?.() ?? [];
  const plans = planPages(rows, design, when.nowMs);
  if (deps.rebuild) warnRebuild(rows, { ...config, tz: reports.tz }, logger);
  else sayKept(reports, kept, logger);
  if (history) recordPublished(history, rows);
  const previous = deps.force ? null : last;
  // The manifest lives inside the published folder, so it describes the files there; a page deleted
  // by hand is rendered again.
  const same = previous ? plans.filter((p) => previous.pages[p.page] === p.key) : [];
  const lost = new Set(previous ? unpublished(config.siteOut, same) : []);
  if (lost.size)
    logger.warn(`${lost.size} pages were missing from ${config.siteOut}; this build renders them again`);
  const dirty = plans.filter((p) => p.open || previous?.pages[p.page] !== p.key || lost.has(p));
  const archive = archivePlan(plans, rows, when.today, config.archiveDir, deps.rebuildArchive ?? false);
  return { ...when, design, extent, plans, dirty, last, ...archive };
}

function readManifest(siteOut: string): Manifest | null {
  try {
    return JSON.parse(readFileSync(join(siteOut, ".manifest.json"), "utf8")) as Manifest;
  } catch {
    return null;
  }
}

/**
 * The pages of `plans` with a file missing from the published site. One listing of each top folder
 * answers for the files directly in it (a page's JSON and CSV twins) and for the page folders; a
 * look answers for each file inside a page folder (its index.html, microseconds each).
 */
function unpublished(siteOut: string, plans: readonly PagePlan[]): PagePlan[] {
  const listed = new Map<string, Set<string>>();
  const listing = (dir: string) => {
    let names = listed.get(dir);
    if (!names) {
      const path = join(siteOut, dir);
      names = new Set(existsSync(path) ? readdirSync(path) : []);
      listed.set(dir, names);
    }
    return names;
  };
  const present = (rel: string) => {
    const a = rel.indexOf("/");
    if (a < 0) return existsSync(join(siteOut, rel));
    const b = rel.indexOf("/", a + 1);
    if (!listing(rel.slice(0, a)).has(b < 0 ? rel.slice(a + 1) : rel.slice(a + 1, b))) return false;
    return b < 0 || existsSync(`${siteOut}/${rel}`);
  };
  return plans.filter((p) => !p.files.every(present));
}
