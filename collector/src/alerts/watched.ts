/**
 * A source whose start and polls are watched without being changed (the same calls, the same
 * results, the same errors): each good poll and each failure is reported to `on`. The alert
 * watches (viessmann-watch.ts, meter-watch.ts) learn from it what only the collector sees.
 */
import type { Source } from "../sources/source.ts";

interface Watcher {
  /** A poll returned its points at `nowMs`. */
  ok(nowMs: number): void;
  /** start() or poll() threw `e` (thrown on unchanged). */
  failed(e: unknown): void;
}

export function watched(source: Source, on: Watcher): Source {
  return {
    ...source,
    async start(nowMs) {
      try {
        return await source.start(nowMs);
      } catch (e) {
        on.failed(e);
        throw e;
      }
    },
    async poll(nowMs) {
      try {
        const points = await source.poll(nowMs);
        on.ok(nowMs);
        return points;
      } catch (e) {
        on.failed(e);
        throw e;
      }
    },
  };
}
