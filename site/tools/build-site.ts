/**
 * One build of the site: plan (which pages changed), snapshot (numbers from the report engine),
 * render (Astro, in a child process), archive (freeze closed months), check (no secrets, no
 * scripts), publish (atomic swap). Anything that fails leaves the published site as it was.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Clock, Logger } from "../../collector/src/effects.ts";
import type { PeriodKind, PeriodReport, Reports } from "../../reports/src/types.ts";
import { addDays, dayOf } from "../../reports/src/periods.ts";
import { monthEnd } from "../src/lib/periods.ts";
import type { DashboardData, DayData, SnapshotIndex } from "../src/lib/snapshot.ts";
import { archivedMonths, archiveEntry, freezeMonth } from "./archive.ts";
import type { SiteConfig } from "./config.ts";
import { designHash } from "./design-hash.ts";
import { KINDS, type Manifest, manifestKey, planPages } from "./plan.ts";
import { carryOver, listFiles, removeLeftovers, swapIn } from "./publish.ts";
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
}

export interface BuildResult {
  rendered: number;
  carried: number;
  frozen: string[];
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
  const design = designHash(SITE_ROOT);
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
  // The manifest lives inside the published folder, so it describes exactly the files there.
  const dirty = plans.filter((p) => p.open || previous?.pages[manifestKey(p)] !== p.key);
  const archived = archivedMonths(config.archiveDir);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const freeze = plans
    .filter((p) => p.kind === "month" && !archived.includes(p.id))
    .filter(
      (p) => addDays(monthEnd(p.id), FREEZE_GRACE_DAYS) <= today && p.days.every((d) => byDay.get(d)!.closed),
    )
    .map((p) => p.id);
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
        ...archived.map((m) => archiveEntry(config.archiveDir, m)),
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
      freezeMonth(config.archiveDir, m, html, reportsById.get(m)!);
      logger.info(`archived month ${m} into ${config.archiveDir}`);
    }
    rmSync(join(tmp, "archive-frozen"), { recursive: true, force: true });

    // 6. Carry unchanged pages over, publish the archive, write the manifest, swap.
    const dirtyKeys = new Set(dirty.map(manifestKey));
    let carried = 0;
    const made = new Set<string>();
    const lost = new Set<string>();
    for (const p of plans) {
      if (dirtyKeys.has(manifestKey(p))) continue;
      // A page deleted by hand from the published site: left out of the manifest, so the next
      // build renders it again.
      if (!p.files.map((f) => carryOver(config.siteOut, tmp, f, made)).every(Boolean))
        lost.add(manifestKey(p));
      else carried++;
    }
    if (lost.size)
      logger.warn(`${lost.size} pages were missing from ${config.siteOut}; the next build renders them`);
    // The months archived before this build and the ones it froze: no second listing of ARCHIVE_DIR;
    // carryOver skips a missing JSON file.
    for (const m of [...archived, ...freeze])
      for (const ext of ["html", "json"])
        carryOver(config.archiveDir, join(tmp, "archive"), `${m}.${ext}`, made);
    const manifest: Manifest = {
      design,
      pages: Object.fromEntries(
        plans.filter((p) => !lost.has(manifestKey(p))).map((p) => [manifestKey(p), p.key]),
      ),
    };
    writeFileSync(join(tmp, ".manifest.json"), JSON.stringify(manifest));
    swapIn(tmp, config.siteOut);
    const tEnd = performance.now();
    const result: BuildResult = {
      rendered: dirty.length,
      carried,
      frozen: freeze,
      ms: {
        plan: Math.round(tPlan - t0),
        snapshot: Math.round(tSnap - tPlan),
        render: Math.round(tRender - tSnap),
        publish: Math.round(tEnd - tRender),
        total: Math.round(tEnd - t0),
      },
    };
    logger.info(
      `built ${config.siteOut}: ${dirty.length} pages rendered, ${carried} unchanged, ${freeze.length} months archived, ${result.ms.total} ms`,
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
