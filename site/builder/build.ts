/**
 * One build of the site: plan (which pages changed), then page by page the numbers from the report
 * engine and the page rendered from them (in this thread, or in worker threads for a build with
 * many day pages), each file checked (no secrets, no scripts); archive (freeze closed months),
 * publish (in place, file by file). Anything that fails leaves the published site as it was.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import type { Clock, Logger } from "../../core/src/effects.ts";
import type { PeriodKind, PeriodReport, Reports } from "../../reports/src/types.ts";
import { hasData } from "../../reports/src/rollup/rollup.ts";
import { monthEnd } from "../../reports/src/periods.ts";
import type { SnapshotIndex } from "../src/lib/snapshot.ts";
import { archivedMonths, archiveEntry, freezeMonth, removeMonth } from "./archive.ts";
import type { SiteConfig } from "./config.ts";
import { shortHash } from "../../core/src/hash.ts";
import { writeFileDurable } from "../../core/src/durable-file.ts";
import { periodSummaries, summaryDays } from "./period-summaries.ts";
import { KINDS, type Manifest, pageFiles, type PagePlan, planPages } from "./plan.ts";
import { listFiles, publishFiles, removeFiles, removeLeftovers } from "./publish.ts";
import type { RenderedFile } from "./render/page-renderer.ts";
import type { PageJob } from "./render/page-table.ts";
import type { RenderPool } from "./render/render-pool.ts";
import { createSiteRenderer, type SiteRenderer } from "./render/site-renderer.ts";
import { type Secret, secretsIn } from "./secrets.ts";
import { addDays, dayOf } from "../../core/src/time.ts";

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
  /**
   * The renderer, kept by the long-running builder across cycles. Without one, the build makes its
   * own (loading the compiled pages, compiling them first after a code change).
   */
  renderer?: SiteRenderer;
  /**
   * A build that renders at least this many day pages (a first build, a design change) has worker
   * threads draw its period pages while this thread asks the engine for the next ones; fewer are
   * rendered in this thread. Default 48.
   */
  threadedFromDays?: number;
  /** Worker threads for such a build. Default: the number of cores. */
  renderThreads?: number;
}

export interface BuildResult {
  rendered: number;
  carried: number;
  frozen: string[];
  /** Archived months removed by --rebuild-archive because they have no data. */
  unarchived: string[];
  /** Pages rendered in worker threads. */
  threaded: number;
  /**
   * Where the time went, in ms: `engine` waiting for the report engine (planning included),
   * `render` rendering, checking and writing pages beside SITE_OUT (and waiting for the workers),
   * `publish` the archive's copies and putting every file in place; `total` also holds planning's
   * own hashing.
   */
  ms: { engine: number; render: number; publish: number; total: number };
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

/** One build per SITE_OUT at a time, across processes (`npm run build:site` beside the builder). */
export async function buildSite(deps: BuildDeps): Promise<BuildResult> {
  const release = acquireLock(`${deps.config.siteOut}.lock`);
  // Plot draws time axes in the process time zone: the pages are rendered in the report zone.
  const zone = process.env.TZ;
  try {
    process.env.TZ = deps.reports.tz;
    const renderer = deps.renderer ?? (await createSiteRenderer());
    return await buildLocked(deps, renderer);
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
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

/** The first error of jobs running in the background, and a bound on how many run at once. */
class InFlight {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown = null;
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
  async add(task: Promise<void>): Promise<void> {
    const p = task.then(
      () => void this.running.delete(p),
      (e: unknown) => {
        this.running.delete(p);
        this.failure ??= e;
      },
    );
    this.running.add(p);
    while (this.running.size >= this.limit) await Promise.race(this.running);
    this.throwIfFailed();
  }
  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.throwIfFailed();
  }
  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}

async function buildLocked(deps: BuildDeps, renderer: SiteRenderer): Promise<BuildResult> {
  const { reports, config, clock, logger } = deps;
  const t0 = performance.now();
  let engineMs = 0;
  let renderMs = 0;
  /** The report engine's answer, its time counted as the engine's. */
  const engine = async <T>(ask: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await ask();
    } finally {
      engineMs += performance.now() - t;
    }
  };
  const nowMs = clock.now();
  const tz = reports.tz;
  const today = dayOf(tz, nowMs);
  removeLeftovers(config.siteOut);
  // One look at the store for the whole build: every page sees the same data.
  reports.refresh();

  // 1. Plan.
  // The analytics settings (prices, degree-day base, indoor and design temperatures) shape every
  // period page without changing a daily row: a change renders every page again.
  const design = `${renderer.design}-${shortHash(JSON.stringify(reports.settings))}`;
  const extent = await engine(() => reports.extent());
  const rows = extent ? await engine(() => reports.dailyRows(extent.first, extent.last)) : [];
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
  // by hand is rendered again.
  const same = previous ? plans.filter((p) => previous.pages[p.page] === p.key) : [];
  const lost = new Set(previous ? unpublished(config.siteOut, same) : []);
  if (lost.size)
    logger.warn(`${lost.size} pages were missing from ${config.siteOut}; this build renders them again`);
  const dirty = plans.filter((p) => p.open || previous?.pages[p.page] !== p.key || lost.has(p));
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

  // 2. The numbers of each page from the engine, and the page rendered from them, checked, into a
  // folder beside SITE_OUT. A first build's period pages are drawn by worker threads, while this
  // thread asks the engine for the next ones (and keeps little garbage of its own).
  const tmp = `${config.siteOut}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  let pool: RenderPool | null = null;
  try {
    const save = (files: RenderedFile[]) => {
      for (const f of files) {
        checkFile(f, deps.secrets);
        const p = join(tmp, f.rel);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, f.text);
      }
    };
    const renderHere = async (job: PageJob): Promise<RenderedFile[]> => {
      const t = performance.now();
      try {
        return await renderer.render(job);
      } finally {
        renderMs += performance.now() - t;
      }
    };
    const threads = deps.renderThreads ?? availableParallelism();
    const dirtyDays = dirty.filter((p) => p.kind === "day").length;
    if (dirtyDays >= (deps.threadedFromDays ?? 48)) pool = renderer.pool(threads);
    // Days being drawn by the workers: enough queued to keep them busy, few enough that the history
    // is never held in memory at once.
    const inFlight = new InFlight(pool ? 4 * threads : 1);
    let threaded = 0;

    const reportsById = new Map<string, PeriodReport>();
    for (const p of dirty) {
      const report = await engine(() => reports.report({ kind: p.kind, id: p.id }));
      let job: PageJob;
      if (p.kind === "day") {
        const buckets = await engine(() => reports.dayBuckets(p.id));
        const series = await engine(() => reports.series(Date.parse(report.start), Date.parse(report.end)));
        job = { page: "period", kind: "day", id: p.id, props: { day: { report, buckets, series }, extent } };
      } else {
        job = { page: "period", kind: p.kind, id: p.id, props: { report, extent } };
        if (p.kind === "month") reportsById.set(p.id, report);
      }
      if (pool) {
        threaded++;
        // Waiting for a free worker is the render's time.
        const t = performance.now();
        await inFlight.add(pool.render(job).then(save));
        renderMs += performance.now() - t;
      } else save(await renderHere(job));
    }
    for (const m of freeze)
      if (!reportsById.has(m))
        reportsById.set(m, await engine(() => reports.report({ kind: "month", id: m })));

    const status = await engine(() => reports.status(nowMs));
    const fromMs = nowMs - 24 * 3_600_000;
    const dashboard = {
      status,
      fromMs,
      toMs: nowMs,
      series: await engine(() => reports.series(fromMs, nowMs)),
      week: await engine(() => reports.dailyRows(addDays(today, -6), today)),
      today,
    };
    // The index pages: every season with data from its first day, as the season pages count it.
    const span = extent ? summaryDays(extent, today) : null;
    const periods = periodSummaries(
      span ? await engine(() => reports.dailyRows(span.from, span.to)) : [],
      extent,
      nowMs,
      new Map(plans.map((p) => [p.page, p.key])),
    );
    const latest = Object.fromEntries(
      KINDS.map((k) => [k, plans.filter((p) => p.kind === k).at(-1)?.id ?? null]),
    ) as Record<PeriodKind, string | null>;
    const index: SnapshotIndex = {
      builtAtMs: nowMs,
      refreshS: config.intervalS,
      tz,
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
    save(await renderHere({ page: "dashboard", props: { dashboard, index } }));
    save(await renderHere({ page: "not-found" }));
    save(await renderHere({ page: "archive-index", props: { index } }));
    for (const kind of KINDS) save(await renderHere({ page: "index", kind, props: { periods } }));

    // 3. Freeze closed months into the archive (once), rendered for it: self-contained, relative links.
    const archivedIds = index.archive.map((a) => a.id);
    for (const m of freeze) {
      const report = reportsById.get(m)!;
      const [frozen] = await renderHere({
        page: "archived-month",
        id: m,
        props: { report, archived: archivedIds },
      });
      checkFile(frozen!, deps.secrets);
      freezeMonth(config.archiveDir, m, frozen!.text, report, { rebuild: deps.rebuildArchive ?? false });
      logger.info(`archived month ${m} into ${config.archiveDir}`);
    }
    {
      // The workers' last pages.
      const t = performance.now();
      await inFlight.drain();
      renderMs += performance.now() - t;
    }
    const tRendered = performance.now();
    for (const m of unarchived) {
      removeMonth(config.archiveDir, m);
      logger.info(`removed archived month ${m} from ${config.archiveDir}: it has no data`);
    }
    // The archive in the site: months frozen now, and archived months the site lacks (a new
    // SITE_OUT), or all of them with --force.
    for (const m of keptArchive.concat(freeze))
      if (deps.force || freeze.includes(m) || !existsSync(join(config.siteOut, "archive", `${m}.html`)))
        for (const ext of ["json", "html"])
          copyFileSync(join(config.archiveDir, `${m}.${ext}`), join(tmp, "archive", `${m}.${ext}`));

    // 4. Publish in place, file by file (publish.ts); remove the files of pages that are gone;
    // then the manifest, which names what is in place: after a crash before it, the next build
    // goes by the old one, so it renders again what that one does not name and removes again what
    // is gone.
    publishFiles(tmp, config.siteOut, listFiles(tmp));
    const planned = new Set(plans.map((p) => p.page));
    const gone = Object.keys(last?.pages ?? {}).filter((k) => !planned.has(k));
    removeFiles(config.siteOut, [
      ...gone.flatMap((k) => pageFiles(...(k.split("/") as [PeriodKind, string]))),
      ...unarchived.flatMap((m) => [`archive/${m}.html`, `archive/${m}.json`]),
    ]);
    const pages = Object.fromEntries(plans.map((p) => [p.page, p.key]));
    writeFileDurable(
      join(config.siteOut, ".manifest.json"),
      JSON.stringify({ design, pages } satisfies Manifest),
    );
    rmSync(tmp, { recursive: true, force: true });
    const carried = plans.length - dirty.length;
    const tEnd = performance.now();
    // Publishing: the archive's copies and putting every file in place (each page was checked and
    // written beside SITE_OUT as it was rendered, counted as rendering).
    const publishMs = tEnd - tRendered;
    const result: BuildResult = {
      rendered: dirty.length,
      carried,
      frozen: freeze,
      unarchived,
      threaded,
      ms: {
        engine: Math.round(engineMs),
        render: Math.round(renderMs),
        publish: Math.round(publishMs),
        total: Math.round(tEnd - t0),
      },
    };
    logger.info(
      `built ${config.siteOut}: ${dirty.length} pages rendered${threaded ? ` (${threaded} in ${threads} worker threads)` : ""}, ${carried} unchanged, ${freeze.length} months archived${unarchived.length ? `, ${unarchived.length} removed from the archive` : ""}, ${result.ms.total} ms (engine ${result.ms.engine} ms, render ${result.ms.render} ms, publish ${result.ms.publish} ms)`,
    );
    return result;
  } catch (e) {
    // The workers first: a page they finish now must not land in the folder being removed.
    await pool?.close();
    pool = null;
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    await pool?.close();
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

/** What was rendered holds no secret and, as a page, no script. */
function checkFile(file: RenderedFile, secrets: readonly Secret[]): void {
  const leaked = secretsIn(file.text, secrets);
  if (leaked.length) {
    throw new BuildError(
      `the rendered page ${file.rel} contains the value of ${leaked.join(", ")}; nothing was published. Check what the report engine returns.`,
    );
  }
  if (file.rel.endsWith(".html") && /<script\b/i.test(file.text)) {
    throw new BuildError(
      `the rendered page ${file.rel} contains a <script>; the site must work without JavaScript`,
    );
  }
}
