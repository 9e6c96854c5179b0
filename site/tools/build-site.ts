/**
 * One build of the site: plan (which pages changed), snapshot (numbers from the report engine),
 * render (Astro, in a child process), archive (freeze closed months), check (no secrets, no
 * scripts), publish (atomic swap). Anything that fails leaves the published site as it was.
 */
import { execFile } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Clock, Logger } from "../../collector/src/effects.ts";
import type { PeriodKind, PeriodReport, Reports } from "../../reports/src/types.ts";
import { addDays, dayOf } from "../../reports/src/periods.ts";
import { hasData } from "../../reports/src/rollup.ts";
import { monthEnd } from "../src/lib/periods.ts";
import type { DashboardData, DayData, SnapshotIndex } from "../src/lib/snapshot.ts";
import { archivedMonths, archiveEntry, freezeMonth, removeMonth } from "./archive.ts";
import type { SiteConfig } from "./config.ts";
import { shortHash } from "../../reports/src/cache.ts";
import { designHash } from "./design-hash.ts";
import { periodSummaries, summaryDays } from "./period-summaries.ts";
import { KINDS, type Manifest, manifestKey, pageFiles, type PagePlan, planPages } from "./plan.ts";
import { listFiles, publishFiles, removeFiles, removeLeftovers } from "./publish.ts";
import { type Secret, secretsIn } from "./secrets.ts";

const run = promisify(execFile);
const SITE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A closed month is frozen one day after it ended, so data replayed after a short outage is in. */
const FREEZE_GRACE_DAYS = 1;

export interface BuildDeps {
  reports: Reports;
  config: SiteConfig;
  clock: Clock;
  logger: Logger;
  secrets: readonly Secret[];
  /** Render every page, ignoring what the published site holds. */
  force?: boolean;
  /**
   * Render every archived month again from the data as it is now, and remove archived months
   * that have no data (`npm run build:site -- --rebuild-archive`). Archived months are otherwise
   * never rendered again.
   */
  rebuildArchive?: boolean;
}

export interface BuildResult {
  rendered: number;
  carried: number;
  frozen: string[];
  /** Archived months removed by --rebuild-archive because they have no data. */
  unarchived: string[];
  ms: { plan: number; snapshot: number; render: number; publish: number; total: number };
}

export class BuildError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "BuildError";
  }
}

function readManifest(siteOut: string): Manifest | null {
  try {
    return JSON.parse(readFileSync(join(siteOut, ".manifest.json"), "utf8")) as Manifest;
  } catch {
    return null;
  }
}

/** Work folders of builds killed before their cleanup (older than an hour: no build takes that long). */
function removeStaleWork(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (Date.now() - statSync(p).mtimeMs > 3_600_000) rmSync(p, { recursive: true, force: true });
  }
}

function writeJson(dir: string, rel: string, value: unknown): void {
  const p = join(dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, JSON.stringify(value));
}

/** One build per SITE_OUT at a time, across processes (`npm run build:site` beside the builder). */
export async function buildSite(deps: BuildDeps): Promise<BuildResult> {
  const release = acquireLock(`${deps.config.siteOut}.lock`);
  try {
    return await buildLocked(deps);
  } finally {
    release();
  }
}

function acquireLock(path: string): () => void {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(readFileSync(path, "utf8"));
      if (pid && alive(pid)) {
        throw new BuildError(
          `another build of ${path.replace(/\.lock$/, "")} is running (process ${pid}); try again when it ends`,
        );
      }
      rmSync(path, { force: true }); // left by a build that crashed
    }
  }
  throw new BuildError(`could not take the build lock ${path}; remove it if no build is running`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function buildLocked(deps: BuildDeps): Promise<BuildResult> {
  const { reports, config, clock, logger } = deps;
  const t0 = performance.now();
  const nowMs = clock.now();
  const tz = reports.tz;
  const today = dayOf(tz, nowMs);
  removeLeftovers(config.siteOut);
  // One look at the store for the whole build: every page sees the same data.
  reports.refresh();

  // 1. Plan.
  // The analytics settings (prices, degree-day base, indoor and design temperatures) shape every
  // period page without changing a daily row: a change renders every page again.
  const design = `${designHash(SITE_ROOT)}-${shortHash(JSON.stringify(reports.settings))}`;
  const extent = await reports.extent();
  const rows = extent ? await reports.dailyRows(extent.first, extent.last) : [];
  const plans = planPages(rows, design);
  const last = readManifest(config.siteOut);
  if (rows.length === 0 && last && Object.keys(last.pages).length > 0) {
    // A source that suddenly has nothing is misconfigured or unreachable, not a history that vanished.
    throw new BuildError(
      `the report source returned no data at all, but the published site has ${Object.keys(last.pages).length} report pages; kept it. Check LOCAL_SOURCE, INFLUX_URL or DATA_DIR.`,
    );
  }
  const previous = deps.force ? null : last;
  // The manifest lives inside the published folder, so it describes the files there; a page deleted
  // by hand (a look at each page's file: microseconds each) is rendered again.
  const missing = (p: PagePlan) => !p.files.every((f) => existsSync(join(config.siteOut, f)));
  const lost = previous ? plans.filter((p) => previous.pages[manifestKey(p)] === p.key && missing(p)) : [];
  if (lost.length)
    logger.warn(`${lost.length} pages were missing from ${config.siteOut}; this build renders them again`);
  const dirty = plans.filter((p) => p.open || previous?.pages[manifestKey(p)] !== p.key || lost.includes(p));
  const archived = archivedMonths(config.archiveDir);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  // Only months that are over (and a day more, for late data), closed and with data are frozen.
  const freezable = (p: PagePlan) =>
    p.kind === "month" &&
    addDays(monthEnd(p.id), FREEZE_GRACE_DAYS) <= today &&
    p.days.every((d) => byDay.get(d)!.closed) &&
    p.days.some((d) => hasData(byDay.get(d)!));
  const freeze = plans
    .filter((p) => freezable(p) && (deps.rebuildArchive || !archived.includes(p.id)))
    .map((p) => p.id);
  const unarchived = deps.rebuildArchive ? archived.filter((m) => !freeze.includes(m)) : [];
  const keptArchive = archived.filter((m) => !unarchived.includes(m));
  const tPlan = performance.now();

  // 2. Snapshot: every number the rendered pages show, computed once.
  const snap = mkdtempSync(join(tmpdir(), "heatpump-site-snapshot-"));
  const tmp = `${config.siteOut}.tmp-${process.pid}-${Date.now()}`;
  let work: string | undefined;
  try {
    const reportsById = new Map<string, PeriodReport>();
    for (const p of dirty) {
      const report = await reports.report({ kind: p.kind, id: p.id });
      if (p.kind === "day") {
        const buckets = await reports.dayBuckets(p.id);
        const series = await reports.series(Date.parse(report.start), Date.parse(report.end));
        writeJson(snap, `day/${p.id}.json`, { report, buckets, series } satisfies DayData);
      } else {
        writeJson(snap, `${p.kind}/${p.id}.json`, { report });
      }
      if (p.kind === "month") reportsById.set(p.id, report);
    }
    for (const m of freeze) {
      if (reportsById.has(m)) continue;
      const report = await reports.report({ kind: "month", id: m });
      reportsById.set(m, report);
      writeJson(snap, `month/${m}.json`, { report });
    }
    const status = await reports.status(nowMs);
    const fromMs = nowMs - 24 * 3_600_000;
    const dashboard: DashboardData = {
      status,
      fromMs,
      toMs: nowMs,
      series: await reports.series(fromMs, nowMs),
      week: await reports.dailyRows(addDays(today, -6), today),
      today,
    };
    writeJson(snap, "dashboard.json", dashboard);
    // The index pages: every season with data from its first day, as the season pages count it.
    const span = extent ? summaryDays(extent, today) : null;
    const allRows = span ? await reports.dailyRows(span.from, span.to) : [];
    writeJson(snap, "periods.json", periodSummaries(allRows, extent, nowMs));
    const latest = Object.fromEntries(
      KINDS.map((k) => [k, plans.filter((p) => p.kind === k).at(-1)?.id ?? null]),
    ) as Record<PeriodKind, string | null>;
    const index: SnapshotIndex = {
      builtAtMs: nowMs,
      refreshS: config.intervalS,
      tz,
      render: Object.fromEntries(
        KINDS.map((k) => [k, dirty.filter((p) => p.kind === k).map((p) => p.id)]),
      ) as Record<PeriodKind, string[]>,
      freeze,
      latest,
      extent,
      archive: [
        ...keptArchive.filter((m) => !freeze.includes(m)).map((m) => archiveEntry(config.archiveDir, m)),
        ...freeze.map((m) => {
          const r = reportsById.get(m)!;
          return { id: m, label: r.label, elec_kwh: r.elec_kwh, heat_kwh: r.heat_kwh, cop: r.cop };
        }),
      ].sort((a, b) => (a.id < b.id ? 1 : -1)),
    };
    writeJson(snap, "index.json", index);
    const tSnap = performance.now();

    // 3. Render with Astro in a child process, in the report zone.
    mkdirSync(dirname(config.siteOut), { recursive: true });
    mkdirSync(join(SITE_ROOT, ".astro", "builds"), { recursive: true });
    removeStaleWork(join(SITE_ROOT, ".astro", "builds"));
    work = mkdtempSync(join(SITE_ROOT, ".astro", "builds", "b-"));
    try {
      // Astro keeps its prerender chunks under `cwd/.astro` when the output folder is outside cwd:
      // a fresh cwd per build (inside the project, so the chunks resolve node_modules) keeps
      // concurrent builds (tests, demo, builder) apart.
      await run(process.execPath, [join(SITE_ROOT, "tools", "astro-render.ts"), tmp], {
        cwd: work,
        env: {
          ...process.env,
          SITE_SNAPSHOT: snap,
          TZ: tz,
          SITE_ASTRO_CACHE: join(config.dataDir, "site-cache", "astro"),
        },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (e) {
      const err = e as { stderr?: string; stdout?: string };
      const detail = `${err.stderr ?? ""}\n${err.stdout ?? ""}`.trim().split("\n").slice(-15).join("\n");
      throw new BuildError(`Astro could not render the pages:\n${detail}`, { cause: e });
    }
    const tRender = performance.now();

    // 4. Check what was rendered: no secret, no script.
    const fresh = listFiles(tmp);
    for (const rel of fresh) {
      const text = readFileSync(join(tmp, rel), "utf8");
      const leaked = secretsIn(text, deps.secrets);
      if (leaked.length) {
        throw new BuildError(
          `the rendered page ${rel} contains the value of ${leaked.join(", ")}; nothing was published. Check what the report engine returns.`,
        );
      }
      if (rel.endsWith(".html") && /<script\b/i.test(text)) {
        throw new BuildError(
          `the rendered page ${rel} contains a <script>; the site must work without JavaScript`,
        );
      }
    }

    // 5. Freeze closed months into the archive (once), then drop the render-only route.
    for (const m of freeze) {
      const html = readFileSync(join(tmp, "archive-frozen", m, "index.html"), "utf8");
      freezeMonth(config.archiveDir, m, html, reportsById.get(m)!, { rebuild: deps.rebuildArchive ?? false });
      logger.info(`archived month ${m} into ${config.archiveDir}`);
    }
    for (const m of unarchived) {
      removeMonth(config.archiveDir, m);
      logger.info(`removed archived month ${m} from ${config.archiveDir}: it has no data`);
    }
    rmSync(join(tmp, "archive-frozen"), { recursive: true, force: true });
    // The archive in the site: months frozen now, and archived months the site lacks (a new
    // SITE_OUT), or all of them with --force.
    for (const m of keptArchive.concat(freeze))
      if (deps.force || freeze.includes(m) || !existsSync(join(config.siteOut, "archive", `${m}.html`)))
        for (const ext of ["json", "html"])
          copyFileSync(join(config.archiveDir, `${m}.${ext}`), join(tmp, "archive", `${m}.${ext}`));

    // 6. Publish in place, file by file (publish.ts), then the manifest; then remove what is gone.
    const pages = Object.fromEntries(plans.map((p) => [manifestKey(p), p.key]));
    writeFileSync(join(tmp, ".manifest.json"), JSON.stringify({ design, pages } satisfies Manifest));
    publishFiles(tmp, config.siteOut, listFiles(tmp));
    const planned = new Set(Object.keys(pages));
    const gone = Object.keys(last?.pages ?? {}).filter((k) => !planned.has(k));
    removeFiles(config.siteOut, [
      ...gone.flatMap((k) => pageFiles(...(k.split("/") as [PeriodKind, string]))),
      ...unarchived.flatMap((m) => [`archive/${m}.html`, `archive/${m}.json`]),
    ]);
    rmSync(tmp, { recursive: true, force: true });
    const carried = plans.length - dirty.length;
    const tEnd = performance.now();
    const result: BuildResult = {
      rendered: dirty.length,
      carried,
      frozen: freeze,
      unarchived,
      ms: {
        plan: Math.round(tPlan - t0),
        snapshot: Math.round(tSnap - tPlan),
        render: Math.round(tRender - tSnap),
        publish: Math.round(tEnd - tRender),
        total: Math.round(tEnd - t0),
      },
    };
    logger.info(
      `built ${config.siteOut}: ${dirty.length} pages rendered, ${carried} unchanged, ${freeze.length} months archived${unarchived.length ? `, ${unarchived.length} removed from the archive` : ""}, ${result.ms.total} ms`,
    );
    return result;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    rmSync(snap, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  }
}
