/**
 * One collector per DATA_DIR: `DATA_DIR/collector.lock` holds the pid of the collector using it.
 * Two collectors on one directory would interleave journal segments and cursor updates, cut each
 * other's "torn" last line at open, and spend each other's rotating Viessmann refresh token.
 *
 * - Taken atomically: a temp file holding the pid is hard-linked to the lock name, which fails with
 *   EEXIST like `wx` (O_CREAT|O_EXCL) does, so of two starters one wins.
 * - A lock whose pid is not alive is stale (the holder was killed, e.g. SIGKILL or OOM) and is
 *   taken over with a log line. A zombie counts as not alive: a killed collector stays one until
 *   its parent reaps it (right after `kill -9` of a process group, or under a parent that never
 *   waits), yet `kill(pid, 0)` still finds it. So is one holding our own pid or our parent's: in a restarted
 *   container the old holder's pid is reused by this process tree, never by another collector.
 * - Released on exit: `release()` on every normal path, and an `exit` hook for `process.exit`;
 *   only a lock still holding our pid is removed.
 */
import { readFileSync, rmSync } from "node:fs";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "./effects.ts";

export const LOCK_FILE = "collector.lock";

/** Another live collector holds the lock: the caller stops with this message (exit 2). */
export class DataDirBusyError extends Error {
  readonly pid: number;
  constructor(dataDir: string, pid: number) {
    super(
      `DATA_DIR ${dataDir} is in use by another collector (pid ${pid}, see ${join(dataDir, LOCK_FILE)}); ` +
        "stop that one first (e.g. `docker compose stop collector`), or give this one its own DATA_DIR",
    );
    this.name = "DataDirBusyError";
    this.pid = pid;
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export interface LockOptions {
  logger: Logger;
  /** This process (default process.pid); tests pass others. */
  pid?: number;
  /** Pids that count as "us" when found in a lock (default: process.pid and process.ppid). */
  ownPids?: readonly number[];
}

/**
 * The state letter of a process from `/proc/<pid>/stat` (Linux): `Z` zombie, `X` dead, `R`, `S`,
 * ... The field after the command name in parentheses, which may itself hold ")" and spaces.
 */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ", 1)[0];
  } catch {
    return undefined; // no /proc (not Linux), or the process is gone
  }
}

/**
 * Whether a process with this pid runs: it exists (EPERM: it exists but belongs to another user)
 * and is not a zombie (it exited and only waits to be reaped; it holds no files and does nothing).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const state = procState(pid);
  return state !== "Z" && state !== "X";
}

/** Creates the lock holding `pid`, or false if it exists. Via link(2) of a written temp file, so
 * the lock never exists without its pid (a half-written lock would look stale to another starter). */
async function create(path: string, pid: number): Promise<boolean> {
  const tmp = `${path}.${pid}.tmp`;
  try {
    await writeFile(tmp, `${pid}\n`, { encoding: "utf8", mode: 0o644 });
    await link(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** The pid in the lock file: undefined if it is gone, NaN if garbled (written by hand?). */
async function readPid(path: string): Promise<number | undefined> {
  try {
    return Number.parseInt(await readFile(path, "utf8"), 10);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * Takes the lock of `dataDir` (which must exist) or throws DataDirBusyError. File system errors
 * (EACCES, ENOTDIR, EROFS, ENOSPC) are thrown as they are, for the caller to name DATA_DIR or wait
 * for space.
 */
export async function lockDataDir(dataDir: string, opts: LockOptions): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  const pid = opts.pid ?? process.pid;
  const own = opts.ownPids ?? [process.pid, process.ppid];
  // Two rounds: the second follows a stale lock we removed (or one released meanwhile).
  for (let round = 0; round < 2; round++) {
    if (await create(path, pid)) {
      const onExit = () => {
        try {
          if (Number.parseInt(readFileSync(path, "utf8"), 10) === pid) rmSync(path);
        } catch {
          // already gone
        }
      };
      process.once("exit", onExit);
      return {
        path,
        release() {
          process.off("exit", onExit);
          onExit();
        },
      };
    }
    const holder = await readPid(path);
    if (holder === undefined) continue; // released meanwhile
    if (Number.isInteger(holder) && holder > 0 && !own.includes(holder) && isAlive(holder))
      throw new DataDirBusyError(dataDir, holder);
    const why = own.includes(holder)
      ? "this process or its parent (a container restarted after its collector was killed)"
      : "which is not running (a collector that was killed)";
    opts.logger.warn(
      `collector: ${path} names pid ${Number.isNaN(holder) ? "(none)" : holder}, ${why}; taking the lock over`,
    );
    // Only the stale content is removed: if another starter replaced it meanwhile, keep theirs.
    if (Object.is(await readPid(path), holder))
      await unlink(path).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "ENOENT") throw e;
      });
  }
  throw new DataDirBusyError(dataDir, (await readPid(path)) ?? Number.NaN);
}
