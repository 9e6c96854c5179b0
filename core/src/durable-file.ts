/**
 * The one way durable files are written: the journal cursor, tokens and state files, the report
 * cache and file indexes, the archive of frozen months and the published site. A temp file in the
 * same folder (a dot file, so nginx never serves it and no reader lists it), fsync, rename over the
 * target, fsync of the folder: after a crash or a power cut the target is the old file or the new
 * one, never half of one and never empty.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

interface DurableOptions {
  /** File mode at creation (e.g. 0o600 for a secret: never readable by others, not even briefly). */
  mode?: number;
}

let serial = 0;
const tempOf = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${++serial}.tmp`);

/** fsync of a folder, so a rename in it survives a power cut (some file systems refuse: then skipped). */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The rename is still atomic; only its durability across a power cut is not promised.
  }
}

/** Writes `data` to `path` durably (see above), creating its folder. */
export function writeFileDurable(path: string, data: string | Uint8Array, opts: DurableOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempOf(path);
  try {
    const fd = openSync(tmp, "w", opts.mode ?? 0o644);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  syncDir(dirname(path));
}

/**
 * fsync of a folder without blocking the event loop: a created, renamed or deleted entry in it is
 * then durable. A file system that refuses fsync on a folder (EINVAL) is let be: the rename is
 * still atomic.
 */
export async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, "r");
  try {
    await h.sync();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EINVAL") throw e;
  } finally {
    await h.close();
  }
}

/** The same, without blocking the event loop (the collector's hot path). */
export async function writeFileDurableAsync(
  path: string,
  data: string | Uint8Array,
  opts: DurableOptions = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempOf(path);
  try {
    const h = await open(tmp, "w", opts.mode ?? 0o644);
    try {
      await h.writeFile(data);
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dirname(path));
}

/**
 * Moves files already written (e.g. by a renderer) into place durably: each is fsynced, then
 * renamed over its target in the order given (callers order them so nothing links to a file not
 * there yet), then each folder touched is fsynced once.
 */
export function moveFilesDurable(moves: readonly { from: string; to: string }[]): void {
  for (const m of moves) {
    const fd = openSync(m.from, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const dirs = new Set<string>();
  for (const m of moves) {
    const dir = dirname(m.to);
    if (!dirs.has(dir)) mkdirSync(dir, { recursive: true });
    dirs.add(dir);
    renameSync(m.from, m.to);
  }
  for (const d of dirs) syncDir(d);
}

/**
 * Writes `value` as JSON to `path` durably. `pretty`: indented with a final newline, for state files
 * people may open (tokens, budget, device ids); compact for caches and indexes.
 */
export function writeJsonAtomic(
  path: string,
  value: unknown,
  opts: DurableOptions & { pretty?: boolean } = {},
): void {
  const text = opts.pretty ? JSON.stringify(value, null, 2) + "\n" : JSON.stringify(value);
  writeFileDurable(path, text, opts.mode === undefined ? {} : { mode: opts.mode });
}

/** The parsed JSON of `path`, or undefined when the file does not exist. Throws SyntaxError on bad JSON. */
export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  return JSON.parse(text) as unknown;
}

/**
 * A cache file's JSON, or undefined when it is missing, unreadable or torn: the caller computes it
 * again (a cache is never the only copy of anything).
 */
export function readCachedJson<T>(path: string): T | undefined {
  try {
    return readJson(path) as T | undefined;
  } catch {
    return undefined;
  }
}
