/**
 * A worker thread of the render pool (render-pool.ts): renders the jobs it is sent, one at a time,
 * with its own page renderer over the compiled pages, and answers each with its files or its error.
 * It runs in the process time zone, which the build set to the report zone before starting it.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CompiledPages } from "./compile-pages.ts";
import { createPageRenderer } from "./page-renderer.ts";
import type { PageJob } from "./page-table.ts";

export interface WorkerRequest {
  seq: number;
  job: PageJob;
}

export type WorkerReply =
  { seq: number; files: { rel: string; text: string }[] } | { seq: number; error: string };

const renderer = createPageRenderer(workerData as Pick<CompiledPages, "dir" | "files">);

parentPort!.on("message", (msg: WorkerRequest) => {
  renderer.render(msg.job).then(
    (files) => parentPort!.postMessage({ seq: msg.seq, files } satisfies WorkerReply),
    (e: unknown) =>
      parentPort!.postMessage({
        seq: msg.seq,
        error: e instanceof Error ? e.message : String(e),
      } satisfies WorkerReply),
  );
});
