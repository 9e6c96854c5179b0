/**
 * The render stage: each page rendered from its numbers, checked (no secret; as a page, no script)
 * and written into a folder beside SITE_OUT, whence the publish stage puts the files in place. A
 * build with many day pages (a first build, a design change) has worker threads draw its period
 * pages while this thread asks the engine for the next ones (and keeps little garbage of its own);
 * a few queued, enough to keep them busy, few enough that the history is never held in memory at
 * once. Every other page is rendered in this thread.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { type BuildDeps, BuildError, type Timings } from "./build-context.ts";
import type { RenderedFile } from "./render/page-renderer.ts";
import type { PageJob } from "./render/page-table.ts";
import type { RenderPool } from "./render/render-pool.ts";
import type { SiteRenderer } from "./render/site-renderer.ts";
import { type Secret, secretsIn } from "./secrets.ts";

/** Day pages from which a build uses worker threads (BuildDeps.threadedFromDays). */
const THREADED_FROM_DAYS = 48;

export class RenderStage {
  /** The folder beside SITE_OUT the pages are written into. */
  readonly dir: string;
  /** Worker threads of a threaded build. */
  readonly threads: number;
  /** Pages rendered in worker threads. */
  threaded = 0;
  private pool: RenderPool | null = null;
  private readonly inFlight: InFlight;
  private readonly deps: BuildDeps;
  private readonly renderer: SiteRenderer;
  private readonly timings: Timings;

  /** Creates the folder, and the workers when `dirtyDays` day pages are to be rendered. */
  constructor(deps: BuildDeps, renderer: SiteRenderer, timings: Timings, dirtyDays: number) {
    this.deps = deps;
    this.renderer = renderer;
    this.timings = timings;
    this.dir = `${deps.config.siteOut}.tmp-${process.pid}-${Date.now()}`;
    mkdirSync(this.dir, { recursive: true });
    this.threads = deps.renderThreads ?? availableParallelism();
    try {
      if (dirtyDays >= (deps.threadedFromDays ?? THREADED_FROM_DAYS)) this.pool = renderer.pool(this.threads);
    } catch (e) {
      rmSync(this.dir, { recursive: true, force: true });
      throw e;
    }
    // Days being drawn by the workers at once.
    this.inFlight = new InFlight(this.pool ? 4 * this.threads : 1);
  }

  /** Checks each file and writes it into the folder. */
  save(files: readonly RenderedFile[]): void {
    for (const f of files) {
      checkFile(f, this.deps.secrets);
      const p = join(this.dir, f.rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.text);
    }
  }

  /** Renders `job` in this thread (the caller saves or checks the files). */
  here(job: PageJob): Promise<RenderedFile[]> {
    return this.timings.render(() => this.renderer.render(job));
  }

  /** A period page: queued to the workers (waiting for a free one is rendering's time), or rendered here. */
  async period(job: PageJob): Promise<void> {
    const pool = this.pool;
    if (!pool) return this.save(await this.here(job));
    this.threaded++;
    await this.timings.render(() => this.inFlight.add(pool.render(job).then((files) => this.save(files))));
  }

  /** Waits for the workers' last pages. */
  drain(): Promise<void> {
    return this.timings.render(() => this.inFlight.drain());
  }

  /** After a failure: the workers first (a page they finish now must not land in the folder being removed). */
  async abort(): Promise<void> {
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }
}

/** What was rendered holds no secret and, as a page, no script. */
export function checkFile(file: RenderedFile, secrets: readonly Secret[]): void {
  const leaked = secretsIn(file.text, secrets);
  if (leaked.length) {
    throw new BuildError(
      `the rendered page ${file.rel} contains the value of ${leaked.join(", ")}; nothing was published. ` +
        "Check what the report engine returns.",
    );
  }
  if (file.rel.endsWith(".html") && /<script\b/i.test(file.text)) {
    throw new BuildError(
      `the rendered page ${file.rel} contains a <script>; the site must work without JavaScript`,
    );
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
