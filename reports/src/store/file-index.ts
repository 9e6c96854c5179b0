/**
 * A per-hour byte-offset index of a line-protocol file, so a cycle reads only the bytes of the hours
 * it needs instead of re-parsing years of history. For each UTC hour and home (the `home` tag,
 * line-homes.ts): the first byte and the end of the last line holding a point of that hour and home,
 * and the line count; a reader reads and fingerprints only its own home's entries, so another
 * home's late data never changes its days. Built once by scanning the file for timestamps and home
 * tags (no full parse), extended incrementally when the file only grew (a journal being appended),
 * rebuilt when anything else happened to it.
 *
 * A file is known by its stat (inode, size, modification and change times): while that is the same,
 * its index is used without reading a byte (a cycle's cost). When it changed, the file was appended
 * to only if it grew and the bytes indexed before are still the same. For a file of up to 32 MiB
 * (every journal segment: 16 MiB at most) that is checked in full, against a hash of them kept when
 * the file was indexed within a day of its last change (a segment being written); one that changed
 * longer ago is simply indexed again, which costs what a check would. For a larger file it is told
 * by the first and the last 4 KiB indexed: a line put in or taken out anywhere shifts the last ones;
 * a change of the same length in between, made while the file also grew, is not seen (--rebuild).
 * Anything else (the same size, shorter, another inode, other bytes) is indexed again under a new
 * generation, which every range marker carries: each day the file holds is computed again. A
 * rewrite that keeps the size, the inode and both times (a clock set back) is not seen either.
 */
import { createHash, type Hash } from "node:crypto";
import { openSync, readSync, closeSync, type Stats } from "node:fs";
import type { HomeSettings } from "../../../core/src/data/home.ts";
import { EARLIEST_MS, FUTURE_SLACK_MS } from "./plausible.ts";
import { isHome } from "./home-filter.ts";
import { LineHomes } from "./line-homes.ts";
import type { SkippedLines } from "../types.ts";

export const HOUR_MS = 3_600_000;
/** Numbers per table entry. */
const ENTRY = 5;
/** Map key of an hour and a home (hours stay below 2^32 up to LATEST_DATE_MS; exact below 2^53). */
const entryKey = (hour: number, home: number) => home * 2 ** 32 + hour;
/** The largest time a JS Date holds (ms): a longer timestamp is garbage, not a time. */
const LATEST_DATE_MS = 8.64e15;
const CHUNK = 8 * 1024 * 1024;
const HEAD_BYTES = 4096;
/** The bytes before the end of what was indexed that are compared to tell an append (see the top). */
const TAIL_BYTES = 4096;
/** A file up to this size that changed recently has its indexed bytes checked in full (see the top). */
const FULL_CHECK_BYTES = 32 * 1024 * 1024;
/** How recently (wall clock, ms) a file must have changed to be checked in full: it may be appended to. */
const RECENT_MS = 86_400_000;

export interface FileIndex {
  path: string;
  size: number;
  mtimeMs: number;
  /** The file system and inode: another one under the same name is another file. */
  ino: string;
  /** Size, modification and change time when last looked at (fileStamp): the same, the file is too. */
  stamp: string;
  /** Changes whenever the file is indexed from scratch (not when extended): part of every range marker. */
  gen: string;
  /** Hash of the first `headLen` bytes: a rewritten file is re-indexed, an appended one extended. */
  head: string;
  headLen: number;
  /** Hash of the last bytes (up to 4 KiB) before `scanned`. */
  tail: string;
  /** Hash of the bytes before `scanned`, for a small file that changed recently (see the top); else null. */
  prefix: string | null;
  /** Bytes indexed (end of the last complete line). */
  scanned: number;
  /** Complete lines in those bytes. */
  lines: number;
  /** The `home` tag values of the file's lines ("" for none): the homes of the table by number. */
  homes: string[];
  /**
   * Sorted by hour, then home: [hour, home, startByte, endByte, lines, ...] (ENTRY numbers each;
   * searched, never turned into a map).
   */
  table: Float64Array;
  firstMs: number;
  lastMs: number;
  /** Lines left out: no timestamp, a time before 2000 or beyond a date, longer than 8 MiB. */
  skipped: SkippedLines | null;
  /** Lines stamped more than 10 minutes after the time they were indexed. */
  future: SkippedLines | null;
}

/** Hash of the first `len` bytes. */
function headHash(fd: number, len: number): string {
  return digest(hashBytes(fd, 0, len));
}

/** `h` (a new hash by default) updated with the bytes [from, to) of the file. */
function hashBytes(fd: number, from: number, to: number, h: Hash = createHash("sha1")): Hash {
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK, to - from)));
  for (let pos = from; pos < to;) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, to - pos), pos);
    if (n <= 0) break;
    h.update(buf.subarray(0, n));
    pos += n;
  }
  return h;
}

const digest = (h: Hash) => h.digest("hex").slice(0, 16);

/** Hash of the last bytes (up to TAIL_BYTES) before `end`. */
const tailHash = (fd: number, end: number) => digest(hashBytes(fd, Math.max(0, end - TAIL_BYTES), end));

/** What tells one version of a file from another without reading it (FileIndex.stamp). */
export const fileStamp = (st: Stats) => `${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
export const fileIno = (st: Stats) => `${st.dev}:${st.ino}`;

/**
 * Whether `prev` describes the start of the file as it is now, so only what follows needs indexing
 * (see the top); with the hash of the bytes checked, when they were checked in full.
 */
function appended(fd: number, st: Stats, prev: FileIndex): { ok: boolean; hash?: Hash } {
  if (fileIno(st) !== prev.ino || st.size <= prev.size || st.size < prev.scanned) return { ok: false };
  if (prev.prefix !== null) {
    const hash = hashBytes(fd, 0, prev.scanned);
    return digest(hash.copy()) === prev.prefix ? { ok: true, hash } : { ok: false };
  }
  // A small file is indexed again for as little as a check in full would cost.
  if (prev.scanned <= FULL_CHECK_BYTES) return { ok: false };
  return {
    ok:
      prev.headLen <= st.size &&
      headHash(fd, prev.headLen) === prev.head &&
      tailHash(fd, prev.scanned) === prev.tail,
  };
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
 * Indexes (or extends the index of) a file. `prev` is reused when the file only grew (see the top).
 * Lines without a timestamp, with a time before 2000 or beyond what a date can hold, and lines longer
 * than 8 MiB are left out and counted in `skipped`; lines stamped more than 10 minutes after `nowMs`
 * are indexed (they become believable when their time comes) and counted in `future`. Blank lines and
 * comments are line protocol, not faults. `wallMs`: the wall clock the file's times are compared with.
 */
export function indexFile(
  path: string,
  st: Stats,
  prev: FileIndex | undefined,
  nowMs: number,
  wallMs = Date.now(),
): FileIndex {
  const fd = openSync(path, "r");
  try {
    const check = prev ? appended(fd, st, prev) : { ok: false };
    const reuse = prev !== undefined && check.ok;
    const headLen = Math.min(HEAD_BYTES, st.size);
    const head = reuse ? prev.head : headHash(fd, headLen);
    const stamp = fileStamp(st);
    const idx: FileIndex = reuse
      ? { ...prev, size: st.size, mtimeMs: st.mtimeMs, stamp }
      : {
          path,
          size: st.size,
          mtimeMs: st.mtimeMs,
          ino: fileIno(st),
          stamp,
          gen: digest(createHash("sha1").update(`${head}|${fileIno(st)}|${stamp}`)),
          head,
          headLen,
          tail: "",
          prefix: null,
          scanned: 0,
          lines: 0,
          homes: [],
          table: new Float64Array(0),
          firstMs: Number.POSITIVE_INFINITY,
          lastMs: Number.NEGATIVE_INFINITY,
          skipped: null,
          future: null,
        };
    const entries = new Map<number, [number, number, number]>();
    const t = idx.table;
    for (let k = 0; k < t.length; k += ENTRY)
      entries.set(entryKey(t[k]!, t[k + 1]!), [t[k + 2]!, t[k + 3]!, t[k + 4]!]);
    const homes = new LineHomes(idx.homes);
    const buf = Buffer.allocUnsafe(CHUNK);
    const futureMs = nowMs + FUTURE_SLACK_MS;
    let pos = idx.scanned;
    let curKey = Number.NaN;
    let cur: [number, number, number] | undefined;
    /** Inside a line longer than a chunk (from this byte): skip to its end. */
    let overlong = false;
    let overlongFrom = 0;
    while (pos < st.size) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, st.size - pos), pos);
      if (n <= 0) break;
      homes.chunk(buf, n);
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
          const key = entryKey(Math.floor(ms / HOUR_MS), homes.of(buf, from, nl));
          if (key !== curKey) {
            curKey = key;
            cur = entries.get(key);
            if (!cur) {
              cur = [pos + from, pos + nl + 1, 0];
              entries.set(key, cur);
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
    const before = idx.scanned;
    idx.scanned = overlong ? overlongFrom : pos;
    idx.tail = tailHash(fd, idx.scanned);
    idx.prefix =
      idx.scanned <= FULL_CHECK_BYTES && wallMs - st.mtimeMs < RECENT_MS
        ? digest(
            check.hash && reuse
              ? hashBytes(fd, before, idx.scanned, check.hash)
              : hashBytes(fd, 0, idx.scanned),
          )
        : null;
    const hourOf = (key: number) => key % 2 ** 32;
    const keys = [...entries.keys()].sort((a, b) => hourOf(a) - hourOf(b) || a - b);
    const table = new Float64Array(keys.length * ENTRY);
    keys.forEach((key, i) => {
      const b = entries.get(key)!;
      table.set([hourOf(key), Math.floor(key / 2 ** 32), b[0], b[1], b[2]], i * ENTRY);
    });
    idx.table = table;
    idx.homes = homes.names;
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

/** Position (in entries) of the first entry of an hour >= h in the sorted table. */
function firstAtOrAfter(t: Float64Array, h: number): number {
  let lo = 0;
  let hi = t.length / ENTRY;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid * ENTRY]! < h) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const hasPoints = (idx: FileIndex) => idx.table.length > 0;

/**
 * Which of the file's homes (FileIndex.homes) are `home`'s: 1 at their numbers. The functions below
 * take it to look at that home's entries only (without one: every home's).
 */
export const homeMask = (idx: FileIndex, home: HomeSettings): Uint8Array =>
  Uint8Array.from(idx.homes, (name) => (isHome(home, name) ? 1 : 0));

/** Whether the table entry at `i` (a position in numbers) is of a home in `mask`. */
const ofMask = (t: Float64Array, i: number, mask: Uint8Array | undefined) =>
  mask === undefined || mask[t[i + 1]!] === 1;

/** Byte ranges holding the points of [startMs, stopMs) (of the homes in `mask`), merged. */
export function rangesFor(
  idx: FileIndex,
  startMs: number,
  stopMs: number,
  mask?: Uint8Array,
): [number, number][] {
  const out: [number, number][] = [];
  if (!hasPoints(idx) || stopMs <= idx.firstMs || startMs > idx.lastMs) return out;
  const t = idx.table;
  const h1 = Math.floor((stopMs - 1) / HOUR_MS);
  const raw: [number, number][] = [];
  for (
    let i = firstAtOrAfter(t, Math.floor(startMs / HOUR_MS)) * ENTRY;
    i < t.length && t[i]! <= h1;
    i += ENTRY
  )
    if (ofMask(t, i, mask)) raw.push([t[i + 2]!, t[i + 3]!]);
  raw.sort((a, b) => a[0] - b[0]);
  for (const r of raw) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** The first hour (ms / HOUR_MS) at or after `h` that holds points (of the homes in `mask`), if any. */
export function indexedHourFrom(idx: FileIndex, h: number, mask?: Uint8Array): number | undefined {
  const t = idx.table;
  for (let i = firstAtOrAfter(t, h) * ENTRY; i < t.length; i += ENTRY) if (ofMask(t, i, mask)) return t[i];
  return undefined;
}

/** The last hour (ms / HOUR_MS) at or before `h` that holds points (of the homes in `mask`), if any. */
export function indexedHourUpTo(idx: FileIndex, h: number, mask?: Uint8Array): number | undefined {
  const t = idx.table;
  for (let i = (firstAtOrAfter(t, h + 1) - 1) * ENTRY; i >= 0; i -= ENTRY)
    if (ofMask(t, i, mask)) return t[i];
  return undefined;
}

/**
 * A summary of the index over [startMs, stopMs) (of the homes in `mask`) that changes when points
 * of them are added there, and whenever the file was indexed from scratch (a new generation: its
 * bytes may differ anywhere). Another home's lines leave it as it is.
 */
export function rangeMarker(idx: FileIndex, startMs: number, stopMs: number, mask?: Uint8Array): string {
  if (stopMs <= idx.firstMs || startMs > idx.lastMs) return "";
  const t = idx.table;
  const h1 = Math.floor((stopMs - 1) / HOUR_MS);
  let n = 0;
  let s = Number.POSITIVE_INFINITY;
  let e = 0;
  for (
    let i = firstAtOrAfter(t, Math.floor(startMs / HOUR_MS)) * ENTRY;
    i < t.length && t[i]! <= h1;
    i += ENTRY
  ) {
    if (!ofMask(t, i, mask)) continue;
    n += t[i + 4]!;
    if (t[i + 2]! < s) s = t[i + 2]!;
    if (t[i + 3]! > e) e = t[i + 3]!;
  }
  return n === 0 ? "" : `${idx.gen}:${n}:${s}:${e}`;
}

/** Bump when the stored layout changes: older entries are re-indexed. */
export const INDEX_LAYOUT = 7;

/**
 * A FileIndex as kept on disk (JSON), its empty extents as null and its table in columns, each the
 * narrowest type that holds it, as base64 (far cheaper to load than JSON arrays; every cycle loads
 * it, and the whole table of years of hours): hours and line counts 32-bit (hours stay below 2^32 up
 * to the latest date; a count is kept modulo 2^32, which still changes whenever lines are added, all
 * that a range marker needs), the byte ranges 64-bit floats, and the homes only for a file that
 * holds more than one (else every entry is home 0).
 */
export interface StoredIndex extends Omit<FileIndex, "table" | "firstMs" | "lastMs"> {
  layout: number;
  firstMs: number | null;
  lastMs: number | null;
  /** Uint32Array: the hour of each entry. */
  hours: string;
  /** Uint32Array: the home of each entry, or null: home 0 for every entry. */
  homeOf: string | null;
  /** Float64Array: the first and the end byte of each entry. */
  bytes: string;
  /** Uint32Array: the lines of each entry. */
  counts: string;
}

const b64 = (a: Uint32Array | Float64Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");

export function toStored(i: FileIndex): StoredIndex {
  const { table, firstMs, lastMs, ...kept } = i;
  const n = table.length / ENTRY;
  const hours = new Uint32Array(n);
  const homeOf = new Uint32Array(n);
  const bytes = new Float64Array(2 * n);
  const counts = new Uint32Array(n);
  for (let k = 0, j = 0; k < n; k++, j += ENTRY) {
    hours[k] = table[j]!;
    homeOf[k] = table[j + 1]!;
    bytes[2 * k] = table[j + 2]!;
    bytes[2 * k + 1] = table[j + 3]!;
    counts[k] = table[j + 4]!;
  }
  return {
    layout: INDEX_LAYOUT,
    ...kept,
    firstMs: Number.isFinite(firstMs) ? firstMs : null,
    lastMs: Number.isFinite(lastMs) ? lastMs : null,
    hours: b64(hours),
    homeOf: i.homes.length > 1 ? b64(homeOf) : null,
    bytes: b64(bytes),
    counts: b64(counts),
  };
}

/** A base64 column as an aligned typed array (a view needs an offset that is a multiple of its size). */
function column<T extends Uint32Array | Float64Array>(
  text: unknown,
  make: (n: number) => T,
  size: number,
): T | null {
  if (typeof text !== "string") return null;
  const buf = Buffer.from(text, "base64");
  if (buf.byteLength % size !== 0) return null;
  const out = make(buf.byteLength / size);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** The FileIndex kept as `s`, or undefined when its columns do not agree (the file is indexed again). */
export function fromStored(s: StoredIndex): FileIndex | undefined {
  const { layout: _layout, hours: h, homeOf: o, bytes: b, counts: c, firstMs, lastMs, ...kept } = s;
  const hours = column(h, (n) => new Uint32Array(n), 4);
  const homeOf = o === null ? null : column(o, (n) => new Uint32Array(n), 4);
  const bytes = column(b, (n) => new Float64Array(n), 8);
  const counts = column(c, (n) => new Uint32Array(n), 4);
  const n = hours?.length ?? -1;
  if (!hours || !bytes || !counts || bytes.length !== 2 * n || counts.length !== n) return undefined;
  if (!Array.isArray(kept.homes)) return undefined;
  if (o !== null && (homeOf?.length !== n || homeOf.some((home) => home >= kept.homes.length)))
    return undefined;
  const table = new Float64Array(n * ENTRY);
  for (let k = 0, j = 0; k < n; k++, j += ENTRY) {
    table[j] = hours[k]!;
    table[j + 1] = homeOf ? homeOf[k]! : 0;
    table[j + 2] = bytes[2 * k]!;
    table[j + 3] = bytes[2 * k + 1]!;
    table[j + 4] = counts[k]!;
  }
  return {
    ...kept,
    firstMs: firstMs ?? Number.POSITIVE_INFINITY,
    lastMs: lastMs ?? Number.NEGATIVE_INFINITY,
    table,
  };
}
