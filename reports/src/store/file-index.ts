/**
 * A per-hour byte-offset index of a line-protocol file, so a cycle reads only the bytes of the hours
 * it needs instead of re-parsing years of history. For each UTC hour: the first byte and the end of
 * the last line holding a point of that hour, and the line count. Built once by scanning the file
 * for timestamps (no full parse), extended incrementally when the file only grew (a journal being
 * appended), rebuilt when its head changed.
 */
import { createHash } from "node:crypto";
import { openSync, readSync, closeSync, type Stats } from "node:fs";
import { EARLIEST_MS, FUTURE_SLACK_MS } from "./plausible.ts";
import type { SkippedLines } from "../types.ts";

export const HOUR_MS = 3_600_000;
/** The largest time a JS Date holds (ms): a longer timestamp is garbage, not a time. */
const LATEST_DATE_MS = 8.64e15;
const CHUNK = 8 * 1024 * 1024;
const HEAD_BYTES = 4096;

export interface FileIndex {
  path: string;
  size: number;
  mtimeMs: number;
  /** Hash of the first `headLen` bytes: a rewritten file is re-indexed, an appended one extended. */
  head: string;
  headLen: number;
  /** Bytes indexed (end of the last complete line). */
  scanned: number;
  /** Complete lines in those bytes. */
  lines: number;
  /** Sorted by hour: [hour, startByte, endByte, lines, ...] (searched, never turned into a map). */
  table: Float64Array;
  firstMs: number;
  lastMs: number;
  /** Lines left out: no timestamp, a time before 2000 or beyond a date, longer than 8 MiB. */
  skipped: SkippedLines | null;
  /** Lines stamped more than 10 minutes after the time they were indexed. */
  future: SkippedLines | null;
}

/** Hash of the first `len` bytes. */
export function headHash(fd: number, len: number): string {
  const buf = Buffer.alloc(len);
  readSync(fd, buf, 0, buf.length, 0);
  return createHash("sha1").update(buf).digest("hex").slice(0, 16);
}

/** Set by lineTimeMs(): where the timestamp of the line it read starts (so it is not searched twice). */
export let timestampStart = -1;

/** Timestamp (ms) of the line buf[from..to) (to excludes the newline), or NaN. */
export function lineTimeMs(buf: Buffer, from: number, to: number): number {
  let end = to;
  if (end > from && buf[end - 1] === 13) end--;
  let i = end;
  while (i > from && buf[i - 1]! >= 48 && buf[i - 1]! <= 57) i--;
  timestampStart = i;
  if (i === end || i === from || buf[i - 1] !== 32 || buf[from] === 35) return Number.NaN;
  // Nanoseconds: drop the last six digits (our points are whole milliseconds).
  let ms = 0;
  for (let k = i; k < end - 6; k++) ms = ms * 10 + (buf[k]! - 48);
  return ms;
}

/** Lines the index left out of a file: counted, the first one named. */
const note = (s: SkippedLines | null, line: number, reason: string): SkippedLines =>
  s ? { ...s, count: s.count + 1 } : { count: 1, firstLine: line, reason };

/**
 * Indexes (or extends the index of) a file. `prev` is reused when the file only grew. Lines without
 * a timestamp, with a time before 2000 or beyond what a date can hold, and lines longer than 8 MiB
 * are left out and counted in `skipped`; lines stamped more than 10 minutes after `nowMs` are
 * indexed (they become believable when their time comes) and counted in `future`. Blank lines and
 * comments are line protocol, not faults.
 */
export function indexFile(path: string, st: Stats, prev: FileIndex | undefined, nowMs: number): FileIndex {
  const fd = openSync(path, "r");
  try {
    // Same first bytes as when indexed (up to what existed then) and not shorter: an append.
    const reuse =
      prev && st.size >= prev.scanned && prev.headLen <= st.size && headHash(fd, prev.headLen) === prev.head;
    const headLen = Math.min(HEAD_BYTES, st.size);
    const head = reuse ? prev.head : headHash(fd, headLen);
    const idx: FileIndex = reuse
      ? { ...prev, size: st.size, mtimeMs: st.mtimeMs }
      : {
          path,
          size: st.size,
          mtimeMs: st.mtimeMs,
          head,
          headLen,
          scanned: 0,
          lines: 0,
          table: new Float64Array(0),
          firstMs: Number.POSITIVE_INFINITY,
          lastMs: Number.NEGATIVE_INFINITY,
          skipped: null,
          future: null,
        };
    const hours = new Map<number, [number, number, number]>();
    const t = idx.table;
    for (let k = 0; k < t.length; k += 4) hours.set(t[k]!, [t[k + 1]!, t[k + 2]!, t[k + 3]!]);
    const buf = Buffer.allocUnsafe(CHUNK);
    const futureMs = nowMs + FUTURE_SLACK_MS;
    let pos = idx.scanned;
    let curHour = Number.NaN;
    let cur: [number, number, number] | undefined;
    /** Inside a line longer than a chunk (from this byte): skip to its end. */
    let overlong = false;
    let overlongFrom = 0;
    while (pos < st.size) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, st.size - pos), pos);
      if (n <= 0) break;
      let from = 0;
      for (;;) {
        const nl = buf.indexOf(10, from);
        if (nl < 0 || nl >= n) break;
        idx.lines++;
        if (overlong) {
          overlong = false;
          idx.skipped = note(idx.skipped, idx.lines, "a line longer than 8 MiB");
          from = nl + 1;
          continue;
        }
        const ms = lineTimeMs(buf, from, nl);
        if (ms >= EARLIEST_MS && ms <= LATEST_DATE_MS) {
          const hour = Math.floor(ms / HOUR_MS);
          if (hour !== curHour) {
            curHour = hour;
            cur = hours.get(hour);
            if (!cur) {
              cur = [pos + from, pos + nl + 1, 0];
              hours.set(hour, cur);
            }
          }
          cur![1] = Math.max(cur![1], pos + nl + 1);
          cur![0] = Math.min(cur![0], pos + from);
          cur![2]++;
          if (ms < idx.firstMs) idx.firstMs = ms;
          if (ms > idx.lastMs) idx.lastMs = ms;
          if (ms > futureMs)
            idx.future = note(idx.future, idx.lines, `stamped ${new Date(ms).toISOString()}`);
        } else if (!blankOrComment(buf, from, nl)) {
          idx.skipped = note(
            idx.skipped,
            idx.lines,
            Number.isNaN(ms)
              ? "no timestamp at the end of the line"
              : "a timestamp before 2000 or out of range",
          );
        }
        from = nl + 1;
      }
      if (from === 0 && n === CHUNK) {
        // No line end in a whole chunk: a line longer than 8 MiB. Skip to its end, keep going.
        if (!overlong) overlongFrom = pos;
        overlong = true;
        pos += n;
        continue;
      }
      if (from === 0) break; // an unterminated last line: it may still be being written
      pos += from;
    }
    // An over-long line without its end yet may still be being written: index it when it ends.
    idx.scanned = overlong ? overlongFrom : pos;
    const keys = [...hours.keys()].sort((a, b) => a - b);
    const table = new Float64Array(keys.length * 4);
    keys.forEach((h, i) => {
      const b = hours.get(h)!;
      table.set([h, b[0], b[1], b[2]], i * 4);
    });
    idx.table = table;
    return idx;
  } finally {
    closeSync(fd);
  }
}

/** A blank line or a comment (`#`). */
function blankOrComment(buf: Buffer, from: number, to: number): boolean {
  let i = from;
  while (i < to && (buf[i] === 32 || buf[i] === 9 || buf[i] === 13)) i++;
  return i === to || buf[i] === 35;
}

/** Position (in entries) of the first hour >= h in the sorted table. */
function firstAtOrAfter(t: Float64Array, h: number): number {
  let lo = 0;
  let hi = t.length / 4;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid * 4]! < h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const hasPoints = (idx: FileIndex) => idx.table.length > 0;

/** Byte ranges holding the points of [startMs, stopMs), merged. */
export function rangesFor(idx: FileIndex, startMs: number, stopMs: number): [number, number][] {
  const out: [number, number][] = [];
  if (!hasPoints(idx) || stopMs <= idx.firstMs || startMs > idx.lastMs) return out;
  const t = idx.table;
  const h1 = Math.floor((stopMs - 1) / HOUR_MS);
  const raw: [number, number][] = [];
  for (let i = firstAtOrAfter(t, Math.floor(startMs / HOUR_MS)) * 4; i < t.length && t[i]! <= h1; i += 4)
    raw.push([t[i + 1]!, t[i + 2]!]);
  raw.sort((a, b) => a[0] - b[0]);
  for (const r of raw) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** The first hour (ms / HOUR_MS) at or after `h` that holds points, if any. */
export function indexedHourFrom(idx: FileIndex, h: number): number | undefined {
  const i = firstAtOrAfter(idx.table, h) * 4;
  return i < idx.table.length ? idx.table[i] : undefined;
}

/** The last hour (ms / HOUR_MS) at or before `h` that holds points, if any. */
export function indexedHourUpTo(idx: FileIndex, h: number): number | undefined {
  const i = (firstAtOrAfter(idx.table, h + 1) - 1) * 4;
  return i >= 0 ? idx.table[i] : undefined;
}

/** A summary of the index over [startMs, stopMs) that changes when points are added there. */
export function rangeMarker(idx: FileIndex, startMs: number, stopMs: number): string {
  if (stopMs <= idx.firstMs || startMs > idx.lastMs) return "";
  const t = idx.table;
  const h1 = Math.floor((stopMs - 1) / HOUR_MS);
  let n = 0;
  let s = Number.POSITIVE_INFINITY;
  let e = 0;
  for (let i = firstAtOrAfter(t, Math.floor(startMs / HOUR_MS)) * 4; i < t.length && t[i]! <= h1; i += 4) {
    n += t[i + 3]!;
    if (t[i + 1]! < s) s = t[i + 1]!;
    if (t[i + 2]! > e) e = t[i + 2]!;
  }
  return n === 0 ? "" : `${idx.head}:${n}:${s}:${e}`;
}

/** Bump when the stored layout changes: older entries are re-indexed. */
export const INDEX_LAYOUT = 4;

/** A FileIndex as kept on disk (JSON): its hour table as base64, empty extents as null. */
export interface StoredIndex extends Omit<FileIndex, "table" | "firstMs" | "lastMs"> {
  layout: number;
  firstMs: number | null;
  lastMs: number | null;
  /** Float64Array [hour, start, end, lines, ...] as base64: far cheaper to load than a JSON array. */
  hours: string;
}

export function toStored(i: FileIndex): StoredIndex {
  const { table, firstMs, lastMs, ...kept } = i;
  return {
    layout: INDEX_LAYOUT,
    ...kept,
    firstMs: Number.isFinite(firstMs) ? firstMs : null,
    lastMs: Number.isFinite(lastMs) ? lastMs : null,
    hours: Buffer.from(table.buffer, table.byteOffset, table.byteLength).toString("base64"),
  };
}

export function fromStored(s: StoredIndex): FileIndex {
  const { layout: _layout, hours, firstMs, lastMs, ...kept } = s;
  const buf = Buffer.from(hours, "base64");
  // Copy into an aligned buffer: a Float64Array view needs an offset that is a multiple of 8.
  const table = new Float64Array(buf.byteLength / 8);
  new Uint8Array(table.buffer).set(buf);
  return {
    ...kept,
    firstMs: firstMs ?? Number.POSITIVE_INFINITY,
    lastMs: lastMs ?? Number.NEGATIVE_INFINITY,
    table,
  };
}
