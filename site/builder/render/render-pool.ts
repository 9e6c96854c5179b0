/**
 * Worker threads that render pages beside the build's own thread: a cold build draws hundreds of day
 * pages (Plot takes 30-45 ms for each), so it uses every core. Each worker has its own renderer
 * over the same compiled pages; jobs wait in one queue and go to whichever worker is free.
 *
 * A page leaves megabytes of garbage behind (Plot's DOM, strings), and V8, sizing its heap by the
 * machine's memory, lets it pile up to hundreds of MB per thread before collecting it. A worker
 * keeps about 40 MB alive, so its heap is capped (WORKER_HEAP) and it collects early. Measured here,
 * two workers drawing 600 day pages: uncapped 7.4 s and +950 MB; 128/16 MB 9.0 s and +290 MB;
 * 128/8 MB 10.5 s; an old generation capped alone thrashes (16.5 s).
 */
import { Worker } from "node:worker_threads";
import type { CompiledPages } from "./compile-pages.ts";
import type { RenderedFile } from "./page-renderer.ts";
import { PageRenderError } from "./page-renderer.ts";
import type { PageJob } from "./page-table.ts";
import type { WorkerReply, WorkerRequest } from "./render-worker.ts";

/** V8 heap limits of a worker, MB: far above what a page keeps alive, low enough to collect early. */
const WORKER_HEAP = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

export interface RenderPool {
  /** Renders `job` in the next free worker. */
  render(job: PageJob): Promise<RenderedFile[]>;
  /** Jobs sent and not answered yet. */
  readonly pending: number;
  /** Stops the workers (jobs not answered yet fail). */
  close(): Promise<void>;
}

interface Waiting {
  seq: number;
  job: PageJob;
  resolve: (files: RenderedFile[]) => void;
  reject: (e: Error) => void;
}

export function createRenderPool(compiled: Pick<CompiledPages, "dir" | "files">, size: number): RenderPool {
  const queue: Waiting[] = [];
  const busy = new Map<Worker, Waiting>();
  const idle: Worker[] = [];
  let failure: Error | null = null;
  let seq = 0;

  const fail = (e: Error) => {
    failure ??= e;
    for (const w of [...busy.values(), ...queue.splice(0)]) w.reject(failure);
    busy.clear();
  };

  const dispatch = () => {
    while (idle.length && queue.length) {
      const w = idle.pop()!;
      const next = queue.shift()!;
      busy.set(w, next);
      w.postMessage({ seq: next.seq, job: next.job } satisfies WorkerRequest);
    }
  };

  const workers = Array.from({ length: size }, () => {
    const w = new Worker(new URL("./render-worker.ts", import.meta.url), {
      workerData: { dir: compiled.dir, files: compiled.files },
      resourceLimits: WORKER_HEAP,
    });
    w.on("message", (reply: WorkerReply) => {
      const done = busy.get(w);
      busy.delete(w);
      idle.push(w);
      if (done && done.seq === reply.seq) {
        if ("error" in reply) done.reject(new PageRenderError(reply.error));
        else done.resolve(reply.files);
      }
      dispatch();
    });
    w.on("error", (e) => fail(new PageRenderError(`a render worker failed: ${e.message}`, { cause: e })));
    w.on("exit", (code) => {
      if (code !== 0) fail(new PageRenderError(`a render worker stopped with exit code ${code}`));
    });
    idle.push(w);
    return w;
  });

  return {
    render(job) {
      if (failure) return Promise.reject(failure);
      return new Promise<RenderedFile[]>((resolve, reject) => {
        queue.push({ seq: ++seq, job, resolve, reject });
        dispatch();
      });
    },
    get pending() {
      return queue.length + busy.size;
    },
    async close() {
      fail(new PageRenderError("the render pool was closed"));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
