/**
 * `npm run demo`: the whole product on simulated devices, without Docker or hardware.
 *
 * 1. Backfills simulated history (default 60 days, up to now) into the demo's journal folder
 *    (`DATA_DIR/journal/simulated-history.lp`, next to the collector's segments, which the journal
 *    ignores by name and the report engine reads together with the live segments).
 * 2. Starts the simulated Shelly Pro 3EM, the backup heater's meter (a Pro EM, its channel 1) and the
 *    Viessmann API on loopback (startSimulator).
 * 3. Runs the collector (`collector/src/main.ts`) against them, journaling locally (no InfluxDB),
 *    and the site builder (`site/builder/loop.ts`) every `--site-interval` seconds.
 * 4. Serves the site on http://localhost:PORT/ (default 8080) and prints the URL at once; a
 *    self-refreshing page stands in until the first build is there.
 * Ctrl-C (SIGINT) or SIGTERM stops the children (they flush), the simulators and the server; exit 0.
 *
 *   npm run demo [-- --days 60] [--port 8080] [--data ./data/demo] [--seed 1] [--site-interval 60] [--fresh]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { exitWhenFlushed, parseCommandLine, UsageError, usageLine } from "../../core/src/command-line.ts";
import { defaultZone } from "../../collector/simulator/history.ts";
import { readEnv } from "../../core/src/env.ts";
import { startSimulator } from "../../collector/simulator/serve.ts";
import { loginToSimulator } from "../../collector/docker/simulator-login.ts";
import { backfill } from "./demo-history.ts";
import { startDemoServer } from "./demo-server.ts";

/** The collector's default redirect URI; the simulated IAM redirects to it with the code. */
const REDIRECT_URI = "http://localhost:4200/";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const USAGE =
  "usage: npm run demo [-- --days N] [--port N] [--data DIR] [--seed N] [--site-interval SECONDS] [--fresh]";

function fail(message: string): never {
  throw new UsageError(message);
}

/** `name` as the user gave it: `--port`, or `PORT` for a value from the environment. */
function wholeNumber(name: string, raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

const log = (text: string) => process.stdout.write(`[demo] ${text}\n`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * True once the collector has written a journal segment since `sinceMs` (segments are named after
 * their first poll time, `2026-11-27T04-09-33.392Z.lp`, so names compare like times).
 */
const hasLiveSegment = (journalDir: string, sinceMs: number) => {
  const since = new Date(sinceMs).toISOString().replaceAll(":", "-");
  return readdirSync(journalDir).some((n) => /^\d{4}-\d\d-\d\dT[\d-]+\.\d{3}Z\.lp$/.test(n) && n >= since);
};

interface Child {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
}

/** Starts `node script` with a line prefix on its output; in its own process group (see stop). */
function startChild(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, ["--require", join(ROOT, ".node-guard.cjs"), join(ROOT, script)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    // Own process group: Ctrl-C in the terminal reaches only the demo, which then stops the
    // children in order (each flushes on SIGTERM) instead of all of them at once.
    detached: true,
  });
  const prefix = (stream: NodeJS.WritableStream) => {
    let rest = "";
    return (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      for (const l of lines) stream.write(`[${name}] ${l}\n`);
    };
  };
  proc.stdout?.on("data", prefix(process.stdout));
  proc.stderr?.on("data", prefix(process.stderr));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return { name, proc, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
async function stopChild(c: Child, graceMs = 15_000): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill("SIGTERM");
  const timer = setTimeout(() => c.proc.kill("SIGKILL"), graceMs);
  await c.exited;
  clearTimeout(timer);
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(process.argv.slice(2), {
    days: { type: "string" },
    port: { type: "string" },
    data: { type: "string" },
    seed: { type: "string" },
    "site-interval": { type: "string" },
    fresh: { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const days = wholeNumber("--days", values.days, 60, 1, 3660);
  const port =
    values.port !== undefined
      ? wholeNumber("--port", values.port, 8080, 0, 65_535)
      : wholeNumber("PORT", process.env.PORT, 8080, 0, 65_535);
  const seed = wholeNumber("--seed", values.seed, 1, 0, 2 ** 31);
  const siteInterval = wholeNumber("--site-interval", values["site-interval"], 60, 10, 86_400);
  const dataDir = resolve(values.data ?? join(ROOT, "data", "demo"));
  // The zone rule of every command (REPORT_TZ, also from .env, else the machine's zone), so the
  // history, the site and `DATA_DIR=data/demo npm run report` agree on where a day starts.
  const tz = defaultZone(readEnv());
  const journalDir = join(dataDir, "journal");
  const siteOut = join(dataDir, "site");
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(journalDir, { recursive: true });

  // Serve first, so the URL is printed within seconds; the page refreshes until the first build.
  const server = await startDemoServer({ root: siteOut, port }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "EADDRINUSE")
      fail(`port ${port} is in use: stop what uses it, or choose another with PORT=N or --port N`);
    throw e;
  });
  log(`site: ${server.url}  (Ctrl-C stops the demo)`);

  const children: Child[] = [];
  let sim: Awaited<ReturnType<typeof startSimulator>> | undefined;
  let stopping: Promise<void> | undefined;
  let exitCode = 0;
  const stopAll = (why: string, code: number) => {
    if (stopping) return stopping;
    exitCode = code;
    log(`stopping (${why})...`);
    stopping = (async () => {
      // Builder first (it may be mid-build), then the collector (it flushes its journal).
      for (const c of [...children].reverse()) await stopChild(c);
      await sim?.close();
      await server.close();
    })();
    return stopping;
  };
  const signalled = new Promise<void>((r) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => void stopAll(sig, 0).then(r));
  });
  // Never leave children behind, even on an unexpected exit of the demo itself.
  process.once("exit", () => children.forEach((c) => c.proc.exitCode === null && c.proc.kill("SIGKILL")));

  try {
    log(`preparing ${days} day(s) of simulated history...`);
    log(await backfill({ journalDir, days, seed, tz, nowMs: Date.now() }));
    if (stopping) return (await stopping, exitCode);
    // The live model starts at the same local midnight and seed as the history, so its counters
    // continue the history's exactly (no jump at the seam that would read as a reset).
    // The backup heater on its own meter (SHELLY_METERS backup=…#em1:1): the demo shows H3 figures.
    sim = await startSimulator({ seed, tz, warmupDays: days, backupMeter: "proem" });
    await loginToSimulator({
      clientId: sim.env.VIESSMANN_CLIENT_ID!,
      authUrl: sim.env.VIESSMANN_AUTH_URL!,
      redirectUri: REDIRECT_URI,
      dataDir,
    });
    log(
      `simulated Shelly Pro 3EM at ${sim.shellyUrl}, backup heater meter (Pro EM) at ${sim.backupUrl}, ` +
        `Viessmann API at ${sim.env.VIESSMANN_API_URL}`,
    );
  } catch (e) {
    process.stderr.write(`[demo] could not prepare the simulation: ${e instanceof Error ? e.message : e}\n`);
    await stopAll("setup failed", 1);
    return 1;
  }
  if (stopping) return (await stopping, exitCode);

  // Children get an explicit environment: whatever a user's .env says about InfluxDB or devices
  // must not leak into the demo (an empty value counts as unset).
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    INFLUX_URL: "",
    INFLUX_TOKEN: "",
    INFLUX_TOKEN_FILE: "",
    LOCAL_SOURCE: "",
    SHELLY_URL: "",
    SHELLY_METERS: "",
    SHELLY_PASSWORD: "",
    VIESSMANN_CLIENT_ID: "",
    REPORT_TZ: tz,
  };
  const collectorStartedMs = Date.now() - 1000;
  children.push(
    startChild("collector", "collector/src/main.ts", {
      ...base,
      ...sim.env,
      VIESSMANN_REDIRECT_URI: REDIRECT_URI,
    }),
  );
  // Let the collector journal its first live readings, so the first build is already current.
  for (let i = 0; i < 75 && !stopping && !hasLiveSegment(journalDir, collectorStartedMs); i++)
    await sleep(200);
  if (stopping) return (await stopping, exitCode);
  children.push(
    startChild("builder", "site/builder/loop.ts", {
      ...base,
      SITE_OUT: siteOut,
      ARCHIVE_DIR: join(dataDir, "archive"),
      SITE_INTERVAL: String(siteInterval),
    }),
  );
  for (const c of children)
    void c.exited.then((code) => {
      if (!stopping) void stopAll(`${c.name} exited with code ${code}`, 1);
    });

  await Promise.race([signalled, ...children.map((c) => c.exited)]);
  await stopAll("done", exitCode);
  return exitCode;
}

// Exit explicitly, once the output is flushed: a handle some library left open must not keep a
// stopped demo alive. A usage error is one line with the usage, exit 2.
await main().then(exitWhenFlushed, (e: unknown) => {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`${usageLine(e.message, USAGE)}\n`);
  exitWhenFlushed(2);
});
