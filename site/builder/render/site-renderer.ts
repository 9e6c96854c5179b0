/**
 * The one renderer of the site, for the long-running builder and for `npm run build:site` alike:
 * the compiled pages (compile-pages.ts), rendered in this thread (page-renderer.ts) or, for a build
 * with many day pages, in worker threads as well (render-pool.ts). The builder keeps one for its
 * whole life, so a cycle pays for the pages it renders, not for starting Astro.
 */
import { compilePages, type CompileOptions } from "./compile-pages.ts";
import { createPageRenderer, type RenderedFile } from "./page-renderer.ts";
import type { PageJob } from "./page-table.ts";
import { createRenderPool, type RenderPool } from "./render-pool.ts";

export interface SiteRenderer {
  /** The site's design: a hash of every source that shapes a page (the compiled pages' key). */
  readonly design: string;
  /** Renders `job` in this thread. */
  render(job: PageJob): Promise<RenderedFile[]>;
  /** `threads` worker threads rendering jobs beside this one; the caller closes them. */
  pool(threads: number): RenderPool;
}

export async function createSiteRenderer(opts: CompileOptions = {}): Promise<SiteRenderer> {
  const compiled = await compilePages(opts);
  const here = createPageRenderer(compiled);
  return {
    design: compiled.key,
    render: (job) => here.render(job),
    pool: (threads) => createRenderPool(compiled, threads),
  };
}
