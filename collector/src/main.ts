/**
 * The collector's composition root: config -> sources -> journal (+ InfluxDB writer) -> scheduler.
 *
 * - `npm run collect`: polls until SIGTERM/SIGINT, then stops polling, lets the polls in flight
 *   finish (their points are journaled), sends what it can to InfluxDB within `SHUTDOWN_SEND_MS`
 *   (the rest waits in the journal for the next start) and exits 0.
 * - `npm run collect -- --once`: polls each configured source once, prints the readings, writes
 *   them, exits 0, or 1 naming each source that failed. The way a user checks a setup.
 *
 * Both modes take `DATA_DIR/collector.lock` (store/lock.ts) before opening the journal: --once too,
 * because with INFLUX_URL it sends and deletes journal segments and moves the cursor, it repairs
 * the newest segment's tail at open, and a Viessmann poll may rotate the shared refresh token. A
 * second collector on the same DATA_DIR stops at start naming the pid holding it.
 *
 * Exit codes: 0 ok; 1 a source failed in --once, or a bug (stack logged, data flushed first);
 * 2 configuration or DATA_DIR unusable or in use by another collector (message only, no stack).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { COLLECTOR_FIELDS, ELECTRIC_FIELDS, HEATPUMP_FIELDS, MEASUREMENT } from "./catalogue.ts";
import { type Config, loadConfig } from "./config.ts";
import { type Clock, createLogger, type Logger, systemClock } from "./effects.ts";
import { exitWhenFlushed, parseCommandLine, UsageError, usageLine } from "./command-line.ts";
import { ConfigError, type Env, readEnv } from "./env.ts";
import { createPoller, type Poller, type PollOutcome } from "./poll.ts";
import { startScheduler } from "./scheduler.ts";
import type { Source, SourceDeps } from "./sources/source.ts";
import type { InfluxWriter } from "./store/influx-writer.ts";
import { openQueue } from "./store/journal-queue.ts";
import { type Journal, openJournal } from "./store/journal.ts";
import { type DataDirLock, DataDirBusyError, lockDataDir } from "./store/lock.ts";
import type { Point } from "./store/line-protocol.ts";

/**
 * Journal segment age. With InfluxDB the journal is a send queue: hourly segments let acknowledged
 * data be deleted soon. Without it the journal is the local store kept for years and the report
 * engine stats every segment each cycle: daily segments keep that to ~365 files a year, not ~8760.
 */
const SEGMENT_AGE_WITH_INFLUX_MS = 60 * 60 * 1000;
const SEGMENT_AGE_LOCAL_MS = 24 * 60 * 60 * 1000;

/** On shutdown, how long the writer may keep sending the backlog, ms. */
const SHUTDOWN_SEND_MS = 10_000;
/** In --once, how long to wait for InfluxDB to acknowledge, ms. */
const ONCE_SEND_MS = 15_000;

const USAGE = "usage: npm run collect [-- --once]";

export const NO_SOURCE_MESSAGE =
  "No source configured. Set SHELLY_URL (e.g. SHELLY_URL=http://192.168.1.50) for the Shelly Pro 3EM " +
  "and/or VIESSMANN_CLIENT_ID (then run `npm run login`) for the heat pump, in the environment or in .env.";

export interface MainIo {
  env?: Env;
  cwd?: string;
  clock?: Clock;
  /** Readings and results for the user (--once). Default: stdout. */
  print?: (text: string) => void;
  /** Messages without a logger (configuration errors). Default: stderr. */
  printError?: (text: string) => void;
  /** Resolves when the collector should stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<string>;
}

const UNITS: Record<string, string> = Object.fromEntries(
  [ELECTRIC_FIELDS, HEATPUMP_FIELDS, COLLECTOR_FIELDS].flatMap((t) =>
    Object.entries(t).map(([k, v]) => [k, v.unit]),
  ),
);

/** Points as readable text: one block per point; raw Viessmann features are only counted. */
export function formatReadings(points: readonly Point[]): string {
  const out: string[] = [];
  const raw = points.filter((p) => p.measurement === MEASUREMENT.viessmannFeature);
  for (const p of points) {
    if (p.measurement === MEASUREMENT.viessmannFeature) continue;
    const tags = Object.entries(p.tags).map(([k, v]) => `${k}=${v}`);
    out.push(`${p.measurement} ${tags.join(" ")} at ${new Date(p.timeMs).toISOString()}`);
    const width = Math.max(...Object.keys(p.fields).map((k) => k.length));
    for (const [k, v] of Object.entries(p.fields))
      // A negative reading with the minus sign people read (U+2212), as on the site.
      out.push(
        `  ${k.padEnd(width)}  ${String(v).replace(/^-(?=\d)/, "\u2212")} ${UNITS[k] ?? ""}`.trimEnd(),
      );
  }
  if (raw.length > 0) out.push(`${MEASUREMENT.viessmannFeature}: ${raw.length} raw feature points`);
  return out.join("\n");
}

/**
 * What --once wrote, counted: `Wrote 1 reading (electric) and 1 health point`, or, when every source
 * failed, `Wrote no reading (every source failed), only 1 health point`. Each poll also journals its
 * `collector` health point, failed or not.
 */
export function writtenSummary(readings: readonly Point[], polls: number): string {
  const health = `${polls} health point${polls === 1 ? "" : "s"} (${MEASUREMENT.collector})`;
  if (readings.length === 0) return `Wrote no reading (every source failed), only ${health}`;
  const counts = new Map<string, number>();
  for (const p of readings) counts.set(p.measurement, (counts.get(p.measurement) ?? 0) + 1);
  const parts = [...counts].map(([m, n]) => `${n} ${m}`).join(", ");
  return `Wrote ${readings.length} reading${readings.length === 1 ? "" : "s"} (${parts}) and ${health}`;
}

/** Sources are imported only when configured: each module graph costs memory (RSS) for the whole run. */
async function createSources(config: Config, deps: SourceDeps): Promise<Source[]> {
  const sources: Source[] = [];
  if (config.shelly) {
    const { createShellySource } = await import("./sources/shelly/index.ts");
    sources.push(createShellySource(config.shelly, deps));
  }
  if (config.viessmann) {
    const { createViessmannSource } = await import("./sources/viessmann/index.ts");
    sources.push(createViessmannSource(config.viessmann, deps));
  }
  return sources;
}

const describeError = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));

function signalPromise(): Promise<string> {
  return new Promise((resolve) => {
    for (const sig of ["SIGTERM", "SIGINT"] as const) process.once(sig, () => resolve(sig));
  });
}

export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const print = io.print ?? ((t: string) => process.stdout.write(t + "\n"));
  const printError = io.printError ?? ((t: string) => process.stderr.write(t + "\n"));
  const clock = io.clock ?? systemClock;
  let once: boolean;
  try {
    const { values } = parseCommandLine(argv, { once: { type: "boolean", default: false } });
    if (values.help) {
      print(USAGE);
      return 0;
    }
    once = values.once;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    printError(usageLine(e.message, USAGE));
    return 2;
  }

  let config: Config;
  let logger: Logger;
  let sources: Source[];
  try {
    config = loadConfig(io.env ?? readEnv(io.cwd), io.cwd);
    logger = createLogger({ secrets: config.secrets, level: config.logLevel, clock });
    sources = await createSources(config, { clock, logger, dataDir: config.dataDir });
  } catch (e) {
    if (e instanceof ConfigError) {
      printError(e.message);
      return 2;
    }
    throw e;
  }
  if (sources.length === 0) {
    printError(NO_SOURCE_MESSAGE);
    return 2;
  }

  const journalDir = join(config.dataDir, "journal");
  let lock: DataDirLock;
  let journal: Journal;
  try {
    await mkdir(journalDir, { recursive: true });
    lock = await lockDataDir(config.dataDir, { logger });
    const held = lock;
    const segmentMaxAgeMs = config.influx ? SEGMENT_AGE_WITH_INFLUX_MS : SEGMENT_AGE_LOCAL_MS;
    journal = await openJournal({ dir: journalDir, clock, logger, segmentMaxAgeMs }).catch((e: unknown) => {
      held.release();
      throw e;
    });
  } catch (e) {
    if (e instanceof DataDirBusyError) {
      printError(e.message);
      return 2;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EPERM" && code !== "EROFS" && code !== "ENOTDIR") throw e;
    printError(
      `DATA_DIR: cannot write the journal in ${journalDir} (${code}); make it writable or set DATA_DIR elsewhere`,
    );
    return 2;
  }
  try {
    return await collect(once, { config, logger, sources, journal, clock, print, printError, io });
  } finally {
    lock.release();
  }
}

interface Run {
  config: Config;
  logger: Logger;
  sources: Source[];
  journal: Journal;
  clock: Clock;
  print: (text: string) => void;
  printError: (text: string) => void;
  io: MainIo;
}

/** Everything after the DATA_DIR lock is taken: --once, or polling until stopped. */
async function collect(once: boolean, run: Run): Promise<number> {
  const { config, logger, sources, journal, clock, print, printError, io } = run;
  const journalDir = journal.dir;
  let writer: InfluxWriter | undefined;
  if (config.influx) {
    const queue = await openQueue(journal, logger);
    // Imported only with INFLUX_URL, for the same reason as the sources.
    const { createInfluxWriter } = await import("./store/influx-writer.ts");
    writer = createInfluxWriter(config.influx, queue, { clock, logger: logger.child("influx") });
  }

  let bug: ((e: unknown) => void) | undefined;
  const bugSeen = new Promise<string>((resolve) => (bug = () => resolve("unexpected error")));
  const pollers: Poller[] = sources.map((s) =>
    createPoller(s, { clock, logger, append: (p) => journal.append(p), onUnexpected: (e) => bug?.(e) }),
  );

  const closeAll = async (sendMs: number): Promise<boolean> => {
    await journal.close();
    const sent = writer ? await writer.drain(clock.now() + sendMs).catch(() => false) : true;
    await writer?.stop();
    for (const s of sources)
      await s.close?.().catch((e: unknown) => logger.warn(`${s.name}: close: ${describeError(e)}`));
    return sent;
  };

  if (once) {
    const failed: string[] = [];
    const written: Point[] = [];
    for (const p of pollers) {
      const outcome: PollOutcome = await p.poll();
      if (outcome.kind === "ok") {
        written.push(...outcome.points);
        print(formatReadings(outcome.points));
      } else {
        failed.push(p.source.name);
        const msg =
          outcome.kind === "bug" ? "unexpected error (stack above)" : (outcome.error as Error).message;
        printError(`${p.source.name}: FAILED: ${msg}`);
      }
    }
    const sent = await closeAll(ONCE_SEND_MS);
    const what = writtenSummary(written, pollers.length);
    if (config.influx)
      print(
        sent
          ? `${what} to the journal and sent them to InfluxDB at ${config.influx.url} (bucket ${config.influx.bucket}).`
          : `${what} to the journal in ${journalDir}; InfluxDB has not acknowledged yet, the collector sends them later.`,
      );
    else print(`${what} to the local journal in ${journalDir} (INFLUX_URL is not set).`);
    if (failed.length > 0) {
      printError(`--once: ${failed.join(", ")} failed; see the message above.`);
      return 1;
    }
    return 0;
  }

  logger.info(
    `collector: sources ${sources.map((s) => s.name).join(", ")}; journal ${journalDir}; ` +
      (config.influx
        ? `sending to InfluxDB at ${config.influx.url}, bucket ${config.influx.bucket}`
        : "local journal only (INFLUX_URL not set)"),
  );
  writer?.start();
  const scheduler = startScheduler(pollers, { clock, logger });
  const onCrash = (e: unknown) => {
    logger.error(`collector: unexpected error: ${describeError(e)}`);
    bug?.(e);
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);

  const why = await Promise.race([io.stopSignal ?? signalPromise(), bugSeen]);
  const failedHard = why === "unexpected error";
  logger.info(`collector: stopping (${why}); finishing polls in flight and flushing`);
  await scheduler.stop();
  const sent = await closeAll(SHUTDOWN_SEND_MS);
  if (writer && !sent)
    logger.info(`collector: unsent points stay in ${journalDir} and are sent at the next start`);
  process.off("uncaughtException", onCrash);
  process.off("unhandledRejection", onCrash);
  logger.info("collector: stopped");
  return failedHard ? 1 : 0;
}

if (import.meta.main) {
  // Exit once stdout and stderr are flushed: the --once output on its way to a pipe is not cut off.
  main(process.argv.slice(2)).then(exitWhenFlushed, (e: unknown) => {
    process.stderr.write(`collector: unexpected error: ${describeError(e)}\n`);
    exitWhenFlushed(1);
  });
}
