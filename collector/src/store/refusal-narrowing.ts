/**
 * Finds the lines InfluxDB refuses, so that they alone go to `journal/rejected/` and every other
 * line is written. It decides only (how many lines the next request takes, what to do with a
 * refused batch); the writer sends, backs off, logs and sets lines aside.
 *
 * How each refusing status is handled is `REFUSALS` below, and nowhere else:
 * - 413 (request too large, all of it rejected; typically a reverse proxy's body size limit): the
 *   batch is halved and sent again at once, and the smaller size is kept for the rest of the run.
 * - 400 (malformed: all of the request rejected): the refused lines are found by bisection. After
 *   the back-off the next requests take half as many lines, down to one, until the cursor is past
 *   the refused batch; lines accepted on the way are acknowledged (re-sending a point InfluxDB
 *   already wrote is harmless, it overwrites itself).
 * - 422 (a partial write: InfluxDB stored the batch but dropped some points, e.g. a field type
 *   conflict or points beyond the retention): never sent again, nor bisected; the server's message
 *   says which lines go aside (partial-write.ts).
 * A single refused line is set aside, except a 400 that does not name it while no other line went
 * in: then InfluxDB may be refusing every write, and the line is kept and tried again.
 */
import type { Batch } from "./journal-queue.ts";

/** What to do with a refused request of several lines. */
type Several = "halve" | "bisect" | "partial-write";
/** A single refused line: always that line's fault, or only when the server names it. */
type Single = "set-aside" | "set-aside-when-named" | "partial-write";

const REFUSALS: Readonly<Record<number, { readonly several: Several; readonly single: Single }>> = {
  400: { several: "bisect", single: "set-aside-when-named" }, // names the first malformed line
  413: { several: "halve", single: "set-aside" },
  422: { several: "partial-write", single: "partial-write" }, // the rest is stored
};

/** True for the statuses handled here; any other failure is an outage or an auth problem. */
export const isRefusal = (status: number | undefined): status is number =>
  status !== undefined && status in REFUSALS;

/** A journal position: the end of a batch. */
type Position = Pick<Batch, "segment" | "end">;
const reached = (b: Position, p: Position) =>
  b.segment > p.segment || (b.segment === p.segment && b.end >= p.end);
const half = (n: number) => Math.max(1, Math.floor(n / 2));

type RefusalAction =
  /** 422: InfluxDB stored the batch but for some points; the batch is done (then call `sent()`). */
  | { readonly action: "partial-write" }
  /** 413 of several lines: send again at once, at most `lines` per request from now on. */
  | { readonly action: "smaller"; readonly lines: number }
  /** Several lines refused: after the back-off, requests of `lines`; `started` for a new narrowing. */
  | { readonly action: "narrow"; readonly lines: number; readonly started: boolean }
  /** This single line is refused: move it to rejected/ (then call `setAside()`). */
  | { readonly action: "set-aside" }
  /** A single line refused with nothing to show it is that line: like an outage, retried later. */
  | { readonly action: "refusing-everything" };

interface RefusalNarrowing {
  /** Lines for the next request: at most what went through (413), and the bisection's size. */
  lines(): number;
  /** `batch` was refused with `status` (one `isRefusal` accepts) and the server's `message`. */
  refused(batch: Batch, status: number, message: string): RefusalAction;
  /** InfluxDB acknowledged `batch`, or stored it partly (422). */
  sent(batch: Position): void;
  /** The line of a "set-aside" went to rejected/: whole batches again. */
  setAside(): void;
}

/** `batchLines`: lines per request while nothing is refused. */
export function createRefusalNarrowing(batchLines: number): RefusalNarrowing {
  /** Largest request InfluxDB (or a proxy in front of it) took, in lines; lowered by 413. */
  let fitLines = batchLines;
  /**
   * While bisecting: lines per request until the cursor reaches `until`; `accepted` once a request
   * was taken meanwhile (so InfluxDB takes other lines); `everything` when even single lines are
   * refused with nothing to show it is them: a server refusing every write, like an outage.
   */
  let narrowing: { lines: number; until: Position; accepted: boolean; everything: boolean } | undefined;

  return {
    lines: () => Math.min(fitLines, narrowing?.lines ?? Infinity),
    refused(batch, status, message) {
      const rule = REFUSALS[status];
      if (!rule) throw new Error(`refusal-narrowing: HTTP ${status} is not a refusal; check isRefusal first`);
      const n = batch.lines.length;
      if (rule.several === "partial-write") return { action: "partial-write" };
      if (n > 1 && rule.several === "halve") {
        fitLines = half(n);
        return { action: "smaller", lines: fitLines };
      }
      // The narrowing ends once the cursor is past the first refused batch and any refused since.
      const end = narrowing && reached(narrowing.until, batch) ? narrowing.until : batch;
      const until = { segment: end.segment, end: end.end };
      if (n > 1) {
        const started = !narrowing;
        narrowing = { lines: half(n), until, accepted: narrowing?.accepted ?? false, everything: false };
        return { action: "narrow", lines: narrowing.lines, started };
      }
      // One line refused. It is this line when InfluxDB says so (a 400 names the first malformed
      // line, a 413 is about the points sent), or when other lines went in meanwhile.
      const line = batch.lines[0]!;
      if (rule.single === "set-aside" || message.includes(line.slice(0, 100)) || narrowing?.accepted)
        return { action: "set-aside" };
      narrowing = { lines: 1, until, accepted: false, everything: true };
      return { action: "refusing-everything" };
    },
    sent(batch) {
      if (!narrowing) return;
      narrowing.accepted = true;
      // After a server that refused everything, whole batches again.
      if (narrowing.everything || reached(batch, narrowing.until)) narrowing = undefined;
    },
    setAside() {
      // A second refused line in the rest starts a new bisection.
      narrowing = undefined;
    },
  };
}
