/**
 * The day cache: the row and the five-minute buckets of each closed day, with the source
 * fingerprint they were computed from, in DATA_DIR/reports-cache. Rows and buckets are sharded by
 * month into separate files (`days-<key>/2026-03.json`, `buckets-<key>/2026-03.json`): a cycle reads
 * every month's rows (small) but only the buckets of the days it draws, and a day's buckets are kept
 * as JSON text inside the month's (a string is read past far faster than the numbers in it, so
 * loading a month to draw one day does not parse the other thirty). Files are written durably
 * (temp file, fsync, rename), so a reader never sees half a file. `--rebuild` deletes the folder.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readCachedJson, writeJsonAtomic } from "../../../core/src/durable-file.ts";
import { shortHash } from "../../../core/src/hash.ts";
import type { DailyRow } from "../types.ts";
import { BUCKET_COLUMNS, type DayBuckets } from "../types.ts";

/** Bump when the row or bucket computation changes: old caches are then ignored. */
const ENGINE_VERSION = 11;

export const cacheDir = (dataDir: string) => join(dataDir, "reports-cache");

/**
 * One month of days: `cols` names the values of each `[fingerprint, ...values]` entry (compact to
 * load); packed (buckets), an entry is `[fingerprint, JSON text of the values]`.
 */
interface MonthFile {
  version: number;
  key: string;
  cols: string[];
  days: Record<string, unknown[]>;
}

/**
 * Month files of one kind (rows or buckets), loaded on first use, written on flush. At most `held`
 * months stay in memory (the least recently used one is written if needed and let go): a month of
 * buckets is several MB in the heap, and three years of them held at once were 270 MB.
 */
class MonthShards {
  private readonly dir: string | null;
  private readonly key: string;
  private readonly held: number;
  private readonly packed: boolean;
  private readonly months = new Map<string, MonthFile>();
  private readonly dirty = new Set<string>();
  /**
   * Entries already decoded, by day (frozen: every caller gets the same object). A long-running
   * builder asks for every row of the history each cycle; decoding three years of them anew took
   * most of its engine time, and the same object lets the site's plan see at once that a row is
   * unchanged.
   */
  private readonly decoded = new Map<string, { fp: string; value: Readonly<Record<string, unknown>> }>();
  /**
   * By columns: an object with them as its properties, the shape every decoded entry is cloned
   * from. An object given its properties one by one under computed names becomes a hash table in V8
   * after a dozen of them, and every read of a field a lookup: roll-ups over three years of rows
   * read them ten times slower. A clone of one object keeps its fast layout, shared by every entry.
   */
  private readonly shapes = new Map<string, Readonly<Record<string, null>>>();

  constructor(dir: string | null, key: string, held: number, packed: boolean) {
    this.dir = dir;
    this.key = key;
    this.packed = packed;
    // Without a folder, memory is the only copy.
    this.held = dir ? held : Infinity;
    if (dir) mkdirSync(dir, { recursive: true });
  }

  private month(day: string): MonthFile {
    const m = day.slice(0, 7);
    let f = this.months.get(m);
    if (f) {
      // Most recently used last.
      this.months.delete(m);
      this.months.set(m, f);
    } else {
      while (this.months.size >= this.held) this.letGo(this.months.keys().next().value!);
      const loaded = this.dir ? readCachedJson<MonthFile>(join(this.dir, `${m}.json`)) : undefined;
      f =
        loaded && loaded.version === ENGINE_VERSION && loaded.key === this.key && Array.isArray(loaded.cols)
          ? loaded
          : { version: ENGINE_VERSION, key: this.key, cols: [], days: {} };
      this.months.set(m, f);
    }
    return f;
  }

  get(day: string, fp: string): Readonly<Record<string, unknown>> | undefined {
    const known = this.decoded.get(day);
    if (known?.fp === fp) return known.value;
    const f = this.month(day);
    const hit = f.days[day];
    if (!hit || hit[0] !== fp) return undefined;
    // Packed, the values are the text's; else they follow the fingerprint.
    const values = this.packed ? unpack(hit[1]) : hit;
    const at = this.packed ? 0 : 1;
    if (values?.length !== f.cols.length + at) return undefined; // damaged: computed again
    const out: Record<string, unknown> = { ...this.shape(f.cols) };
    for (let i = 0; i < f.cols.length; i++) out[f.cols[i]!] = values[i + at];
    this.decoded.set(day, { fp, value: Object.freeze(out) });
    return out;
  }

  private shape(cols: readonly string[]): Readonly<Record<string, null>> {
    const k = cols.join(",");
    let s = this.shapes.get(k);
    if (!s) {
      s = Object.fromEntries(cols.map((c) => [c, null]));
      this.shapes.set(k, s);
    }
    return s;
  }

  set(day: string, fp: string, value: Record<string, unknown>): void {
    const f = this.month(day);
    const cols = Object.keys(value);
    if (f.cols.join() !== cols.join()) {
      // Columns changed (a new field): start the month afresh rather than mislabel values.
      f.cols = cols;
      for (const d of Object.keys(f.days)) this.decoded.delete(d);
      f.days = {};
    }
    const values = cols.map((c) => value[c]);
    f.days[day] = this.packed ? [fp, JSON.stringify(values)] : [fp, ...values];
    this.decoded.delete(day);
    this.dirty.add(day.slice(0, 7));
  }

  flush(): void {
    for (const m of this.dirty) this.write(m);
  }

  private write(m: string): void {
    if (this.dir) writeJsonAtomic(join(this.dir, `${m}.json`), this.months.get(m));
    this.dirty.delete(m);
  }

  private letGo(m: string): void {
    if (this.dirty.has(m)) this.write(m);
    for (const d of Object.keys(this.months.get(m)!.days)) this.decoded.delete(d);
    this.months.delete(m);
  }
}

/** The values of a packed entry (MonthFile), or undefined when they are not a JSON array. */
function unpack(text: unknown): unknown[] | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Months of buckets kept in memory: the dashboard's seven days span at most two. */
const BUCKET_MONTHS_HELD = 3;

/** Rows and buckets of closed days. `dir` null keeps them in memory only; `key` names what they depend on. */
export class DayCache {
  private readonly rowShards: MonthShards;
  private readonly bucketShards: MonthShards;

  constructor(dir: string | null, key: string) {
    const h = shortHash(key);
    // Every cycle reads every month's rows (a few KB a month); buckets only of the days it draws.
    this.rowShards = new MonthShards(dir ? join(dir, `days-${h}`) : null, key, Infinity, false);
    this.bucketShards = new MonthShards(
      dir ? join(dir, `buckets-${h}`) : null,
      key,
      BUCKET_MONTHS_HELD,
      true,
    );
  }

  row(day: string, fp: string): DailyRow | undefined {
    return this.rowShards.get(day, fp) as DailyRow | undefined;
  }

  buckets(day: string, fp: string): DayBuckets | undefined {
    const hit = this.bucketShards.get(day, fp);
    if (!hit) return undefined;
    const { startMs, ...values } = hit as { startMs: number } & DayBuckets["values"];
    return { day, startMs, values };
  }

  set(fp: string, row: DailyRow, buckets: DayBuckets): void {
    this.rowShards.set(row.day, fp, row as unknown as Record<string, unknown>);
    const cols: Record<string, unknown> = { startMs: buckets.startMs };
    for (const c of BUCKET_COLUMNS) cols[c] = buckets.values[c];
    this.bucketShards.set(row.day, fp, cols);
  }

  flush(): void {
    this.rowShards.flush();
    this.bucketShards.flush();
  }
}

export function dropCache(dataDir: string): void {
  rmSync(cacheDir(dataDir), { recursive: true, force: true });
}
