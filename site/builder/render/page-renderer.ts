/**
 * Renders pages in this thread with Astro's container API (`astro/container`) from the compiled
 * page modules (compile-pages.ts): the same components, endpoints and compressed HTML as
 * `astro build`, without starting Astro for every build. Plot draws the charts in the process time
 * zone, so the caller runs it in the report zone (TZ).
 */
import { experimental_AstroContainer as AstroContainer } from "astro/container";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CompiledPages } from "./compile-pages.ts";
import { filesOf, type PageFile, type PageJob, propsOf } from "./page-table.ts";

/** A rendered file: its path relative to the site root and its text. */
export interface RenderedFile {
  rel: string;
  text: string;
}

interface PageRenderer {
  render(job: PageJob): Promise<RenderedFile[]>;
}

// The container remembers every route it rendered (Astro keeps them in its manifest): a fresh one
// every so many files keeps a builder that runs for years from growing.
const FILES_PER_CONTAINER = 500;

type PageModule = Record<string, unknown> & { default?: unknown };

export class PageRenderError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "PageRenderError";
  }
}

/** A renderer over the compiled pages. */
export function createPageRenderer(compiled: Pick<CompiledPages, "dir" | "files">): PageRenderer {
  const modules = new Map<string, Promise<PageModule>>();
  let container: AstroContainer | undefined;
  let used = 0;

  const load = (module: string): Promise<PageModule> => {
    let m = modules.get(module);
    if (!m) {
      const file = compiled.files[module];
      if (!file)
        throw new PageRenderError(
          `src/pages/${module} was not compiled (${compiled.dir} has no module for it)`,
        );
      m = import(pathToFileURL(join(compiled.dir, file)).href) as Promise<PageModule>;
      modules.set(module, m);
    }
    return m;
  };

  async function renderFile(file: PageFile, props: Record<string, unknown>): Promise<RenderedFile> {
    const mod = await load(file.module);
    if (!container || used >= FILES_PER_CONTAINER) {
      container = await AstroContainer.create();
      used = 0;
    }
    used++;
    let res: Response;
    try {
      res = file.endpoint
        ? await container.renderToResponse(mod as never, { routeType: "endpoint", props })
        : await container.renderToResponse(mod.default as never, { props, partial: false });
    } catch (e) {
      throw new PageRenderError(
        `could not render ${file.rel} (src/pages/${file.module}): ${(e as Error).message}`,
        { cause: e },
      );
    }
    if (res.status !== 200)
      throw new PageRenderError(
        `could not render ${file.rel} (src/pages/${file.module}): Astro answered ${res.status}`,
      );
    const text = await res.text();
    return { rel: file.rel, text };
  }

  return {
    async render(job) {
      const props = propsOf(job);
      const out: RenderedFile[] = [];
      for (const file of filesOf(job)) out.push(await renderFile(file, props));
      return out;
    },
  };
}
