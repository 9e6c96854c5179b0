/**
 * The daily-row cache: rows of closed days with the source fingerprint they were computed from,
 * one JSON file per (source, zone, settings) in DATA_DIR/reports-cache. Written to a temp name and
 * renamed, so a reader never sees half a file. `--rebuild` deletes the folder.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DailyRow } from "./types.ts";

/** Bump when the row computation changes: old caches are then ignored. */
export const ENGINE_VERSION = 3;

export const cacheDir = (dataDir: string) => join(dataDir, "reports-cache");

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined; // missing or torn: recompute
  }
}

export const shortHash = (s: string) => createHash("sha1").update(s).digest("hex").slice(0, 16);

/** One month of rows: `cols` names the values of each `[fingerprint, ...values]` entry (compact to load). */
interface CacheFile {
  version: number;
  key: string;
  cols: string[];
  days: Record<string, unknown[]>;
}

/**
 * Rows sharded by month (`days-<key>/2026-03.json`), loaded on first use: a cycle that asks for
 * this week reads one or two small files, not years of rows.
 */
export class RowCache {
  private readonly dir: string | null;
  private readonly key: string;
  private readonly months = new Map<string, CacheFile>();
  private readonly dirty = new Set<string>();

  /** `dir` null keeps the cache in memory only. `key` names everything the rows depend on. */
  constructor(dir: string | null, key: string) {
    this.key = key;
    this.dir = dir ? join(dir, `days-${shortHash(key)}`) : null;
    if (this.dir) mkdirSync(this.dir, { recursive: true });
  }

  private month(day: string): CacheFile {
    const m = day.slice(0, 7);
    let f = this.months.get(m);
    if (!f) {
      const loaded = this.dir ? readJson<CacheFile>(join(this.dir, `${m}.json`)) : undefined;
      f =
        loaded && loaded.version === ENGINE_VERSION && loaded.key === this.key && Array.isArray(loaded.cols)
          ? loaded
          : { version: ENGINE_VERSION, key: this.key, cols: [], days: {} };
      this.months.set(m, f);
    }
    return f;
  }

  get(day: string, fp: string): DailyRow | undefined {
    const f = this.month(day);
    const hit = f.days[day];
    if (!hit || hit[0] !== fp) return undefined;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < f.cols.length; i++) row[f.cols[i]!] = hit[i + 1];
    return row as unknown as DailyRow;
  }

  set(day: string, fp: string, row: DailyRow): void {
    const f = this.month(day);
    const cols = Object.keys(row);
    if (f.cols.join() !== cols.join()) {
      // Columns changed (a new field): start the month afresh rather than mislabel values.
      f.cols = cols;
      f.days = {};
    }
    f.days[day] = [fp, ...cols.map((c) => (row as unknown as Record<string, unknown>)[c])];
    this.dirty.add(day.slice(0, 7));
  }

  flush(): void {
    if (this.dir)
      for (const m of this.dirty) writeJsonAtomic(join(this.dir, `${m}.json`), this.months.get(m));
    this.dirty.clear();
  }
}

export function dropCache(dataDir: string): void {
  rmSync(cacheDir(dataDir), { recursive: true, force: true });
}
