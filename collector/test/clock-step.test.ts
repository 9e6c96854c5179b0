/**
 * A wall clock stepped under a running collector: the real process (`node collector/src/main.ts`)
 * against the fake Pro 3EM at a 1 s interval, with a preload (fakes/shifted-clock.ts) that shifts
 * `Date.now()` and `new Date()` by an offset the test rewrites. Set back one hour mid-run, the
 * collector goes on polling every second, says so once, and stamps nothing while the clock is new.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, expect, it } from "vitest";
import { parseLine } from "../../core/src/data/line-protocol.ts";
import { type FakeShelly, startFakeShelly } from "./fakes/shelly-server.ts";

const MAIN = resolve(import.meta.dirname, "../src/main.ts");
const PRELOAD = pathToFileURL(resolve(import.meta.dirname, "fakes/shifted-clock.ts")).href;
const HOUR = 3_600_000;

let dataDir: string;
let shelly: FakeShelly;
let child: ChildProcess | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "collector-clock-"));
  shelly = await startFakeShelly({ profile: "triphase" });
});
afterEach(async () => {
  if (child?.exitCode === null) child.kill("SIGKILL");
  await shelly.close();
  await rm(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const statusReads = () => shelly.calls.filter((c) => c.path.startsWith("/rpc/Shelly.GetStatus")).length;

it("polls on at its interval when the wall clock is set back an hour, and stamps nothing meanwhile", async () => {
  const offsetFile = join(dataDir, "clock-offset");
  await writeFile(offsetFile, "0");
  child = spawn(process.execPath, ["--import", PRELOAD, MAIN], {
    env: {
      PATH: process.env.PATH,
      TZ: "UTC",
      DATA_DIR: dataDir,
      SHELLY_URL: shelly.url,
      SHELLY_INTERVAL: "1",
      SHIFTED_CLOCK_FILE: offsetFile,
    },
    cwd: dataDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((r) => child!.on("exit", (code) => r(code)));

  for (let i = 0; i < 150 && statusReads() < 3; i++) await sleep(100);
  expect(statusReads(), output.join("")).toBeGreaterThanOrEqual(3);
  const steppedAt = Date.now(); // the test's own clock is not shifted
  await writeFile(offsetFile, String(-HOUR));
  await sleep(300); // the preload reads the file every 20 ms; a poll in flight may end meanwhile
  const before = statusReads();
  // Polled every second, not a wall-clock hour later: three polls are due within 3-4 s; waiting up
  // to 15 s leaves a loaded machine room, while a stopped poller still fails (its next poll is an
  // hour away).
  for (let i = 0; i < 150 && statusReads() - before < 3; i++) await sleep(100);
  expect(statusReads() - before, output.join("")).toBeGreaterThanOrEqual(3);
  // The log line is written as a poll sees the step; on a loaded machine it may trail the polls.
  for (let i = 0; i < 150 && !/clock: the wall clock stepped/.test(output.join("")); i++) await sleep(100);

  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  const text = output.join("");
  expect(text.match(/clock: the wall clock stepped back by 1 h/g), text).toHaveLength(1);
  const stamps: number[] = [];
  for (const f of (await readdir(join(dataDir, "journal"))).filter((n) => n.endsWith(".lp")))
    for (const l of (await readFile(join(dataDir, "journal", f), "utf8")).split("\n").filter(Boolean)) {
      const p = parseLine(l)!;
      if (p.measurement === "electric") stamps.push(p.timeMs);
    }
  expect(stamps.length).toBeGreaterThanOrEqual(3);
  // Everything journaled was read before the step and carries the real time; the 2 min of steady
  // clock it takes to accept the new time are not over, so no reading carries it.
  for (const t of stamps) expect(t).toBeLessThan(steppedAt + 1000);
  for (const t of stamps) expect(t).toBeGreaterThan(steppedAt - 60_000);
});
