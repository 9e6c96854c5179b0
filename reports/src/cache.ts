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
export const ENGINE_VERSION = 1;

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

interface CacheFile {
  version: number;
  key: string;
  days: Record<string, { fp: string; row: DailyRow }>;
}

export class RowCache {
  private readonly file: string | null;
  private readonly key: string;
  private data: CacheFile;
  private dirty = false;

  /** `dir` null keeps the cache in memory only. `key` names everything the rows depend on. */
  constructor(dir: string | null, key: string) {
    this.key = key;
    this.file = dir ? join(dir, `days-${shortHash(key)}.json`) : null;
    const loaded = this.file ? readJson<CacheFile>(this.file) : undefined;
    this.data =
      loaded && loaded.version === ENGINE_VERSION && loaded.key === key
        ? loaded
        : { version: ENGINE_VERSION, key, days: {} };
    if (dir) mkdirSync(dir, { recursive: true });
  }

  get(day: string, fp: string): DailyRow | undefined {
    const hit = this.data.days[day];
    return hit && hit.fp === fp ? hit.row : undefined;
  }

  set(day: string, fp: string, row: DailyRow): void {
    this.data.days[day] = { fp, row };
    this.dirty = true;
  }

  flush(): void {
    if (!this.dirty || !this.file) return;
    writeJsonAtomic(this.file, this.data);
    this.dirty = false;
  }
}

export function dropCache(dataDir: string): void {
  rmSync(cacheDir(dataDir), { recursive: true, force: true });
}
