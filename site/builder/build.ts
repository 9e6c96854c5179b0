/**
 * One build of the site, in stages: plan (which pages changed, which months are frozen), compute
 * (each page's numbers from the report engine) and render (each page drawn from them, checked and
 * written beside SITE_OUT) page by page, archive (freeze closed months), publish (in place, file by
 * file). Anything that fails leaves the published site as it was.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "../../core/src/effects.ts";
import { type ProcessLock, takeLock } from "../../core/src/lock.ts";
import { dayOf } from "../../core/src/time.ts";
import { archiveIntoSite, freezeMonths } from "./archive.ts";
import { type BuildDeps, BuildError, type BuildPlan, type BuildResult, Timings } from "./build-context.ts";
import { planBuild } from "./build-plan.ts";
import { type MonthReports, periodJobs, siteJobs } from "./compute.ts";
import { finishInterrupted, publishBuild } from "./publish.ts";
import { createSiteRenderer, type SiteRenderer } from "./render/site-renderer.ts";
import { RenderStage } from "./render-stage.ts";

export type { BuildResult } from "./build-context.ts";

/** One build per SITE_OUT at a time, across processes (`npm run build:site` beside the builder). */
export async function buildSite(deps: BuildDeps): Promise<BuildResult> {
  const lock = await lockSite(deps.config.siteOut, deps.logger);
  // Plot draws time axes in the process time zone: the pages are rendered in the report zone.
  const zone = process.env.TZ;
  try {
    process.env.TZ = deps.reports.tz;
    const renderer = deps.renderer ?? (await createSiteRenderer());
    return await buildLocked(deps, renderer);
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    lock.release();
  }
}

/**
 * `SITE_OUT.lock` (core/src/lock.ts): a lock left by a build that was killed is taken over, also in
 * a restarted container where the builder got the pid of the one that was killed.
 */
function lockSite(siteOut: string, logger: Logger): Promise<ProcessLock> {
  const path = `${siteOut}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const busy = (pid: number) =>
    new BuildError(
      `another build of ${siteOut} is running (process ${pid}); it holds ${path}. Try again when it ends, ` +
        "or stop it first (the builder: `docker compose stop builder`)",
    );
  return takeLock({ path, program: "site builder", busy }, { logger });
}

async function buildLocked(deps: BuildDeps, renderer: SiteRenderer): Promise<BuildResult> {
  const { reports, config } = deps;
  const t0 = performance.now();
  const timings = new Timings();
  const nowMs = deps.clock.now();
  // A publish that a crash cut short is finished first; the folders of builds that died go.
  finishInterrupted(config.siteOut, deps.logger);
  // One look at the store for the whole build: every page sees the same data.
  reports.refresh();

  // 1. Plan: the pages that changed since the published build, the months to freeze.
  const plan = await planBuild(deps, { nowMs, today: dayOf(reports.tz, nowMs) }, renderer.design, timings);

  // 2. Compute and 3. render, page by page: the numbers of each page from the engine, the page
  // rendered from them (by worker threads, for a build with many day pages), checked, into a folder
  // beside SITE_OUT. The period pages first, then the site's own.
  const dirtyDays = plan.dirty.filter((p) => p.kind === "day").length;
  const stage = new RenderStage(deps, renderer, timings, dirtyDays);
  try {
    const months: MonthReports = new Map();
    for await (const job of periodJobs(reports, plan, months, timings)) await stage.period(job);
    const site = await siteJobs(deps, plan, months, timings);
    for (const job of site.jobs) stage.save(await stage.here(job));

    // 4. Archive: closed months frozen (once), rendered for it, while the workers draw their last
    // pages; then the archive's copies in the site.
    await freezeMonths(stage, deps, plan, months, site.index);
    await stage.drain();
    const tRendered = performance.now();
    archiveIntoSite(stage.dir, deps, plan);

    // 5. Publish: in place, file by file, in passes that never let a page link to one not there yet.
    publishBuild(stage.dir, config.siteOut, plan);
    return done(deps, plan, stage, timings, { t0, tRendered, tEnd: performance.now() });
  } catch (e) {
    await stage.abort();
    throw e;
  } finally {
    await stage.close();
  }
}

/** The build's result, and its one log line. */
function done(
  deps: BuildDeps,
  plan: BuildPlan,
  stage: RenderStage,
  timings: Timings,
  at: { t0: number; tRendered: number; tEnd: number },
): BuildResult {
  const { dirty, freeze, unarchived } = plan;
  const carried = plan.plans.length - dirty.length;
  const result: BuildResult = {
    rendered: dirty.length,
    carried,
    frozen: freeze,
    unarchived,
    threaded: stage.threaded,
    ms: {
      engine: Math.round(timings.engineMs),
      render: Math.round(timings.renderMs),
      // Publishing: the archive's copies and putting every file in place (each page was checked and
      // written beside SITE_OUT as it was rendered, counted as rendering).
      publish: Math.round(at.tEnd - at.tRendered),
      total: Math.round(at.tEnd - at.t0),
    },
  };
  const threads = stage.threaded ? ` (${stage.threaded} in ${stage.threads} worker threads)` : "";
  const removed = unarchived.length ? `, ${unarchived.length} removed from the archive` : "";
  deps.logger.info(
    `built ${deps.config.siteOut}: ${dirty.length} pages rendered${threads}, ${carried} unchanged, ` +
      `${freeze.length} months archived${removed}, ${result.ms.total} ms ` +
      `(engine ${result.ms.engine} ms, render ${result.ms.render} ms, publish ${result.ms.publish} ms)`,
  );
  return result;
}
