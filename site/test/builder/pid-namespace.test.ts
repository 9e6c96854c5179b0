/**
 * `npm run builder` killed with `kill -9` in the middle of a build, and restarted in a new PID
 * namespace, as a container restart does: it runs as pid 1 both times, so the lock the killed one
 * left (`SITE_OUT.lock`) names the restarted builder's own pid. That lock is stale, not "another
 * build": the restarted builder takes it over and publishes again within two cycles.
 *
 * Needs `unshare --pid --fork --mount-proc` (util-linux, as root or with CAP_SYS_ADMIN); without it
 * the test fails, naming it, rather than skip.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/simulator/history.ts";

const BUILDER = resolve(import.meta.dirname, "../../builder/loop.ts");
const UNSHARE = ["--pid", "--fork", "--mount-proc"];
const INTERVAL_S = 10;

function requireUnshare(): void {
  const probe = spawnSync("unshare", [...UNSHARE, "true"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `\`unshare ${UNSHARE.join(" ")}\` is missing or not permitted here ` +
        `(${probe.error?.message ?? `exit ${probe.status}: ${probe.stderr.trim()}`}); this test needs it: ` +
        "install util-linux and run the tests as root (or with CAP_SYS_ADMIN)",
    );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, ok: () => boolean, output: () => string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await sleep(5);
  }
}

interface Builder {
  unshare: ChildProcess;
  /** The builder's pid as this test sees it (outside its namespace). */
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm run builder` as pid 1 of a new PID namespace. */
async function startBuilder(env: NodeJS.ProcessEnv): Promise<Builder> {
  const unshare = spawn("unshare", [...UNSHARE, process.execPath, BUILDER], { env, cwd: env.DATA_DIR });
  let out = "";
  unshare.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  unshare.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => unshare.on("exit", (code) => r(code)));
  const output = () => out;
  // unshare forks the namespace's first process, which becomes node.
  const children = `/proc/${unshare.pid}/task/${unshare.pid}/children`;
  const child = () => (existsSync(children) ? readFileSync(children, "utf8").trim() : "");
  await waitFor("unshare's child", () => child() !== "", output, 10_000);
  const pid = Number.parseInt(child(), 10);
  const nsPid = () => /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]!.split(/\s+/);
  expect(nsPid()).toEqual([String(pid), "1"]); // pid 1 inside its namespace
  return { unshare, pid, output, exited };
}

const builds = (b: Builder) => b.output().match(/builder: built /g)?.length ?? 0;
const failures = (b: Builder) => b.output().match(/site build failed/g)?.length ?? 0;

describe("npm run builder in a restarted container", () => {
  it("killed with kill -9 mid-build, restarted as the same pid 1: takes its stale lock over, publishes", async () => {
    requireUnshare();
    const dataDir = mkdtempSync(join(tmpdir(), "site-builder-pidns-"));
    const history = join(dataDir, "history.lp");
    await writeHistory({ days: 2, end: "2026-03-30", seed: 5, out: history, tz: "Europe/Berlin" });
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      LOCAL_SOURCE: history,
      REPORT_TZ: "Europe/Berlin",
      SITE_INTERVAL: String(INTERVAL_S),
    };
    const lock = join(dataDir, "site.lock");
    const index = join(dataDir, "site", "index.html");
    const running: Builder[] = [];
    try {
      // The first builder, stopped (SIGSTOP) while it holds the lock, then killed: a build cut short.
      const first = await startBuilder(env);
      running.push(first);
      for (;;) {
        await waitFor("a build holding the lock", () => existsSync(lock), first.output);
        process.kill(first.pid, "SIGSTOP");
        if (existsSync(lock)) break;
        process.kill(first.pid, "SIGCONT"); // that build ended in between: the next cycle's
      }
      expect(readFileSync(lock, "utf8").trim()).toBe("1");
      process.kill(first.pid, "SIGKILL");
      await first.exited;
      expect(readFileSync(lock, "utf8").trim()).toBe("1"); // left behind, naming pid 1
      const killedAt = Date.now();

      const second = await startBuilder(env);
      running.push(second);
      await waitFor(
        "a build of the restarted builder, or two failed ones",
        () => builds(second) >= 1 || failures(second) >= 2,
        second.output,
        // Start-up, then at most two cycles.
        30_000 + 2 * INTERVAL_S * 1000,
      );
      expect(second.output()).not.toContain("site build failed");
      expect(second.output()).toContain(
        `${lock} names pid 1, this process or its parent (a container restarted after its site builder was ` +
          "killed); took the lock over",
      );
      expect(builds(second)).toBeGreaterThanOrEqual(1);
      expect(statSync(index).mtimeMs).toBeGreaterThan(killedAt); // published again

      process.kill(second.pid, "SIGTERM");
      expect(await second.exited).toBe(0);
      expect(existsSync(lock)).toBe(false);
    } finally {
      for (const b of running) {
        if (b.unshare.exitCode === null && b.unshare.signalCode === null) {
          try {
            process.kill(b.pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
        await b.exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
