/**
 * What the stages of a build share: what the build is given (BuildDeps), what the plan decided
 * (BuildPlan), what the build answers (BuildResult), the error that stops it (BuildError), and where
 * its time goes (Timings).
 */
import type { Clock, Logger } from "../../core/src/effects.ts";
import type { Reports } from "../../reports/src/types.ts";
import type { SiteConfig } from "./config.ts";
import type { Manifest, PagePlan } from "./plan.ts";
import type { SiteRenderer } from "./render/site-renderer.ts";
import type { Secret } from "./secrets.ts";

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
   * Recompute every day from the store as it is now, without the published history the engine
   * otherwise keeps for days the store lost data of (`npm run build:site -- --rebuild`, which also
   * drops the report cache); warns first when the store holds less than the site published.
   */
  rebuild?: boolean;
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

/** Time spent waiting for the report engine and for rendering, in ms (BuildResult.ms). */
export class Timings {
  engineMs = 0;
  renderMs = 0;

  /** The report engine's answer, its time counted as the engine's. */
  async engine<T>(ask: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await ask();
    } finally {
      this.engineMs += performance.now() - t;
    }
  }

  /** Rendering, or waiting for the workers that render: its time counted as rendering. */
  async render<T>(work: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await work();
    } finally {
      this.renderMs += performance.now() - t;
    }
  }
}

/** What the plan stage decided, for the stages after it. */
export interface BuildPlan {
  /** The build's time (clock), and its day in the report zone. */
  nowMs: number;
  today: string;
  /** The design key of every page: the renderer's design and the analytics settings. */
  design: string;
  /** First and last day with data, or null without data. */
  extent: { first: string; last: string } | null;
  /** Every page with data, with its key. */
  plans: PagePlan[];
  /** The pages this build renders: open, changed, or missing from the published site. */
  dirty: PagePlan[];
  /** The published site's manifest (null: none): its pages not planned any more are removed. */
  last: Manifest | null;
  /** Closed months frozen into the archive now. */
  freeze: string[];
  /** Archived months removed by --rebuild-archive because they have no data. */
  unarchived: string[];
  /** Archived months that stay (some of them may be frozen again with --rebuild-archive). */
  kept: string[];
}
