/**
 * The durable journal: every point the collector reads is appended here, and fsynced, before it
 * counts as collected. Without INFLUX_URL it is the local store that reports and the demo read;
 * with INFLUX_URL the writer (influx-writer.ts) sends it on and deletes what InfluxDB acknowledged.
 *
 * Layout of `DATA_DIR/journal/`:
 *
 * ```
 * 2026-11-27T03-50-00.000Z.lp   segment: InfluxDB line protocol, one point per line, ns timestamps
 * 2026-11-27T04-50-00.120Z.lp   ... = poll time (never the send time); names sort by time
 * cursor.json                   only with INFLUX_URL: {"segment": "<name>.lp", "offset": <bytes>},
 *                               everything before it was acknowledged by InfluxDB (atomic rename)
 * rejected/                     lines InfluxDB refused (HTTP 400/413/422), kept for a human: one file
 *                               per line, InfluxDB's message first as a `#` comment
 * ```
 *
 * - A segment is named after the poll time (UTC, `:` replaced by `-`) of its first append; a name
 *   is always later than the previous one, so lexical order = append order. Lines inside a segment
 *   are in append order (poll times mostly ascending; a slow poll may land slightly after a later
 *   one of another source): a reader wanting a time range starts at the segment before it.
 * - Only the newest segment is appended to. It is closed, and then immutable, when it reaches
 *   `segmentMaxBytes` or `segmentMaxAgeMs`, or when the collector restarts.
 * - A line is complete only when it ends with `\n`. A crash can leave a torn last line in the newest
 *   segment: at open it is cut off with a log line, the lines before it are kept. Readers of a live
 *   journal must ignore a trailing partial line (an append may be in progress).
 * - Only names of this exact form are segments. Other `*.lp` files placed here (the demo's
 *   `simulated-history.lp`) are read by the reports but never sent or deleted by the collector.
 * - Without INFLUX_URL nothing is ever deleted. With INFLUX_URL a segment is deleted once the cursor
 *   has moved past it, i.e. only after InfluxDB acknowledged every line in it (journal-queue.ts).
 * - A failed append (disk full, quota, I/O error, a read-only remount) is an expected condition: the
 *   segment is cut back to where the append began and stays open, the caller gets a JournalError
 *   (an ExpectedError of kind `storage`: the poll is a gap, nothing bypasses the journal), and one
 *   log line names the directory, the error and the free space; the next append that works says so.
 *   No new segment per failure, no crash: writing resumes by itself when space returns.
 * - A point that cannot be written as line protocol (a number that is not finite, no field left) is
 *   dropped on its own, with a log line at most once an hour per measurement; the other points of
 *   the append are written. One bad value must not cost a poll, let alone crash the collector.
 */
import { mkdir, open, readdir, readFile, statfs, type FileHandle, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Clock, type Logger, monotonicOf } from "../../../core/src/effects.ts";
import { fsyncDir } from "../../../core/src/durable-file.ts";
import { ExpectedError } from "../../../core/src/errors.ts";
import { formatBytes } from "../format-bytes.ts";
import { hourlyNote, unloggedSuffix } from "../hourly-note.ts";
import { encodePoint, type Point } from "../../../core/src/data/line-protocol.ts";

export const SEGMENT_SUFFIX = ".lp";

interface JournalOptions {
  /** Directory of the journal, normally `DATA_DIR/journal`. Created if missing. */
  readonly dir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Close the newest segment once it holds this many bytes. Default 16 MiB. */
  readonly segmentMaxBytes?: number;
  /** Close the newest segment once it is this old (ms, by its name). Default 1 h. */
  readonly segmentMaxAgeMs?: number;
}

/** The journal cannot take the points (disk full, I/O error, closed): they are not recorded. */
export class JournalError extends ExpectedError {
  /** The file system's error code (ENOSPC, EDQUOT, EIO, EROFS, ...), or `closed`. */
  readonly code: string;
  constructor(code: string, message: string, cause?: unknown) {
    super("storage", message, { cause });
    this.name = "JournalError";
    this.code = code;
  }
}

/** The error code of a failed file system call, or undefined for anything else (a bug). */
export const ioErrorCode = (e: unknown): string | undefined => {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
};

/**
 * `, 0 bytes free` for the file system of `dir`, or of its nearest existing parent (what an
 * unprivileged process may still use); "" when even that cannot be read.
 */
export async function freeSpace(dir: string): Promise<string> {
  for (let at = dir; ; at = dirname(at)) {
    try {
      const s = await statfs(at);
      return `, ${formatBytes(s.bavail * s.bsize)} free`;
    } catch {
      if (dirname(at) === at) return "";
    }
  }
}

export interface Journal {
  readonly dir: string;
  /**
   * Appends the points and fsyncs; resolves once they are durable. Appends are serialised. Rejects
   * with JournalError when they cannot be written (they are then not in the journal at all).
   */
  append(points: readonly Point[]): Promise<void>;
  /** Segment file names, oldest first. */
  segments(): Promise<string[]>;
  /** The segment being appended to, if one is open (every other segment is closed and immutable). */
  activeSegment(): string | undefined;
  /** Waits for pending appends and closes the open segment. */
  close(): Promise<void>;
}

/** `2026-11-27T03:50:00.000Z` -> `2026-11-27T03-50-00.000Z.lp` (no `:`, so it is a valid name everywhere). */
export const segmentName = (timeMs: number) =>
  new Date(timeMs).toISOString().replaceAll(":", "-") + SEGMENT_SUFFIX;

/** Inverse of segmentName; NaN for a name that is not a segment. */
export function segmentTime(name: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d\.\d{3}Z)\.lp$/.exec(name);
  return m ? Date.parse(`${m[1]}:${m[2]}:${m[3]}`) : NaN;
}

async function listSegments(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [] as string[];
    throw e;
  });
  return names.filter((n) => !Number.isNaN(segmentTime(n))).sort();
}

/**
 * Cuts a torn last line (bytes after the last `\n`) off `file`; returns the bytes dropped. Scans
 * backwards in 64 KiB steps, so a long segment is not read whole.
 */
async function repairTornTail(file: string): Promise<number> {
  const h = await open(file, "r+");
  try {
    const size = (await h.stat()).size;
    let end = size;
    const chunk = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await h.read(chunk, 0, end - start, start);
      const nl = chunk.subarray(0, bytesRead).lastIndexOf(10);
      if (nl >= 0) {
        end = start + nl + 1;
        break;
      }
      end = start;
    }
    if (end < size) {
      await h.truncate(end);
      await h.sync();
    }
    return size - end;
  } finally {
    await h.close();
  }
}

async function writeAll(h: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) off += (await h.write(buf, off, buf.length - off)).bytesWritten;
}

/** A point's time for a message; the time itself may be what is wrong with the point. */
const timeText = (ms: number) =>
  Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `time ${ms}`;

export async function openJournal(opts: JournalOptions): Promise<Journal> {
  const { dir, clock, logger } = opts;
  const maxBytes = opts.segmentMaxBytes ?? 16 * 1024 * 1024;
  const maxAgeMs = opts.segmentMaxAgeMs ?? 60 * 60 * 1000;
  await mkdir(dir, { recursive: true });

  const existing = await listSegments(dir);
  const newest = existing.at(-1);
  if (newest) {
    const dropped = await repairTornTail(join(dir, newest));
    if (dropped > 0)
      logger.warn(
        `journal: ${newest} ended with a torn line (${dropped} bytes) from an interrupted write; ` +
          "dropped it, the lines before it are kept",
      );
  }
  // The newest existing segment stays closed: this run starts a new one at its first append, named
  // after every existing segment and after the writer's cursor (whose segment may be deleted).
  let lastTimeMs = newest ? segmentTime(newest) : -Infinity;
  try {
    const cursor = JSON.parse(await readFile(join(dir, "cursor.json"), "utf8")) as { segment?: unknown };
    const t = typeof cursor.segment === "string" ? segmentTime(cursor.segment) : NaN;
    if (t > lastTimeMs) lastTimeMs = t;
  } catch {
    // no cursor (no INFLUX_URL, or nothing sent yet)
  }

  let active: { name: string; handle: FileHandle; size: number; startMs: number } | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  /** While appends fail: the error code and how many appends were lost. */
  let failing: { code: string; lost: number } | undefined;

  async function closeActive(): Promise<void> {
    if (!active) return;
    const { handle, name, size } = active;
    active = undefined;
    await handle.close();
    // A segment whose only appends failed holds nothing: do not leave an empty file per start.
    if (size === 0) await unlink(join(dir, name)).catch(() => undefined);
  }

  const unwritable = hourlyNote(monotonicOf(clock));

  /** The points as lines, each point on its own: one that cannot be encoded is logged and left out. */
  function encode(points: readonly Point[]): { text: string; kept: Point[] } {
    let text = "";
    const kept: Point[] = [];
    for (const p of points) {
      try {
        text += encodePoint(p) + "\n";
        kept.push(p);
      } catch (e) {
        const unlogged = unwritable.note(p.measurement);
        if (unlogged !== undefined)
          logger.error(
            `journal: dropped a point of ${p.measurement} at ${timeText(p.timeMs)} that cannot be written ` +
              `(${e instanceof Error ? e.message : String(e)}); the rest is kept${unloggedSuffix(unlogged)}`,
          );
      }
    }
    return { text, kept };
  }

  async function write(all: readonly Point[]): Promise<void> {
    const { text, kept: points } = encode(all);
    if (points.length === 0) return;
    const buf = Buffer.from(text, "utf8");
    const now = clock.now();
    if (active && (active.size >= maxBytes || now - active.startMs >= maxAgeMs)) await closeActive();
    if (!active) {
      // Named after the earliest poll time in this append, kept strictly increasing.
      const first = Math.min(...points.map((p) => p.timeMs));
      const startMs = Math.max(first, lastTimeMs + 1);
      const name = segmentName(startMs);
      const handle = await open(join(dir, name), "a");
      active = { name, handle, size: 0, startMs: now };
      lastTimeMs = startMs;
      await fsyncDir(dir);
    }
    try {
      await writeAll(active.handle, buf);
      await active.handle.datasync();
    } catch (e) {
      // E.g. ENOSPC mid-write: cut what was half written, so the next append starts on a line
      // boundary in the same segment. If even that fails, close the segment; the next start cuts
      // a torn tail (and the next append here opens a new segment).
      const a = active;
      try {
        await a.handle.truncate(a.size);
        await a.handle.datasync();
      } catch {
        active = undefined;
        await a.handle.close().catch(() => undefined);
        await repairTornTail(join(dir, a.name)).catch(() => undefined);
      }
      throw e;
    }
    active.size += buf.length;
  }

  async function doAppend(points: readonly Point[]): Promise<void> {
    if (points.length === 0) return;
    try {
      await write(points);
    } catch (e) {
      const code = ioErrorCode(e);
      if (!code) throw e;
      if (!failing || failing.code !== code)
        logger.error(
          `journal: cannot write to ${dir} (${code}${await freeSpace(dir)}); readings are not recorded ` +
            `until it can${code === "ENOSPC" || code === "EDQUOT" ? ": free some space there" : ""}, will keep trying`,
        );
      failing = { code, lost: (failing?.lost ?? 0) + 1 };
      throw new JournalError(code, `journal: cannot write to ${dir} (${code})`, e);
    }
    if (failing) {
      logger.info(
        `journal: writing to ${dir} again; ${failing.lost} appends (polls) in between were not recorded`,
      );
      failing = undefined;
    }
  }

  return {
    dir,
    append(points) {
      // Appends queued before close() still complete; later ones (a poll that outlived the
      // shutdown) are refused rather than opening a segment after the journal was closed.
      if (closed)
        return Promise.reject(
          new JournalError("closed", `journal: ${dir} is closed (the collector is stopping)`),
        );
      const next = chain.then(() => doAppend(points));
      // Keep the chain alive after a failure; the caller sees the error through `next`.
      chain = next.catch(() => undefined);
      return next;
    },
    segments: () => listSegments(dir),
    activeSegment: () => active?.name,
    async close() {
      closed = true;
      await chain;
      await closeActive();
    },
  };
}
