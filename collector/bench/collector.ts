/**
 * Collector benchmark (`npm run bench`, or `node collector/bench/collector.ts`): the real collector as
 * a child process against the fake Pro 3EM at a 1 s poll interval and a fake InfluxDB, for
 * BENCH_SECONDS (default 60). Prints steady-state RSS (target <= 100 MB), CPU per poll and InfluxDB
 * write requests per minute. Figures only, no assertions. RSS and CPU come from /proc (Linux).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeInflux } from "../test/fakes/influx-server.ts";
import { startFakeShelly } from "../test/fakes/shelly-server.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
if (!Number.isFinite(seconds) || seconds < 5) throw new RangeError("BENCH_SECONDS must be a number >= 5");
const warmupMs = Math.min(10_000, (seconds * 1000) / 4);
const FLUSH_INTERVAL_S = 10; // the INFLUX_FLUSH_INTERVAL default
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s

const MAIN = resolve(import.meta.dirname, "../src/main.ts");
const dataDir = await mkdtemp(join(tmpdir(), "collector-bench-"));
const shelly = await startFakeShelly({ profile: "triphase", password: "bench-password" });
const influx = await startFakeInflux({ token: "bench-token" });

const child = spawn(process.execPath, [MAIN], {
  env: {
    PATH: process.env.PATH,
    ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
    DATA_DIR: dataDir,
    SHELLY_URL: shelly.url,
    SHELLY_PASSWORD: "bench-password",
    SHELLY_INTERVAL: "1",
    INFLUX_URL: influx.url,
    INFLUX_TOKEN: "bench-token",
    INFLUX_ORG: "home",
    INFLUX_BUCKET: "heatpump",
    INFLUX_FLUSH_INTERVAL: String(FLUSH_INTERVAL_S),
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "inherit", "inherit"],
});
const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));

/** RSS in bytes and CPU (user + system) in ms of the child, or undefined off Linux. */
function sample(): { rss: number; anon: number; cpuMs: number } | undefined {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(f[11]) + Number(f[12]);
    return { rss: kb("VmRSS") * 1024, anon: kb("RssAnon") * 1024, cpuMs: (ticks * 1000) / CLK_TCK };
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const polls = () =>
  shelly.calls.filter((c) => c.path.includes("Shelly.GetStatus") && c.status === 200).length;

await sleep(warmupMs);
const start = {
  at: Date.now(),
  polls: polls(),
  requests: influx.requests.length,
  lines: influx.lines.length,
  proc: sample(),
};
const rss: number[] = [];
const anon: number[] = [];
while (Date.now() - start.at < seconds * 1000 - warmupMs) {
  await sleep(1000);
  const s = sample();
  if (s) rss.push(s.rss);
  if (s) anon.push(s.anon);
}
const end = {
  at: Date.now(),
  polls: polls(),
  requests: influx.requests.length,
  lines: influx.lines.length,
  proc: sample(),
};
child.kill("SIGTERM");
const code = await exited;
await shelly.close();
await influx.close();
await rm(dataDir, { recursive: true, force: true });

const minutes = (end.at - start.at) / 60_000;
const n = end.polls - start.polls;
const requests = end.requests - start.requests;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
rss.sort((x, y) => x - y);
anon.sort((x, y) => x - y);
const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const lines = [
  `collector bench: ${seconds} s (first ${warmupMs / 1000} s warm-up not measured), fake Pro 3EM at a 1 s poll interval with digest auth, fake InfluxDB, INFLUX_FLUSH_INTERVAL=${FLUSH_INTERVAL_S}`,
  `  polls measured            ${n} in ${(minutes * 60).toFixed(1)} s`,
  rss.length > 0
    ? `  RSS, steady state         ${mb(median(rss))} median, ${mb(rss.at(-1)!)} max (target <= 100 MB); ` +
      `of it anonymous ${mb(median(anon))}, the rest file-backed (node binary and libraries mapped from disk)`
    : "  RSS                       n/a (no /proc)",
  start.proc && end.proc && n > 0
    ? `  CPU per poll              ${((end.proc.cpuMs - start.proc.cpuMs) / n).toFixed(2)} ms (user + system of the collector process, incl. journal fsync and sending)`
    : "  CPU per poll              n/a",
  `  InfluxDB write requests   ${(requests / minutes).toFixed(1)} per minute, ${requests > 0 ? ((end.lines - start.lines) / requests).toFixed(1) : "0"} lines per request`,
  `  collector exit code       ${code} after SIGTERM`,
];
process.stdout.write(lines.join("\n") + "\n");
