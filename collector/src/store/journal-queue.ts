/**
 * The journal read as a queue for the InfluxDB writer: batches of complete lines in journal order,
 * starting at a cursor that moves only after InfluxDB acknowledged a batch. The cursor
 * (`cursor.json`: segment name + byte offset) is replaced atomically (temp file, fsync, rename), and a
 * closed segment is deleted only once the cursor has passed its end. A crash between the two leaves
 * an acknowledged segment behind, which the next start deletes; a crash before the cursor write
 * resends the batch, which InfluxDB overwrites (same series, same timestamp).
 */
import { mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../../core/src/effects.ts";
import { fsyncDir, writeFileDurableAsync } from "../../../core/src/durable-file.ts";
import { type Journal, SEGMENT_SUFFIX } from "./journal.ts";

const CURSOR_FILE = "cursor.json";
export const REJECTED_DIR = "rejected";

export interface Cursor {
  /** Segment the next unsent byte is in (it may have been deleted: then the next segment after it). */
  readonly segment: string;
  /** Byte offset in that segment; everything before it was acknowledged. */
  readonly offset: number;
}

export interface Batch {
  readonly segment: string;
  /** Byte range [start, end) of the segment these lines came from. */
  readonly start: number;
  readonly end: number;
  /** Complete lines, without `\n`. */
  readonly lines: readonly string[];
}

/** Lines of a batch to keep in `rejected/`, each part in a file of its own. */
export interface AsidePart {
  /** Why (e.g. InfluxDB's message): the file's first line, as a `#` comment. */
  readonly why: string;
  readonly lines: readonly string[];
  /** A partial write's lines, whose other points InfluxDB stored: the file is named `*.partial.lp`. */
  readonly partial?: boolean;
}

export interface JournalQueue {
  /** The journal's directory. */
  readonly dir: string;
  /** The oldest unacknowledged complete lines (at most `maxLines` / about `maxBytes`), or undefined. */
  next(maxLines: number, maxBytes: number): Promise<Batch | undefined>;
  /** InfluxDB acknowledged `batch`: move the cursor past it, delete a segment it finished. */
  ack(batch: Batch): Promise<void>;
  /**
   * Moves `batch` to `rejected/` (for a human) and then acks it; returns the file written. `why`
   * (e.g. InfluxDB's message) goes first as a `#` comment line, which line protocol ignores, so the
   * file can be fixed and written to InfluxDB as it is.
   */
  setAside(batch: Batch, why?: string): Promise<string>;
  /**
   * Writes each part of `batch` to `rejected/` (lines InfluxDB refused, or a partial write's lines)
   * and then acks `batch`; returns the files written, in the order of `parts`. Without parts it is
   * `ack`. Run again after a crash before the ack, the same batch writes the same file names.
   */
  putAside(batch: Batch, parts: readonly AsidePart[]): Promise<string[]>;
  /** Bytes of journal not yet acknowledged. */
  backlogBytes(): Promise<number>;
  cursor(): Cursor | undefined;
}

async function readCursor(dir: string): Promise<Cursor | undefined> {
  try {
    const c = JSON.parse(await readFile(join(dir, CURSOR_FILE), "utf8")) as Partial<Cursor>;
    if (typeof c.segment === "string" && typeof c.offset === "number")
      return { segment: c.segment, offset: c.offset };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  return undefined;
}

export async function openQueue(journal: Journal, logger: Logger): Promise<JournalQueue> {
  const dir = journal.dir;
  let cur = await readCursor(dir);

  const size = async (seg: string) => (await stat(join(dir, seg))).size;
  const isClosed = (seg: string) => seg !== journal.activeSegment();

  /** Segments not yet fully acknowledged; deletes the ones wholly before the cursor. */
  async function pendingSegments(): Promise<string[]> {
    const segs = await journal.segments();
    if (!cur) return segs;
    const c = cur;
    const done = segs.filter((s) => s < c.segment);
    for (const s of done) await unlink(join(dir, s)).catch(() => undefined);
    if (done.length > 0) await fsyncDir(dir);
    return segs.filter((s) => s >= c.segment);
  }

  async function moveCursor(to: Cursor): Promise<void> {
    await writeFileDurableAsync(join(dir, CURSOR_FILE), JSON.stringify(to) + "\n");
    cur = to;
  }

  const startOf = (seg: string) => (cur && cur.segment === seg ? cur.offset : 0);

  /** Deletes `seg` if it is closed and `end` is its end; true if it did. */
  async function finishIfDone(seg: string, end: number): Promise<boolean> {
    if (!isClosed(seg) || end < (await size(seg))) return false;
    await unlink(join(dir, seg));
    await fsyncDir(dir);
    return true;
  }

  async function readBatch(seg: string, start: number, maxLines: number, maxBytes: number) {
    const h = await open(join(dir, seg), "r");
    try {
      // Only what is there: in steady state a few KiB, not the whole batch size.
      const want = Math.max(0, Math.min(maxBytes, (await h.stat()).size - start));
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = want > 0 ? await h.read(buf, 0, want, start) : { bytesRead: 0 };
      const chunk = buf.subarray(0, bytesRead);
      let end = 0;
      let count = 0;
      for (let nl = chunk.indexOf(10); nl >= 0 && count < maxLines; nl = chunk.indexOf(10, end)) {
        end = nl + 1;
        count++;
      }
      return { chunkLength: bytesRead, end, text: chunk.subarray(0, end).toString("utf8") };
    } finally {
      await h.close();
    }
  }

  const queue: JournalQueue = {
    dir,
    cursor: () => cur,
    async next(maxLines, maxBytes) {
      for (const seg of await pendingSegments()) {
        const start = startOf(seg);
        const r = await readBatch(seg, start, maxLines, maxBytes);
        if (r.end > 0) {
          const lines = r.text.split("\n").filter((l) => l.length > 0);
          const batch = { segment: seg, start, end: start + r.end, lines };
          // A chunk of only blank lines is acknowledged at once instead of being sent.
          if (lines.length > 0) return batch;
          await queue.ack(batch);
          return queue.next(maxLines, maxBytes);
        }
        if (!isClosed(seg)) return undefined; // the open segment has no complete line yet
        if (r.chunkLength > 0 && r.chunkLength === maxBytes)
          throw new Error(`journal: a line in ${seg} at byte ${start} is longer than ${maxBytes} bytes`);
        if (r.chunkLength > 0)
          logger.warn(`journal: skipped a torn last line (${r.chunkLength} bytes) at the end of ${seg}`);
        // Closed and nothing complete left: done with it.
        await moveCursor({ segment: seg, offset: start + r.chunkLength });
        await finishIfDone(seg, start + r.chunkLength);
      }
      return undefined;
    },
    async ack(batch) {
      // A segment this batch finishes is deleted before the cursor moves: on a full disk that frees
      // the space the cursor's temp file needs. A cursor left in a deleted segment (a crash in
      // between) means "go on with the next segment", so nothing is sent twice or skipped.
      await finishIfDone(batch.segment, batch.end);
      await moveCursor({ segment: batch.segment, offset: batch.end });
    },
    async setAside(batch, why) {
      return (await queue.putAside(batch, [{ why: why ?? "", lines: batch.lines }]))[0]!;
    },
    async putAside(batch, parts) {
      const rejected = join(dir, REJECTED_DIR);
      // `<segment>+<start byte>.lp` (or `.partial.lp`), then `-2`, `-3`, ... for more of the same kind.
      const base = `${batch.segment.slice(0, -SEGMENT_SUFFIX.length)}+${batch.start}`;
      const files = parts.map((p, i) => {
        const k = parts.slice(0, i).filter((q) => !q.partial === !p.partial).length;
        return join(
          rejected,
          `${base}${k === 0 ? "" : `-${k + 1}`}${p.partial ? ".partial" : ""}${SEGMENT_SUFFIX}`,
        );
      });
      if (parts.length > 0) await mkdir(rejected, { recursive: true });
      for (const [i, p] of parts.entries()) {
        const comment = p.why ? `# ${p.why.replace(/\s+/g, " ").trim()}\n` : "";
        await writeFileDurableAsync(files[i]!, comment + p.lines.join("\n") + "\n");
      }
      await queue.ack(batch);
      return files;
    },
    async backlogBytes() {
      let total = 0;
      for (const seg of await pendingSegments()) total += Math.max(0, (await size(seg)) - startOf(seg));
      return total;
    },
  };
  return queue;
}
