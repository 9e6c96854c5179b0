import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../src/effects.ts";
import { DataDirBusyError, isAlive, LOCK_FILE, lockDataDir, takeLock } from "../src/lock.ts";

let dir: string;
let lockFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "collector-lock-"));
  lockFile = join(dir, LOCK_FILE);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Two live pids that are not "us" for the lock: this process and its parent, with ownPids empty.
const LIVE_A = process.pid;
const LIVE_B = process.ppid;
/** A pid that is certainly not running: a child that has exited (and been reaped). */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;
/** Another live process (`sleep`), killed when the test ends. */
async function withSleeper<T>(body: (pid: number) => Promise<T>): Promise<T> {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  await once(child, "spawn");
  try {
    return await body(child.pid!);
  } finally {
    child.kill("SIGKILL");
  }
}

describe("DATA_DIR lock", () => {
  it("holds the pid, refuses a second holder naming pid and directory, and is released", async () => {
    const logger = memoryLogger();
    const lock = await lockDataDir(dir, { logger, pid: LIVE_A, ownPids: [] });
    expect(await readFile(lockFile, "utf8")).toBe(`${LIVE_A}\n`);

    const second = lockDataDir(dir, { logger, pid: LIVE_B, ownPids: [] });
    await expect(second).rejects.toBeInstanceOf(DataDirBusyError);
    await expect(second).rejects.toMatchObject({
      pid: LIVE_A,
      message: expect.stringContaining(`DATA_DIR ${dir} is in use by another collector (pid ${LIVE_A}`),
    });
    expect(await readFile(lockFile, "utf8")).toBe(`${LIVE_A}\n`); // untouched

    lock.release();
    expect(existsSync(lockFile)).toBe(false);
    (await lockDataDir(dir, { logger, pid: LIVE_B, ownPids: [] })).release();
    expect(logger.lines).toEqual([]);
    expect(await readdir(dir)).toEqual([]); // no temp file left behind
  });

  it("of two starters at once exactly one wins", async () => {
    const logger = memoryLogger();
    const results = await Promise.allSettled([
      lockDataDir(dir, { logger, pid: LIVE_A, ownPids: [] }),
      lockDataDir(dir, { logger, pid: LIVE_B, ownPids: [] }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected")!;
    expect(lost.reason).toBeInstanceOf(DataDirBusyError);
    expect(logger.lines).toEqual([]);
  });

  it("takes over a lock whose pid is not running, with a log line", async () => {
    const dead = deadPid();
    expect(isAlive(dead)).toBe(false);
    await writeFile(lockFile, `${dead}\n`);
    const logger = memoryLogger();
    const lock = await lockDataDir(dir, { logger, pid: LIVE_A, ownPids: [] });
    expect(await readFile(lockFile, "utf8")).toBe(`${LIVE_A}\n`);
    expect(logger.lines.join("\n")).toContain(`names pid ${dead}, which is not running`);
    lock.release();
  });

  it("takes over a lock whose process is a zombie (killed, not yet reaped by its parent)", async () => {
    // sh starts a child that exits shortly, and has meanwhile become `sleep 30`, which never reaps
    // it: a zombie until the test ends.
    const parent = spawn("sh", ["-c", "sleep 0.2 & echo $!; exec sleep 30"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    try {
      const [out] = (await once(parent.stdout!, "data")) as [Buffer];
      const zombie = Number.parseInt(out.toString(), 10);
      let state = "";
      for (let i = 0; i < 300 && state !== "Z"; i++) {
        await new Promise((r) => setTimeout(r, 10));
        const stat = readFileSync(`/proc/${zombie}/stat`, "utf8");
        state = stat.slice(stat.lastIndexOf(")") + 2)[0]!;
      }
      expect(state).toBe("Z"); // the precondition: kill(pid, 0) still succeeds for it
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isAlive(zombie)).toBe(false);
      await writeFile(lockFile, `${zombie}\n`);
      const logger = memoryLogger();
      const lock = await lockDataDir(dir, { logger, pid: LIVE_A, ownPids: [] });
      expect(await readFile(lockFile, "utf8")).toBe(`${LIVE_A}\n`);
      expect(logger.lines.join("\n")).toContain(`names pid ${zombie}, which is not running`);
      lock.release();
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("takes over a lock naming this process or its parent (a restarted container reuses pids)", async () => {
    for (const stale of [process.pid, process.ppid]) {
      await writeFile(lockFile, `${stale}\n`);
      const logger = memoryLogger();
      const lock = await lockDataDir(dir, { logger, pid: process.pid });
      expect(await readFile(lockFile, "utf8")).toBe(`${process.pid}\n`);
      expect(logger.lines.join("\n")).toContain(`names pid ${stale}, this process or its parent`);
      lock.release();
    }
  });

  it("takes over a garbled lock", async () => {
    await writeFile(lockFile, "");
    const logger = memoryLogger();
    const lock = await lockDataDir(dir, { logger, pid: LIVE_A, ownPids: [] });
    expect(await readFile(lockFile, "utf8")).toBe(`${LIVE_A}\n`);
    expect(logger.lines.join("\n")).toContain("names pid (none)");
    lock.release();
  });

  it("release leaves a lock that another collector has taken over since", async () => {
    const logger = memoryLogger();
    const lock = await lockDataDir(dir, { logger, pid: LIVE_A, ownPids: [] });
    await writeFile(lockFile, `${LIVE_B}\n`);
    lock.release();
    expect(await readFile(lockFile, "utf8")).toBe(`${LIVE_B}\n`);
  });

  it("passes file system errors through for the caller to name DATA_DIR", async () => {
    await writeFile(join(dir, "file"), "");
    await expect(lockDataDir(join(dir, "file"), { logger: memoryLogger() })).rejects.toMatchObject({
      code: "ENOTDIR",
    });
  });

  it("refuses a lock of another live process, with the default pids counted as ours", async () => {
    await withSleeper(async (sleeper) => {
      await writeFile(lockFile, `${sleeper}\n`);
      const logger = memoryLogger();
      await expect(lockDataDir(dir, { logger })).rejects.toMatchObject({
        name: "DataDirBusyError",
        pid: sleeper,
        message: expect.stringContaining(`is in use by another collector (pid ${sleeper}, see ${lockFile})`),
      });
      expect(await readFile(lockFile, "utf8")).toBe(`${sleeper}\n`);
      expect(logger.lines).toEqual([]);
    });
  });

  it("refuses a lock this process holds, although it names our own pid", async () => {
    const lock = await lockDataDir(dir, { logger: memoryLogger() });
    await expect(lockDataDir(dir, { logger: memoryLogger() })).rejects.toMatchObject({ pid: process.pid });
    expect(await readFile(lockFile, "utf8")).toBe(`${process.pid}\n`);
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it("names the program, and throws its own error, for any lock file", async () => {
    const path = join(dir, "site.lock");
    const spec = { path, program: "site builder", busy: (pid: number) => new Error(`busy ${pid}`) };
    const dead = deadPid();
    await writeFile(path, `${dead}\n`);
    const logger = memoryLogger();
    const lock = await takeLock(spec, { logger, pid: LIVE_A, ownPids: [] });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain(
      `warn  ${path} names pid ${dead}, which is not running (a site builder that was killed); took the lock over`,
    );
    await expect(takeLock(spec, { logger, pid: LIVE_B, ownPids: [] })).rejects.toThrow(`busy ${LIVE_A}`);
    lock.release();
  });

  it("of three starters taking over one stale lock at once exactly one wins, round after round", async () => {
    const dead = deadPid();
    await withSleeper(async (third) => {
      for (let round = 0; round < 100; round++) {
        await writeFile(lockFile, `${dead}\n`);
        const logger = memoryLogger();
        const pids = [LIVE_A, LIVE_B, third];
        // Each starter pauses a different while (0-2 ms, turn by turn) right before it replaces the
        // stale lock, so the rounds try different orders.
        const pause = (i: number) => () => new Promise<void>((r) => setTimeout(r, (round + i) % 3));
        const results = await Promise.allSettled(
          pids.map((pid, i) => lockDataDir(dir, { logger, pid, ownPids: [], beforeReplace: pause(i) })),
        );
        const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [pids[i]] : []));
        expect({ round, won: won.length }).toEqual({ round, won: 1 });
        for (const r of results)
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(DataDirBusyError);
        expect(await readFile(lockFile, "utf8")).toBe(`${won[0]}\n`);
        expect(logger.lines.filter((l) => l.includes("took the lock over"))).toHaveLength(1);
        for (const r of results) if (r.status === "fulfilled") r.value.release();
        expect(await readdir(dir)).toEqual([]); // no claim or temp file left behind
      }
    });
  });

  it("a starter held between judging the lock stale and replacing it: the other is refused", async () => {
    await writeFile(lockFile, `${deadPid()}\n`);
    const logger = memoryLogger();
    // A stops right before it replaces the stale lock, until B has tried everything it tries.
    let b: Promise<unknown> = Promise.resolve();
    const a = lockDataDir(dir, {
      logger,
      pid: LIVE_A,
      ownPids: [],
      beforeReplace: async () => {
        b = lockDataDir(dir, { logger, pid: LIVE_B, ownPids: [] });
        await b.catch(() => undefined);
      },
    });
    const lockA = await a;
    await expect(b).rejects.toMatchObject({ name: "DataDirBusyError", pid: LIVE_A });
    expect(await readFile(lockFile, "utf8")).toBe(`${LIVE_A}\n`);
    lockA.release();
  });

  it("a claim left by a starter killed while taking over does not block the lock; a live one does", async () => {
    const dead = deadPid();
    await writeFile(lockFile, `${dead}\n`);
    const claim = `${lockFile}.takeover-${statSync(lockFile).ino}-0`;
    await withSleeper(async (claimer) => {
      await writeFile(claim, `${claimer}\n`); // taking it over right now
      await expect(
        lockDataDir(dir, { logger: memoryLogger(), pid: LIVE_A, ownPids: [] }),
      ).rejects.toMatchObject({
        pid: claimer,
      });
    });
    await writeFile(claim, `${deadPid()}\n`); // killed in the middle
    const logger = memoryLogger();
    const lock = await lockDataDir(dir, { logger, pid: LIVE_A, ownPids: [] });
    expect(await readFile(lockFile, "utf8")).toBe(`${LIVE_A}\n`);
    expect(logger.lines.join("\n")).toContain(`names pid ${dead}, which is not running`);
    lock.release();
    expect(await readdir(dir)).toEqual([]);
  });
});
