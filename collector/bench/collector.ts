/**
 * Collector benchmark (`npm run bench`, or `node collector/bench/collector.ts`): the real collector as
 * a child process against the fake Pro 3EM at a 1 s poll interval and a fake InfluxDB, for
 * BENCH_SECONDS (default 60). Prints steady-state RSS (target <= 100 MB), CPU per poll and InfluxDB
 * write requests per minute. Figures only, no assertions. RSS and CPU come from /proc (Linux).
 *
 * It measures the production way of running: it builds the bundle (collector/build/bundle.ts) and
 * runs `node <PRODUCTION_NODE_FLAGS> collector/dist/collector.mjs`, as the Docker image does.
 * BENCH_ENTRY=ts measures the development way instead (`npm run collect`: the .ts sources through
 * Node's type stripping, no flags). BENCH_NODE_FLAGS (space-separated) replaces the flags, to try
 * others. BENCH_BACKLOG_HOURS=N (default 0) first fills the journal with N hours of 1 s electric
 * points, as after an InfluxDB outage, and prints the peak RSS while that backlog is sent.
 *
 * After the steady-state part, the fake meter answers every Shelly.GetStatus with a 50 MB body
 * (chunked, no Content-Length) for BENCH_OVERSIZE_SECONDS (default 10), and the bench prints the
 * peak RSS while those answers are refused (the collector reads at most 1 MB of each) and the RSS
 * once normal answers are back.
 *
 * Then, with MQTT on (README, "Home Assistant and MQTT"): a second collector, the same bundle and
 * flags, the fake Pro 3EM at 1 s, the fake InfluxDB and a real broker (Debian's mosquitto on a free
 * loopback port, as the tests start it) with a client subscribed as Home Assistant would be, for BENCH_MQTT_SECONDS
 * (default BENCH_SECONDS; 0 skips it): its steady-state RSS (target <= 100 MB too) and the messages
 * the subscriber got per poll.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { BUNDLE, bundleCollector, PRODUCTION_NODE_FLAGS } from "../build/bundle.ts";
import { ELECTRIC_FIELDS, MEASUREMENT } from "../../core/src/data/catalogue.ts";
import { segmentName } from "../src/store/journal.ts";
import { encodePoint } from "../../core/src/data/line-protocol.ts";
import { startFakeInflux } from "../test/fakes/influx-server.ts";
import { startFakeShelly } from "../test/fakes/shelly-server.ts";
import { startMosquitto } from "../../core/test/helpers/mosquitto.ts";
import { watchMqtt } from "../../core/test/helpers/mqtt-watch.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
if (!Number.isFinite(seconds) || seconds < 5) throw new RangeError("BENCH_SECONDS must be a number >= 5");
const warmupMs = Math.min(10_000, (seconds * 1000) / 4);
const FLUSH_INTERVAL_S = 10; // the INFLUX_FLUSH_INTERVAL default
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s

const oversizeSeconds = Number(process.env.BENCH_OVERSIZE_SECONDS ?? 10);
if (!Number.isFinite(oversizeSeconds) || oversizeSeconds < 0)
  throw new RangeError("BENCH_OVERSIZE_SECONDS must be a number >= 0");
const OVERSIZE_BYTES = 50 * 1024 * 1024;

const mqttSeconds = Number(process.env.BENCH_MQTT_SECONDS ?? seconds);
if (!Number.isFinite(mqttSeconds) || (mqttSeconds !== 0 && mqttSeconds < 5))
  throw new RangeError("BENCH_MQTT_SECONDS must be 0 (skip) or a number >= 5");

const backlogHours = Number(process.env.BENCH_BACKLOG_HOURS ?? 0);
if (!Number.isFinite(backlogHours) || backlogHours < 0)
  throw new RangeError("BENCH_BACKLOG_HOURS must be a number >= 0");

const entry = process.env.BENCH_ENTRY ?? "bundle";
if (entry !== "bundle" && entry !== "ts") throw new RangeError("BENCH_ENTRY must be bundle or ts");
if (entry === "bundle") await bundleCollector();
const MAIN = entry === "bundle" ? BUNDLE : resolve(import.meta.dirname, "../src/main.ts");
const flags =
  process.env.BENCH_NODE_FLAGS !== undefined
    ? process.env.BENCH_NODE_FLAGS.split(" ").filter(Boolean)
    : entry === "bundle"
      ? PRODUCTION_NODE_FLAGS
      : [];
const dataDir = await mkdtemp(join(tmpdir(), "collector-bench-"));

/** Writes `hours` of unsent 1 s electric points ending now into one journal segment; returns the count. */
async function writeBacklog(hours: number): Promise<number> {
  const count = Math.round(hours * 3600);
  const startMs = Math.floor(Date.now() / 1000) * 1000 - count * 1000;
  const fieldNames = Object.keys(ELECTRIC_FIELDS);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const fields = Object.fromEntries(
      fieldNames.map((f, j) => [f, Math.round((i % 977) * 10 + j * 37.5) / 10]),
    );
    lines.push(
      encodePoint({
        measurement: MEASUREMENT.electric,
        tags: { device: "bench" },
        fields,
        timeMs: startMs + i * 1000,
      }),
    );
  }
  const dir = join(dataDir, "journal");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, segmentName(startMs)), lines.join("\n") + "\n");
  return count;
}
const backlogLines = backlogHours > 0 ? await writeBacklog(backlogHours) : 0;
const shelly = await startFakeShelly({
  profile: "triphase",
  password: "bench-password",
  oversizeBytes: OVERSIZE_BYTES,
});
const influx = await startFakeInflux({ token: "bench-token" });

const GUARD = resolve(import.meta.dirname, "../../.node-guard.cjs"); // as `npm run collect` and the image
const child = spawn(process.execPath, [...flags, "--require", GUARD, MAIN], {
  env: {
    PATH: process.env.PATH,
    ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
    ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
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
const spawnedAt = Date.now();

/** RSS in bytes and CPU (user + system) in ms of a child (the first one by default), or undefined off Linux. */
function sample(pid = child.pid): { rss: number; anon: number; cpuMs: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
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

// Peak RSS over the whole run (start-up and any backlog included), sampled every 250 ms.
let peakRss = 0;
let backlogSentMs: number | undefined;
const peakTimer = setInterval(() => {
  peakRss = Math.max(peakRss, sample()?.rss ?? 0);
  if (backlogLines > 0 && backlogSentMs === undefined && influx.lines.length >= backlogLines)
    backlogSentMs = Date.now() - spawnedAt;
}, 250);

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
clearInterval(peakTimer);

// Oversized answers: every poll gets a 50 MB body, which the collector must refuse at 1 MB.
let oversize: { peak: number; refused: number; sentMb: number; after: number | undefined } | undefined;
if (oversizeSeconds > 0) {
  const getStatus = () => shelly.calls.filter((c) => c.path.includes("Shelly.GetStatus")).length;
  const from = { calls: getStatus(), bytes: shelly.bytesSent };
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, sample()?.rss ?? 0)), 100);
  await shelly.setFault("oversized");
  await sleep(oversizeSeconds * 1000);
  await shelly.setFault(undefined);
  const refused = getStatus() - from.calls;
  const sentMb = (shelly.bytesSent - from.bytes) / 1024 / 1024;
  await sleep(3000); // normal polls again
  clearInterval(timer);
  oversize = { peak, refused, sentMb, after: sample()?.rss };
}
child.kill("SIGTERM");
const code = await exited;
await rm(dataDir, { recursive: true, force: true });

/**
 * The collector with MQTT on: the same bundle and flags, the Shelly at 1 s, InfluxDB, a real broker
 * and a subscriber; steady-state RSS after the warm-up, and the messages the subscriber got per poll.
 */
async function mqttRun(): Promise<{ rss: number[]; polls: number; messages: number; code: number | null }> {
  const broker = await startMosquitto();
  const watch = await watchMqtt(broker.url, ["heatpump/#", "homeassistant/#"]);
  const dir = await mkdtemp(join(tmpdir(), "collector-bench-mqtt-"));
  const c = spawn(process.execPath, [...flags, "--require", GUARD, MAIN], {
    env: {
      PATH: process.env.PATH,
      ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
      DATA_DIR: dir,
      SHELLY_URL: shelly.url,
      SHELLY_PASSWORD: "bench-password",
      SHELLY_INTERVAL: "1",
      INFLUX_URL: influx.url,
      INFLUX_TOKEN: "bench-token",
      INFLUX_ORG: "home",
      INFLUX_BUCKET: "heatpump",
      INFLUX_FLUSH_INTERVAL: String(FLUSH_INTERVAL_S),
      MQTT_URL: broker.url,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const done = new Promise<number | null>((r) => c.on("exit", (code) => r(code)));
  const warm = Math.min(10_000, (mqttSeconds * 1000) / 4);
  await sleep(warm);
  const from = { at: Date.now(), polls: polls(), messages: watch.messages.length };
  const samples: number[] = [];
  while (Date.now() - from.at < mqttSeconds * 1000 - warm) {
    await sleep(1000);
    const s = sample(c.pid);
    if (s) samples.push(s.rss);
  }
  const result = {
    rss: samples,
    polls: polls() - from.polls,
    messages: watch.messages.length - from.messages,
  };
  c.kill("SIGTERM");
  const exit = await done;
  await watch.close();
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
  return { ...result, code: exit };
}
const mqtt = mqttSeconds > 0 ? await mqttRun() : undefined;
await shelly.close();
await influx.close();

const minutes = (end.at - start.at) / 60_000;
const n = end.polls - start.polls;
const requests = end.requests - start.requests;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
rss.sort((x, y) => x - y);
anon.sort((x, y) => x - y);
const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const command = [...flags, "--require", relative(process.cwd(), GUARD), relative(process.cwd(), MAIN)].join(
  " ",
);
const linesPerRequest = requests > 0 ? ((end.lines - start.lines) / requests).toFixed(1) : "0";
const lines = [
  `collector bench: node ${command}`,
  `  ${seconds} s (first ${warmupMs / 1000} s warm-up not measured), fake Pro 3EM at a 1 s poll interval ` +
    `with digest auth, fake InfluxDB, INFLUX_FLUSH_INTERVAL=${FLUSH_INTERVAL_S}`,
  `  polls measured            ${n} in ${(minutes * 60).toFixed(1)} s`,
  rss.length > 0
    ? `  RSS, steady state         ${mb(median(rss))} median, ${mb(rss.at(-1)!)} max (target <= 100 MB); ` +
      `of it anonymous ${mb(median(anon))}, the rest file-backed (node binary and libraries mapped from disk)`
    : "  RSS                       n/a (no /proc)",
  start.proc && end.proc && n > 0
    ? `  CPU per poll              ${((end.proc.cpuMs - start.proc.cpuMs) / n).toFixed(2)} ms ` +
      "(user + system of the collector process, incl. journal fsync and sending)"
    : "  CPU per poll              n/a",
  `  InfluxDB write requests   ${(requests / minutes).toFixed(1)} per minute, ${linesPerRequest} lines per request`,
  `  RSS, peak                 ${mb(Math.max(peakRss, rss.at(-1) ?? 0))} ` +
    "(sampled every 250 ms from start, warm-up included)",
  ...(backlogLines > 0
    ? [
        `  backlog                   ${backlogLines} lines (${backlogHours} h at 1 s) ` +
          (backlogSentMs === undefined
            ? "NOT all sent within the run"
            : `sent within ${(backlogSentMs / 1000).toFixed(1)} s of start`),
      ]
    : []),
  ...(oversize
    ? [
        `  RSS, 50 MB answers        ${mb(oversize.peak)} peak while ${oversize.refused} Shelly.GetStatus answers of ` +
          `${OVERSIZE_BYTES / 1024 / 1024} MB each were refused in ${oversizeSeconds} s ` +
          `(${(oversize.sentMb / Math.max(1, oversize.refused)).toFixed(1)} MB ` +
          "left the fake meter per answer before the collector hung up); " +
          `${oversize.after ? mb(oversize.after) : "n/a"} 3 s after normal answers resumed`,
      ]
    : []),
  `  collector exit code       ${code} after SIGTERM`,
  ...(mqtt
    ? [
        `  with MQTT on as well (mosquitto on loopback, a subscriber, ${mqttSeconds} s, the first ` +
          `${Math.min(10, mqttSeconds / 4)} s not measured):`,
        mqtt.rss.length > 0
          ? `  RSS, steady state, MQTT   ${mb(median(mqtt.rss.sort((x, y) => x - y)))} median, ` +
            `${mb(mqtt.rss.at(-1)!)} max (target <= 100 MB)`
          : "  RSS, MQTT                 n/a (no /proc)",
        `  MQTT messages             ${(mqtt.messages / Math.max(1, mqtt.polls)).toFixed(1)} per poll ` +
          `(${mqtt.messages} for ${mqtt.polls} polls); collector exit code ${mqtt.code} after SIGTERM`,
      ]
    : []),
];
process.stdout.write(lines.join("\n") + "\n");
