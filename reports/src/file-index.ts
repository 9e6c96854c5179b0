/**
 * A per-hour byte-offset index of a line-protocol file, so a cycle reads only the bytes of the hours
 * it needs instead of re-parsing years of history. For each UTC hour: the first byte and the end of
 * the last line holding a point of that hour, and the line count. Built once by scanning the file
 * for timestamps (no full parse), extended incrementally when the file only grew (a journal being
 * appended), rebuilt when its head changed.
 */
import { createHash } from "node:crypto";
import { openSync, readSync, closeSync, type Stats } from "node:fs";

export const HOUR_MS = 3_600_000;
const CHUNK = 8 * 1024 * 1024;
const HEAD_BYTES = 4096;

export interface FileIndex {
  path: string;
  size: number;
  mtimeMs: number;
  /** Hash of the first HEAD_BYTES: a rewritten file is re-indexed, an appended one extended. */
  head: string;
  /** Bytes indexed (end of the last complete line). */
  scanned: number;
  /** hour -> [startByte, endByte, lines] */
  hours: Map<number, [number, number, number]>;
  firstMs: number;
  lastMs: number;
}

export function headHash(fd: number, size: number): string {
  const buf = Buffer.alloc(Math.min(HEAD_BYTES, size));
  readSync(fd, buf, 0, buf.length, 0);
  return createHash("sha1").update(buf).digest("hex").slice(0, 16);
}

/** Timestamp (ms) of the line buf[from..to) (to excludes the newline), or NaN. */
export function lineTimeMs(buf: Buffer, from: number, to: number): number {
  let end = to;
  if (end > from && buf[end - 1] === 13) end--;
  let i = end;
  while (i > from && buf[i - 1]! >= 48 && buf[i - 1]! <= 57) i--;
  if (i === end || i === from || buf[i - 1] !== 32 || buf[from] === 35) return Number.NaN;
  // Nanoseconds: drop the last six digits (our points are whole milliseconds).
  let ms = 0;
  for (let k = i; k < end - 6; k++) ms = ms * 10 + (buf[k]! - 48);
  return ms;
}

/** Indexes (or extends the index of) a file. `prev` is reused when the file only grew. */
export function indexFile(path: string, st: Stats, prev: FileIndex | undefined): FileIndex {
  const fd = openSync(path, "r");
  try {
    const head = headHash(fd, st.size);
    const reuse = prev && prev.head === head && st.size >= prev.scanned;
    const idx: FileIndex = reuse
      ? { ...prev, hours: new Map(prev.hours), size: st.size, mtimeMs: st.mtimeMs }
      : {
          path,
          size: st.size,
          mtimeMs: st.mtimeMs,
          head,
          scanned: 0,
          hours: new Map(),
          firstMs: Number.POSITIVE_INFINITY,
          lastMs: Number.NEGATIVE_INFINITY,
        };
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = idx.scanned;
    let curHour = Number.NaN;
    let cur: [number, number, number] | undefined;
    while (pos < st.size) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, st.size - pos), pos);
      if (n <= 0) break;
      let from = 0;
      for (;;) {
        const nl = buf.indexOf(10, from);
        if (nl < 0 || nl >= n) break;
        const ms = lineTimeMs(buf, from, nl);
        if (!Number.isNaN(ms)) {
          const hour = Math.floor(ms / HOUR_MS);
          if (hour !== curHour) {
            curHour = hour;
            cur = idx.hours.get(hour);
            if (!cur) {
              cur = [pos + from, pos + nl + 1, 0];
              idx.hours.set(hour, cur);
            }
          }
          cur![1] = Math.max(cur![1], pos + nl + 1);
          cur![0] = Math.min(cur![0], pos + from);
          cur![2]++;
          if (ms < idx.firstMs) idx.firstMs = ms;
          if (ms > idx.lastMs) idx.lastMs = ms;
        }
        from = nl + 1;
      }
      if (from === 0) {
        // A line longer than the chunk, or an unterminated last line: stop at the last full line.
        break;
      }
      pos += from;
    }
    idx.scanned = pos;
    return idx;
  } finally {
    closeSync(fd);
  }
}

/** Byte ranges holding the points of [startMs, stopMs), merged. */
export function rangesFor(idx: FileIndex, startMs: number, stopMs: number): [number, number][] {
  const out: [number, number][] = [];
  if (idx.hours.size === 0 || stopMs <= idx.firstMs || startMs > idx.lastMs) return out;
  const h0 = Math.floor(Math.max(startMs, idx.firstMs) / HOUR_MS);
  const h1 = Math.floor(Math.min(stopMs - 1, idx.lastMs) / HOUR_MS);
  const raw: [number, number][] = [];
  for (let h = h0; h <= h1; h++) {
    const b = idx.hours.get(h);
    if (b) raw.push([b[0], b[1]]);
  }
  raw.sort((a, b) => a[0] - b[0]);
  for (const r of raw) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** A summary of the index over [startMs, stopMs) that changes when points are added there. */
export function rangeMarker(idx: FileIndex, startMs: number, stopMs: number): string {
  if (stopMs <= idx.firstMs || startMs > idx.lastMs) return "";
  let n = 0;
  let s = Number.POSITIVE_INFINITY;
  let e = 0;
  const h0 = Math.floor(startMs / HOUR_MS);
  const h1 = Math.floor((stopMs - 1) / HOUR_MS);
  for (let h = h0; h <= h1; h++) {
    const b = idx.hours.get(h);
    if (!b) continue;
    n += b[2];
    if (b[0] < s) s = b[0];
    if (b[1] > e) e = b[1];
  }
  return n === 0 ? "" : `${idx.head}:${n}:${s}:${e}`;
}

export interface StoredIndex {
  path: string;
  size: number;
  mtimeMs: number;
  head: string;
  scanned: number;
  firstMs: number | null;
  lastMs: number | null;
  /** Float64Array [hour, start, end, lines, ...] as base64: far cheaper to load than a JSON array. */
  hours: string;
}

export function toStored(i: FileIndex): StoredIndex {
  const a = new Float64Array(i.hours.size * 4);
  let k = 0;
  for (const [h, b] of i.hours) {
    a[k++] = h;
    a[k++] = b[0];
    a[k++] = b[1];
    a[k++] = b[2];
  }
  return {
    path: i.path,
    size: i.size,
    mtimeMs: i.mtimeMs,
    head: i.head,
    scanned: i.scanned,
    firstMs: Number.isFinite(i.firstMs) ? i.firstMs : null,
    lastMs: Number.isFinite(i.lastMs) ? i.lastMs : null,
    hours: Buffer.from(a.buffer).toString("base64"),
  };
}

export function fromStored(s: StoredIndex): FileIndex {
  const buf = Buffer.from(s.hours, "base64");
  const a = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const hours = new Map<number, [number, number, number]>();
  for (let k = 0; k + 3 < a.length; k += 4) hours.set(a[k]!, [a[k + 1]!, a[k + 2]!, a[k + 3]!]);
  return {
    ...s,
    firstMs: s.firstMs ?? Number.POSITIVE_INFINITY,
    lastMs: s.lastMs ?? Number.NEGATIVE_INFINITY,
    hours,
  };
}
