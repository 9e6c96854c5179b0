/**
 * The local source: line protocol in a file or a directory (the collector's journal
 * DATA_DIR/journal/*.lp, the simulator's history, an `influx` export). Each file carries a per-hour
 * byte index (file-index.ts) kept in DATA_DIR/reports-cache, so a cycle stats the files and reads
 * only the bytes of the hours it asks for: its cost does not grow with the length of history.
 *
 * It reads one home, line by line as the Flux queries filter it (home-filter.ts): the index keeps
 * each home's hours apart, so another home's lines are neither read nor in this home's
 * fingerprints, and a line of another home met in the bytes read is passed over.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync, mkdirSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import type { Logger } from "../../../core/src/effects.ts";
import { MEASUREMENT, TAG } from "../../../core/src/data/catalogue.ts";
import type { HomeSettings } from "../../../core/src/data/home.ts";
import {
  fileIno,
  fileStamp,
  fromStored,
  hasPoints,
  homeMask,
  HOUR_MS,
  indexedHourFrom,
  indexedHourUpTo,
  INDEX_LAYOUT,
  indexFile,
  lineTimeMs,
  timestampStart,
  rangeMarker,
  rangesFor,
  toStored,
  type FileIndex,
  type StoredIndex,
} from "./file-index.ts";
import type { LatestValue, RawSource } from "./raw-source.ts";
import { AUX_ROLES, SampleBuilder, type Samples, LOOKAHEAD_MS, LOOKBACK_MS } from "./samples.ts";
import { fastLine, lineHome, type LineHome } from "./fast-line.ts";
import { DEFAULT_HOME, homeKey, isHome } from "./home-filter.ts";
import { type DayRange } from "../../../core/src/time.ts";
import { type FileProblems } from "../types.ts";
import { readCachedJson, writeJsonAtomic } from "../../../core/src/durable-file.ts";
import { shortHash } from "../../../core/src/hash.ts";

/** Files of a directory that hold line protocol. */
const LP_FILE = /\.(lp|txt|line|lines)$/i;
const WANTED = [MEASUREMENT.electric, MEASUREMENT.heatpump, MEASUREMENT.collector].map((m) => Buffer.from(m));

interface LocalSourceOptions {
  /** A file or a directory. */
  path: string;
  /** The home read (HOME_ID, HOME_UNTAGGED); default DEFAULT_HOME. */
  home?: HomeSettings;
  /** Where the byte indexes are kept (null: memory only). */
  cacheDir: string | null;
  logger?: Logger;
  /**
   * How long one look at the files (a stat of each) serves further queries, ms; default 1000. A site
   * build asks about 30 questions within a second or two, and the collector's journal keeps growing
   * by a file a day: without this, every question would stat every file. 0: look every time.
   */
  refreshTtlMs?: number;
  /** The clock (ms since epoch, default Date.now): which points are in the future. */
  now?: () => number;
  /**
   * The wall clock the files' own times are compared with (default Date.now): a file that changed
   * within the last day may be being appended to (file-index.ts).
   */
  wallClock?: () => number;
}

export class LocalSource implements RawSource {
  readonly id: string;
  private readonly path: string;
  private readonly home: HomeSettings;
  private readonly lineHome: LineHome;
  /** Each file's homeMask for this home, while its homes stay the same (FileIndex.homes). */
  private readonly masks = new WeakMap<string[], Uint8Array>();
  /** The folder the files are named relative to in problems(). */
  private readonly root: string;
  private readonly indexFile: string | null;
  private readonly logger: Logger | undefined;
  private indexes = new Map<string, FileIndex>();
  private loaded = false;
  private warned = false;
  private readonly refreshTtlMs: number;
  private readonly now: () => number;
  private readonly wallClock: () => number;
  /** The last refresh's answer and when it was taken (performance.now(), ms). */
  private recent: { atMs: number; files: FileIndex[] } | undefined;
  /**
   * Malformed lines met while reading, per file and file version: where each starts (a range can be
   * read more than once, by a batch, then the status: each line counts once), and the first one's
   * place and fault.
   */
  private readonly malformed = new Map<
    string,
    { version: string; offset: number; count: number; reason: string; seen: Set<number> }
  >();
  /** The file version (its stamp) each warning was last given for: once per process and change. */
  private readonly warnedAbout = new Map<string, string>();

  constructor(o: LocalSourceOptions) {
    this.path = o.path;
    this.root = existsSync(o.path) && statSync(o.path).isDirectory() ? o.path : dirname(o.path);
    this.home = o.home ?? DEFAULT_HOME;
    this.lineHome = lineHome(this.home);
    // Per home: two homes read from one folder never share a cache. The byte indexes are shared:
    // they keep every home's hours.
    this.id = `local:${o.path}|${homeKey(this.home)}`;
    this.logger = o.logger;
    this.refreshTtlMs = o.refreshTtlMs ?? 1000;
    this.now = o.now ?? Date.now;
    this.wallClock = o.wallClock ?? Date.now;
    this.indexFile = o.cacheDir ? join(o.cacheDir, `index-${shortHash(o.path)}.json`) : null;
    if (o.cacheDir) mkdirSync(o.cacheDir, { recursive: true });
  }

  /** The files' indexes sorted by first point, from a refresh at most `refreshTtlMs` old. */
  private refresh(): FileIndex[] {
    const now = performance.now();
    if (this.recent && now - this.recent.atMs < this.refreshTtlMs) return this.recent.files;
    const files = this.look();
    this.recent = { atMs: now, files };
    return files;
  }

  lookAgain(): void {
    this.recent = undefined;
  }

  /** Stats the files and brings their indexes up to date; returns them sorted by first point. */
  private look(): FileIndex[] {
    if (!this.loaded && this.indexFile) {
      const stored = readCachedJson<StoredIndex[]>(this.indexFile) ?? [];
      // Entries of an older layout, or damaged, are dropped: their files are re-indexed.
      for (const s of stored) {
        const idx = s.layout === INDEX_LAYOUT ? fromStored(s) : undefined;
        if (idx) this.indexes.set(s.path, idx);
      }
      this.loaded = true;
    }
    if (!existsSync(this.path)) {
      // Once per engine, not once per query.
      if (!this.warned)
        this.logger?.warn(
          `no line-protocol data at ${this.path}: set LOCAL_SOURCE (or DATA_DIR, or INFLUX_URL) to where the data is`,
        );
      this.warned = true;
      return [];
    }
    this.warned = false;
    const st = statSync(this.path);
    const files = st.isDirectory()
      ? readdirSync(this.path, { withFileTypes: true })
          .filter((d) => d.isFile() && LP_FILE.test(d.name))
          .map((d) => join(this.path, d.name))
      : [this.path];
    let changed = false;
    const next = new Map<string, FileIndex>();
    for (const f of files) {
      const fst = f === this.path ? st : statSync(f);
      const prev = this.indexes.get(f);
      // The same stat, the same file: nothing is read (what most files are, every cycle).
      if (prev && prev.stamp === fileStamp(fst) && prev.ino === fileIno(fst)) {
        next.set(f, prev);
        continue;
      }
      next.set(f, indexFile(f, fst, prev, this.now(), this.wallClock()));
      changed = true;
    }
    if (next.size !== this.indexes.size) changed = true;
    this.indexes = next;
    if (changed && this.indexFile) writeJsonAtomic(this.indexFile, [...next.values()].map(toStored));
    for (const idx of next.values()) {
      if (idx.skipped)
        this.warnOnce(
          idx,
          "skipped",
          `${idx.path}: left out ${lines(idx.skipped.count)} without a believable time, ` +
            `the first on line ${idx.skipped.firstLine} (${idx.skipped.reason}); ` +
            "the rest of the file is read. Fix or delete those lines.",
        );
      if (idx.future)
        this.warnOnce(
          idx,
          "future",
          `${idx.path}: ${lines(idx.future.count)} stamped more than 10 minutes in the future, ` +
            `the first on line ${idx.future.firstLine} (${idx.future.reason}); ` +
            "they are left out until their time comes. Check the clock of the device that wrote them.",
        );
    }
    return [...next.values()].filter(hasPoints).sort((a, b) => a.firstMs - b.firstMs);
  }

  /** Logs `message` once per process and file version (and kind of problem). */
  private warnOnce(idx: { path: string; stamp: string }, kind: string, message: string): void {
    const key = `${kind}|${idx.path}`;
    const version = idx.stamp;
    if (this.warnedAbout.get(key) === version) return;
    this.warnedAbout.set(key, version);
    this.logger?.warn(message);
  }

  /** What each file held that the reports could not use (for status.json; the stores differ here). */
  problems(): FileProblems[] {
    const out: FileProblems[] = [];
    for (const idx of this.indexes.values()) {
      const m = this.malformed.get(idx.path);
      const malformed =
        m && m.version === idx.stamp
          ? { count: m.count, firstLine: lineAt(idx.path, m.offset), reason: m.reason }
          : null;
      if (idx.skipped || idx.future || malformed)
        out.push({
          file: relative(this.root, idx.path) || basename(idx.path),
          skipped: idx.skipped,
          future: idx.future,
          malformed,
        });
    }
    return out.sort((a, b) => (a.file < b.file ? -1 : 1));
  }

  async samples(startMs: number, stopMs: number): Promise<Samples> {
    return this.read(this.refresh(), startMs, stopMs);
  }

  /** This home's homes among the file's (file-index.ts homeMask). */
  private mask(idx: FileIndex): Uint8Array {
    let m = this.masks.get(idx.homes);
    if (!m || m.length !== idx.homes.length) {
      m = homeMask(idx, this.home);
      this.masks.set(idx.homes, m);
    }
    return m;
  }

  /** Samples in [startMs, stopMs) from indexes already brought up to date by refresh(). */
  private read(files: readonly FileIndex[], startMs: number, stopMs: number): Samples {
    const b = new SampleBuilder();
    const home = { settings: this.home, bytes: this.lineHome };
    for (const idx of files) {
      if (idx.lastMs < startMs || idx.firstMs >= stopMs) continue;
      const ranges = rangesFor(idx, startMs, stopMs, this.mask(idx));
      if (ranges.length === 0) continue;
      const fd = openSync(idx.path, "r");
      try {
        for (const [s, e] of ranges)
          readRange(fd, s, e, startMs, stopMs, b, home, (offset, reason) =>
            this.onMalformed(idx, offset, reason),
          );
      } finally {
        closeSync(fd);
      }
    }
    return b.finish();
  }

  /** A malformed line met while reading: counted, and the first one (by position) named once. */
  private onMalformed(idx: FileIndex, offset: number, reason: string): void {
    const version = idx.stamp;
    const m = this.malformed.get(idx.path);
    if (m && m.version === version) {
      if (m.seen.has(offset)) return;
      m.seen.add(offset);
      m.count++;
      if (offset < m.offset) Object.assign(m, { offset, reason });
    } else this.malformed.set(idx.path, { version, offset, count: 1, reason, seen: new Set([offset]) });
    const first = this.malformed.get(idx.path)!;
    this.warnOnce(
      idx,
      "malformed",
      `${idx.path}: left out lines that are not line protocol, ` +
        `the first seen on line ${lineAt(idx.path, first.offset)} (${first.reason}); ` +
        "the rest of the file is read. Fix or delete those lines.",
    );
  }

  async fingerprints(ranges: readonly DayRange[]): Promise<string[]> {
    const files = this.refresh();
    return ranges.map((r) => {
      const parts: string[] = [];
      const a = r.startMs - LOOKBACK_MS;
      const b = r.endMs + LOOKAHEAD_MS;
      for (const idx of files) {
        if (idx.firstMs >= b || idx.lastMs < a) continue;
        const m = rangeMarker(idx, a, b, this.mask(idx));
        if (m) parts.push(m);
      }
      // The markers themselves (file generation, lines, byte span) are the fingerprint: no hashing.
      return parts.length === 0 ? "empty" : parts.join("|");
    });
  }

  async extent(startMs: number, stopMs: number): Promise<{ firstMs: number; lastMs: number } | null> {
    const files = this.refresh();
    // The index knows which hours hold points; the exact first and last electric or heat pump
    // point are read from the edge hours, walking inwards past hours that hold only other data
    // (an hour or two: the walk asks the index for the next hour, never lists them all).
    const h0 = Math.floor(startMs / HOUR_MS);
    const h1 = Math.floor((stopMs - 1) / HOUR_MS);
    const hourOf = (h: number) =>
      this.read(files, Math.max(startMs, h * HOUR_MS), Math.min(stopMs, (h + 1) * HOUR_MS));
    const masks = files.map((f) => this.mask(f));
    let firstMs: number | undefined;
    for (let h = nextHour(files, masks, h0); h !== undefined && h <= h1; h = nextHour(files, masks, h + 1)) {
      firstMs = edgeOf(hourOf(h), "first");
      if (firstMs !== undefined) break;
    }
    if (firstMs === undefined) return null;
    for (
      let h = previousHour(files, masks, h1);
      h !== undefined && h >= h0;
      h = previousHour(files, masks, h - 1)
    ) {
      const lastMs = edgeOf(hourOf(h), "last");
      if (lastMs !== undefined) return { firstMs, lastMs };
    }
    return null;
  }

  async latest(
    startMs: number,
    stopMs: number,
    fields: readonly string[],
  ): Promise<Map<string, LatestValue>> {
    const out = new Map<string, LatestValue>();
    // One refresh (a stat of every file) for the whole walk, not one per window.
    const files = this.refresh();
    const ext = extentOf(files);
    if (!ext) return out;
    // Walk back from the newest point, in growing windows (most fields are in the last hour),
    // until every field is found or the start is reached.
    let stop = Math.min(stopMs, ext.lastMs + 1);
    const floor = Math.max(startMs, ext.firstMs);
    for (const span of [3_600_000, 5 * 3_600_000, 18 * 3_600_000, ...Array<number>(365).fill(86_400_000)]) {
      if (out.size >= fields.length || stop <= floor) break;
      const start = Math.max(floor, stop - span);
      const s = this.read(files, start, stop);
      for (const name of fields) {
        if (out.has(name)) continue;
        const [m, f] = name.split(".") as [string, string];
        const col =
          m === MEASUREMENT.electric
            ? {
                t: s.elec.t,
                v: f === "power_w" ? s.elec.power : f === "energy_ret_wh" ? s.elec.ret : s.elec.energy,
              }
            : m === MEASUREMENT.heatpump
              ? { t: s.hp.t, v: (s.hp.f as Record<string, number[]>)[f] }
              : undefined;
        if (!col?.v) continue;
        for (let i = col.t.length - 1; i >= 0; i--)
          if (!Number.isNaN(col.v[i]!)) {
            out.set(name, { t: col.t[i]!, v: col.v[i]! });
            break;
          }
      }
      stop = start;
    }
    return out;
  }

  async close(): Promise<void> {}
}

/** The first hour at or after `h` that holds points of the home (`masks`, one per file) in any of the files. */
function nextHour(files: readonly FileIndex[], masks: readonly Uint8Array[], h: number): number | undefined {
  let best: number | undefined;
  for (const [i, f] of files.entries()) {
    const x = indexedHourFrom(f, h, masks[i]);
    if (x !== undefined && (best === undefined || x < best)) best = x;
  }
  return best;
}

/** The last hour at or before `h` that holds points of the home (`masks`) in any of the files. */
function previousHour(
  files: readonly FileIndex[],
  masks: readonly Uint8Array[],
  h: number,
): number | undefined {
  let best: number | undefined;
  for (const [i, f] of files.entries()) {
    const x = indexedHourUpTo(f, h, masks[i]);
    if (x !== undefined && (best === undefined || x > best)) best = x;
  }
  return best;
}

/** Time of the first or last electric (any meter) or heat pump sample, if any. */
function edgeOf(s: Samples, edge: "first" | "last"): number | undefined {
  const ts = [s.elec.t, ...AUX_ROLES.map((r) => s.meters[r]?.t ?? []), s.hp.t]
    .filter((t) => t.length > 0)
    .map((t) => (edge === "first" ? t[0]! : t.at(-1)!));
  if (ts.length === 0) return undefined;
  return edge === "first" ? Math.min(...ts) : Math.max(...ts);
}

function extentOf(files: readonly FileIndex[]): { firstMs: number; lastMs: number } | null {
  if (files.length === 0) return null;
  return {
    firstMs: Math.min(...files.map((f) => f.firstMs)),
    lastMs: Math.max(...files.map((f) => f.lastMs)),
  };
}

const READ_CHUNK = 16 * 1024 * 1024;
let scratchBuf: Buffer | null = null;

/**
 * One read buffer for every range (a day is about 2.3 MB of line protocol): a fresh buffer per day
 * is memory outside the heap that the collector frees late, and a cold read of three years peaked
 * over 500 MB with it. Nothing keeps a view of it: the parser copies what it keeps.
 */
function scratch(len: number): Buffer {
  if (!scratchBuf || scratchBuf.length < len) scratchBuf = Buffer.allocUnsafe(Math.max(len, 4 * 1024 * 1024));
  return scratchBuf.subarray(0, len);
}

/**
 * Parses the lines in bytes [s, e) whose time is in [startMs, stopMs) and whose home is `home` into
 * `b`. A line that is not
 * line protocol is reported (byte offset, what is wrong) and left out; a line longer than a chunk is
 * skipped (the index has counted it); the rest is read either way.
 */
function readRange(
  fd: number,
  s: number,
  e: number,
  startMs: number,
  stopMs: number,
  b: SampleBuilder,
  home: { settings: HomeSettings; bytes: LineHome },
  onMalformed: (offset: number, reason: string) => void,
): void {
  let pos = s;
  let skipping = false;
  while (pos < e) {
    const len = Math.min(READ_CHUNK, e - pos);
    const buf = scratch(len);
    const n = readSync(fd, buf, 0, len, pos);
    if (n <= 0) break;
    let from = 0;
    const odd = oddBytes(buf, n);
    if (skipping) {
      const nl = buf.indexOf(10);
      if (nl < 0 || nl >= n) {
        pos += n;
        continue;
      }
      skipping = false;
      from = nl + 1;
    }
    while (from < n) {
      let nl = buf.indexOf(10, from);
      if (nl < 0 || nl >= n) {
        if (pos + n < e) break; // partial line: the next chunk starts with it
        nl = n;
      }
      const ms = lineTimeMs(buf, from, nl);
      if (
        ms >= startMs &&
        ms < stopMs &&
        !fastLine(buf, from, nl, ms, b, home.bytes, odd(from) >= nl, timestampStart) &&
        wanted(buf, from)
      ) {
        try {
          const p = parseLine(buf.toString("utf8", from, nl));
          if (p && isHome(home.settings, p.tags[TAG.home])) b.add(p.measurement, p.tags, p.fields, ms);
        } catch (err) {
          onMalformed(pos + from, (err as Error).message);
        }
      }
      from = nl + 1;
    }
    if (from === 0 && n === len && pos + n < e) {
      // A line longer than the chunk: skip to its end.
      skipping = true;
      pos += n;
      continue;
    }
    pos += Math.min(from, n);
  }
}

/** Backslash, quote, `I`: a line without any is `clean` for fastLine (no escapes, no strings, no `Infinity`). */
const ODD_BYTES = [92, 34, 73];

/**
 * Where the next backslash, quote or `I` at or after a position is, in the first `n` bytes of `buf`
 * (n: none); asked with positions that only grow. Each byte's next place is looked up natively and
 * only again once passed, so a chunk costs one pass per byte, however many lines it holds.
 */
function oddBytes(buf: Buffer, n: number): (from: number) => number {
  const next = ODD_BYTES.map(() => -1);
  return (from) => {
    let first = n;
    for (let k = 0; k < ODD_BYTES.length; k++) {
      if (next[k]! < from) {
        const i = buf.indexOf(ODD_BYTES[k]!, from);
        next[k] = i < 0 || i >= n ? n : i;
      }
      if (next[k]! < first) first = next[k]!;
    }
    return first;
  };
}

/** 1-based number of the line that starts at byte `offset` (counts the line ends before it). */
function lineAt(path: string, offset: number): number {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let line = 1;
    for (let pos = 0; pos < offset;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, offset - pos), pos);
      if (n <= 0) break;
      for (let i = buf.indexOf(10, 0); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) line++;
      pos += n;
    }
    return line;
  } finally {
    closeSync(fd);
  }
}

const lines = (n: number) => (n === 1 ? "1 line" : `${n} lines`);

/** Quick prefilter on the measurement name, before paying for a parse. */
function wanted(buf: Buffer, from: number): boolean {
  for (const m of WANTED) {
    if (buf.compare(m, 0, m.length, from, from + m.length) === 0) {
      const c = buf[from + m.length];
      if (c === 44 || c === 32) return true;
    }
  }
  return false;
}
