/**
 * One process per lock file, for the collector (`DATA_DIR/collector.lock`: two collectors on one
 * directory would interleave journal segments and cursor updates, cut each other's "torn" last line
 * at open, and spend each other's rotating Viessmann refresh token) and the site builder
 * (`SITE_OUT.lock`: two builds would publish over each other). The file holds the holder's pid.
 *
 * - Taken atomically: a temp file holding the pid is hard-linked to the lock name, which fails with
 *   EEXIST like `wx` (O_CREAT|O_EXCL) does, so of two starters one wins. The lock never exists
 *   without its pid (a half-written lock would look stale to another starter).
 * - A lock whose pid is not alive is stale (the holder was killed, e.g. SIGKILL or OOM) and is
 *   taken over with a log line. A zombie counts as not alive: a killed holder stays one until its
 *   parent reaps it (right after `kill -9` of a process group, or under a parent that never waits),
 *   yet `kill(pid, 0)` still finds it. So is one holding our own pid or our parent's, unless this
 *   process holds that lock now: in a restarted container (a new PID namespace) the old holder's pid
 *   is reused by this process tree, never by another holder.
 * - Taken over atomically. Reading a stale pid and then unlinking the file races: two starters both
 *   read it, A unlinks and creates its lock, B unlinks A's fresh lock and creates its own, and both
 *   run. Instead a stale lock is replaced in place (a temp file renamed over it, so the name is never
 *   empty for a third starter to fill), and only by the one starter that claimed that very file: the
 *   claim is `<lock>.takeover-<inode>-<n>`, created exclusively (link, as above), so of the starters
 *   that judged the same file stale exactly one holds it. Under its claim the winner checks that the
 *   lock is still that inode and still stale, then renames. A later starter that read the old file
 *   finds another inode (or the claim taken) and reads the lock again. A claim whose claimer died
 *   before renaming (killed in that instant) would block its inode for good, so the next starter
 *   claims number n+1 instead, after finding claim n's pid not alive by the same rules: claims of
 *   one inode are taken in order, and one proceeds only when every claim before its own is dead.
 *   Lock files are never rewritten in place, so an inode's pid is fixed, and a claim keeps its name
 *   unique while it exists.
 * - Released on exit: `release()` on every normal path, and an `exit` hook for `process.exit`;
 *   only a lock still holding our file is removed.
 *
 * Pids are only compared within one PID namespace: two containers sharing the folder of a lock do
 * not see each other's processes, so they must not share a lock.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, statSync } from "node:fs";
import { link, open, rename, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
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

/** What a lock guards, for its messages. */
interface LockSpec {
  /** The lock file; its folder must exist. */
  path: string;
  /** The program that takes it, as the takeover's log line names it: "collector", "site builder". */
  program: string;
  /** The error thrown when a live process holds it: names the program, the pid and what to do. */
  busy(pid: number): Error;
}

export interface ProcessLock {
  readonly path: string;
  release(): void;
}
export type DataDirLock = ProcessLock;

interface LockOptions {
  logger: Logger;
  /** This process (default process.pid); tests pass others. */
  pid?: number;
  /** Pids that count as "us" when found in a lock (default: process.pid and process.ppid). */
  ownPids?: readonly number[];
  /** Runs after a stale lock was read for the last time, right before it is replaced: tests hold a starter there. */
  beforeReplace?: () => Promise<void>;
}

/** Locks and claims this process holds (absolute paths): a pid of ours in them is not stale. */
const heldHere = new Set<string>();

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

const ignoreMissing = (e: NodeJS.ErrnoException) => {
  if (e.code !== "ENOENT") throw e;
};

/** A new file beside `path` holding `pid`, and its inode. */
async function tempWith(path: string, pid: number): Promise<{ tmp: string; ino: number }> {
  const tmp = `${path}.${pid}-${randomBytes(4).toString("hex")}.tmp`;
  const h = await open(tmp, "wx", 0o644);
  try {
    await h.writeFile(`${pid}\n`, "utf8");
    return { tmp, ino: (await h.stat()).ino };
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  } finally {
    await h.close();
  }
}

/** Creates `path` holding `pid` (its inode), or undefined if it exists. */
async function create(path: string, pid: number): Promise<number | undefined> {
  const { tmp, ino } = await tempWith(path, pid);
  try {
    await link(tmp, path);
    return ino;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** The pid in a lock file (NaN if garbled: written by hand?) and its inode; undefined if it is gone. */
async function readLock(path: string): Promise<{ pid: number; ino: number } | undefined> {
  try {
    const h = await open(path, "r");
    try {
      const [stat, text] = await Promise.all([h.stat(), h.readFile("utf8")]);
      return { pid: Number.parseInt(text, 10), ino: stat.ino };
    } finally {
      await h.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

interface Judge {
  path: string;
  program: string;
  own: readonly number[];
  beforeReplace?: () => Promise<void>;
}

/** Why the pid in `file` no longer holds it, or null if a live process does. */
function staleness(file: string, holder: number, j: Judge): string | null {
  if (!Number.isInteger(holder) || holder <= 0)
    return `which is not running (a ${j.program} that was killed)`;
  if (j.own.includes(holder))
    return heldHere.has(resolve(file))
      ? null
      : `this process or its parent (a container restarted after its ${j.program} was killed)`;
  return isAlive(holder) ? null : `which is not running (a ${j.program} that was killed)`;
}

type Takeover = { taken: number } | { busy: number } | "changed";

/**
 * Replaces the stale lock `seen` (its pid and inode) by one holding `pid`, under a claim on that
 * inode (see the top of this file). "changed": the lock is not that file any more; read it again.
 */
async function takeOver(seen: { pid: number; ino: number }, pid: number, j: Judge): Promise<Takeover> {
  const dead: string[] = [];
  for (let n = 0; ; n++) {
    const claim = `${j.path}.takeover-${seen.ino}-${n}`;
    if ((await create(claim, pid)) === undefined) {
      const claimer = await readLock(claim);
      if (!claimer) return "changed"; // removed by its claimer, who has replaced the lock
      if (staleness(claim, claimer.pid, j) === null) return { busy: claimer.pid };
      dead.push(claim);
      continue;
    }
    heldHere.add(resolve(claim));
    try {
      const now = await readLock(j.path);
      if (!now || now.ino !== seen.ino) return "changed";
      if (staleness(j.path, now.pid, j) === null) return { busy: now.pid };
      await j.beforeReplace?.();
      const { tmp, ino } = await tempWith(j.path, pid);
      try {
        await rename(tmp, j.path);
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        throw e;
      }
      return { taken: ino };
    } finally {
      heldHere.delete(resolve(claim));
      for (const c of [claim, ...dead]) await unlink(c).catch(ignoreMissing);
    }
  }
}

/** The lock at `path`, just taken (its file is inode `ino`), released on exit at the latest. */
function holding(path: string, pid: number, ino: number): ProcessLock {
  const key = resolve(path);
  heldHere.add(key);
  const onExit = () => {
    heldHere.delete(key);
    try {
      if (statSync(path).ino === ino && Number.parseInt(readFileSync(path, "utf8"), 10) === pid) rmSync(path);
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

/**
 * Takes the lock `spec.path` or throws `spec.busy(pid)` naming the live holder. File system errors
 * (EACCES, ENOTDIR, EROFS, ENOSPC) are thrown as they are, for the caller to name the folder or
 * wait for space.
 */
export async function takeLock(spec: LockSpec, opts: LockOptions): Promise<ProcessLock> {
  const pid = opts.pid ?? process.pid;
  const judge: Judge = {
    path: spec.path,
    program: spec.program,
    own: opts.ownPids ?? [process.pid, process.ppid],
    beforeReplace: opts.beforeReplace,
  };
  let holder = Number.NaN;
  // A few rounds: each follows a lock that changed under us (released, or taken over by another).
  for (let round = 0; round < 4; round++) {
    const created = await create(spec.path, pid);
    if (created !== undefined) return holding(spec.path, pid, created);
    const seen = await readLock(spec.path);
    if (!seen) continue; // released meanwhile
    holder = seen.pid;
    const why = staleness(spec.path, seen.pid, judge);
    if (why === null) throw spec.busy(seen.pid);
    const outcome = await takeOver(seen, pid, judge);
    if (outcome === "changed") continue;
    if ("busy" in outcome) throw spec.busy(outcome.busy);
    opts.logger.warn(
      `${spec.path} names pid ${Number.isNaN(seen.pid) ? "(none)" : seen.pid}, ${why}; took the lock over`,
    );
    return holding(spec.path, pid, outcome.taken);
  }
  throw spec.busy(holder);
}

/**
 * Takes `DATA_DIR/collector.lock` (`dataDir` must exist) or throws DataDirBusyError. Its log lines
 * start with "collector:", like the collector's others.
 */
export function lockDataDir(dataDir: string, opts: LockOptions): Promise<DataDirLock> {
  const spec = {
    path: join(dataDir, LOCK_FILE),
    program: "collector",
    busy: (pid: number) => new DataDirBusyError(dataDir, pid),
  };
  return takeLock(spec, { ...opts, logger: opts.logger.child("collector") });
}
