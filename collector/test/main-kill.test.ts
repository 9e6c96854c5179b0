/**
 * kill -9 test: the real collector (`node collector/src/main.ts`) runs as a child process against the
 * fake Pro 3EM and the fake InfluxDB at a 1 s interval; InfluxDB goes down so a backlog builds up,
 * the collector is SIGKILLed, InfluxDB comes back, the collector restarts. Every point that was
 * durable at the kill arrives, byte for byte (so with its original timestamp), before the points of
 * the new run; a re-sent point is an identical line (same series and timestamp, which InfluxDB
 * overwrites). The killed collector's DATA_DIR lock is taken over; a second collector started beside
 * a running one stops with exit 2. Stop signals: a second one while stopping is ignored (one Ctrl-C
 * under npm arrives twice), a third exits at once and the journal keeps what was unsent.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { parseLine } from "../../core/src/data/line-protocol.ts";
import { expectDelivered } from "./delivery.ts";
import { type FakeInflux, startFakeInflux } from "./fakes/influx-server.ts";
import { type FakeShelly, startFakeShelly } from "./fakes/shelly-server.ts";

const MAIN = resolve(import.meta.dirname, "../src/main.ts");
let dataDir: string;
let shelly: FakeShelly;
let influx: FakeInflux;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "collector-kill-"));
  shelly = await startFakeShelly({ profile: "triphase", password: "kill-test-pw" });
  influx = await startFakeInflux({ token: "kill-test-token" });
});
afterEach(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await shelly.close();
  await influx.close();
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * Starts `node collector/src/main.ts args`. With `unreapedBy: "sleep"` it runs under a shell that
 * then becomes `sleep`, a parent that never reaps it: killed, it stays a zombie (as under a
 * supervisor that has not reaped yet). `child` is then the shell, and `pid` the collector's.
 */
function startCollector(
  args: string[] = [],
  opts: { unreapedBy?: "sleep" } = {},
): {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  pid: Promise<number>;
} {
  const command: [string, string[]] = opts.unreapedBy
    ? ["sh", ["-c", `"$0" "$1" & echo "pid $!"; exec sleep 120`, process.execPath, MAIN]]
    : [process.execPath, [MAIN, ...args]];
  const child = spawn(command[0], command[1], {
    env: {
      PATH: process.env.PATH,
      TZ: "UTC",
      DATA_DIR: dataDir,
      SHELLY_URL: shelly.url,
      SHELLY_PASSWORD: "kill-test-pw",
      SHELLY_INTERVAL: "1",
      INFLUX_URL: influx.url,
      INFLUX_TOKEN: "kill-test-token",
      INFLUX_ORG: "home",
      INFLUX_BUCKET: "heatpump",
      INFLUX_FLUSH_INTERVAL: "1",
    },
    cwd: dataDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const output: string[] = [];
  let gotPid!: (pid: number) => void;
  const pid = new Promise<number>((r) => (gotPid = r));
  if (!opts.unreapedBy) gotPid(child.pid!);
  child.stdout!.on("data", (d: Buffer) => {
    const text = d.toString();
    const m = /^pid (\d+)$/m.exec(text);
    if (m) gotPid(Number(m[1]));
    output.push(text);
  });
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, output, exited, pid };
}

/** The state letter of a process in /proc (`Z` for a zombie). */
const procState = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2)[0];
};

async function waitFor(
  cond: () => boolean | Promise<boolean>,
  what: string,
  output: string[],
): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; collector output:\n${output.join("")}`);
}

/** Complete lines in the journal now (a trailing partial line is not durable data yet). */
async function journalLines(): Promise<string[]> {
  const dir = join(dataDir, "journal");
  const lines: string[] = [];
  for (const f of (await readdir(dir)).filter((n) => n.endsWith(".lp")).sort()) {
    const text = await readFile(join(dir, f), "utf8").catch(() => ""); // deleted meanwhile = sent
    lines.push(
      ...text
        .slice(0, text.lastIndexOf("\n") + 1)
        .split("\n")
        .filter(Boolean),
    );
  }
  return lines;
}

const electricCount = () => influx.lines.filter((l) => l.startsWith("electric,")).length;

it("loses no point and changes no timestamp when killed with SIGKILL mid-run", async () => {
  const a = startCollector();
  await waitFor(() => electricCount() >= 2, "the first points in InfluxDB", a.output);
  await influx.setMode("down");
  const sentBefore = influx.lines.length;
  await waitFor(async () => (await journalLines()).length >= 6, "a backlog in the journal", a.output);

  // What was collected (durable) at the kill: the journal now, plus what InfluxDB already has.
  // Journal first: a line acknowledged and deleted after this read is in influx.lines, read after.
  const journaled = await journalLines();
  const collected = new Set([...journaled, ...influx.lines]);
  a.child.kill("SIGKILL");
  expect(await a.exited).toBeNull(); // killed, no clean shutdown
  expect(influx.lines.length).toBe(sentBefore); // nothing reached InfluxDB while it was down

  await influx.setMode("up");
  const restartMs = Date.now();
  const b = startCollector();
  await waitFor(
    () => influx.lines.some((l) => l.startsWith("electric,") && parseLine(l)!.timeMs > restartMs),
    "points of the restarted collector",
    b.output,
  );
  b.child.kill("SIGTERM");
  expect(await b.exited).toBe(0);

  const received = influx.lines;
  // No point lost, byte for byte (same fields, same poll timestamp); duplicates only as identical
  // lines, which InfluxDB overwrites (same series + timestamp).
  expectDelivered([...collected], received);
  // The backlog went out in order, before the new run's points.
  const lastBacklog = Math.max(...[...collected].map((l) => received.indexOf(l)));
  const firstNew = received.findIndex((l) => parseLine(l)!.timeMs > restartMs);
  expect(lastBacklog).toBeLessThan(firstNew);
  const backlogTimes = journaled.filter((l) => l.startsWith("electric,")).map((l) => parseLine(l)!.timeMs);
  expect(backlogTimes).toEqual([...backlogTimes].sort((x, y) => x - y));
  // After the clean stop everything is acknowledged: no unsent line is left in the journal.
  expect(await journalLines()).toEqual([]);
  expect(b.output.join("")).not.toMatch(/kill-test-(pw|token)/);
  // The killed collector's lock was stale: taken over with a log line, released at the clean stop.
  expect(b.output.join("")).toContain(`names pid ${a.child.pid}, which is not running`);
  expect(existsSync(join(dataDir, "collector.lock"))).toBe(false);
}, 60_000);

it(
  "restarts right after kill -9 while the killed collector is still a zombie: " +
    "lock taken over, nothing lost",
  async () => {
    const a = startCollector([], { unreapedBy: "sleep" });
    const pid = await a.pid;
    await waitFor(() => electricCount() >= 2, "the first points in InfluxDB", a.output);
    await influx.setMode("down");
    await waitFor(async () => (await journalLines()).length >= 6, "a backlog in the journal", a.output);
    const journaled = await journalLines();
    const collected = [...new Set([...journaled, ...influx.lines])];
    process.kill(pid, "SIGKILL");
    await waitFor(() => procState(pid) === "Z", "the killed collector to be a zombie", a.output);

    await influx.setMode("up");
    const b = startCollector();
    // Started (the lock taken over) before it is stopped: a signal during Node's start-up kills it.
    await waitFor(
      () => b.output.join("").includes(`names pid ${pid}, which is not running`),
      "the restarted collector to take the lock over",
      b.output,
    );
    await waitFor(() => influx.lines.length >= collected.length, "the backlog in InfluxDB", b.output);
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
    expect(procState(pid)).toBe("Z"); // still unreaped: it was taken over as a zombie
    expectDelivered(collected, influx.lines);
    expect(await journalLines()).toEqual([]);
  },
  60_000,
);

it(
  "a second collector on the same DATA_DIR stops at start naming the first; " +
    "the lock goes with the first",
  async () => {
    const lockFile = join(dataDir, "collector.lock");
    const a = startCollector();
    await waitFor(() => existsSync(lockFile), "the lock file", a.output);
    expect(await readFile(lockFile, "utf8")).toBe(`${a.child.pid}\n`);

    for (const args of [[], ["--once"]]) {
      const second = startCollector(args);
      expect(await second.exited).toBe(2);
      expect(second.output.join("")).toContain(
        `DATA_DIR ${dataDir} is in use by another collector (pid ${a.child.pid}`,
      );
    }
    expect(a.child.exitCode).toBeNull(); // the first one runs on, its lock intact
    expect(await readFile(lockFile, "utf8")).toBe(`${a.child.pid}\n`);

    a.child.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
    const again = startCollector(["--once"]);
    expect(await again.exited).toBe(0);
  },
  60_000,
);

it("a second SIGINT while stopping is ignored: the final flush completes and it exits 0", async () => {
  await shelly.close(); // a meter that answers slowly, so a poll is still in flight when we stop
  shelly = await startFakeShelly({ profile: "triphase", password: "kill-test-pw", slowMs: 1500 });
  const a = startCollector();
  await waitFor(() => electricCount() >= 2, "the first points in InfluxDB", a.output);
  await shelly.setFault("slow");
  const requests = shelly.requests;
  await waitFor(() => shelly.requests > requests, "a poll in flight", a.output);
  a.child.kill("SIGINT"); // the terminal's Ctrl-C ...
  await waitFor(() => a.output.join("").includes("stopping (SIGINT)"), "the shutdown to begin", a.output);
  a.child.kill("SIGINT"); // ... and npm forwarding it once more
  expect(await a.exited).toBe(0);
  const out = a.output.join("");
  expect(out).toContain("SIGINT again while stopping; ignored");
  expect(out).toContain("collector: stopped");
  expect(await journalLines()).toEqual([]); // the final flush sent everything
  expectDelivered([], influx.lines);
}, 60_000);

it(
  "a third stop signal exits at once with a warning; " +
    "the journal keeps the unsent points for the next run",
  async () => {
    const a = startCollector();
    await waitFor(() => electricCount() >= 2, "the first points in InfluxDB", a.output);
    await influx.setMode("hang"); // takes write requests and never answers: the final flush waits
    await waitFor(() => influx.requests.some((r) => r.status === 0), "a write request hanging", a.output);
    a.child.kill("SIGTERM");
    await waitFor(() => a.output.join("").includes("stopping (SIGTERM)"), "the shutdown to begin", a.output);
    a.child.kill("SIGTERM");
    await waitFor(
      () => a.output.join("").includes("SIGTERM again while stopping"),
      "the second signal",
      a.output,
    );
    const third = Date.now();
    a.child.kill("SIGTERM");
    expect(await a.exited).toBe(128 + 15);
    // At once, not after the 10 s limit: wall-clock time of a child process on a busy machine, so
    // three times the 2 s this once allowed as slack, still 4 s short of the limit. (A child process:
    // mutation testing cannot reach it. Checked by hand: with the third signal's process.exit put off
    // by 7 s, this line fails.)
    expect(Date.now() - third).toBeLessThan(3 * 2000);
    expect(a.output.join("")).toContain("SIGTERM a third time: exiting now without the final flush");
    const journaled = await journalLines();
    const received = new Set(influx.lines);
    expect(journaled.filter((l) => !received.has(l)).length).toBeGreaterThanOrEqual(1); // unsent, kept

    await influx.setMode("up");
    const b = startCollector(["--once"]);
    expect(await b.exited).toBe(0);
    expectDelivered(journaled, influx.lines);
    expect(await journalLines()).toEqual([]);
  },
  60_000,
);
