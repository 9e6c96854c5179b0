/**
 * The collector's composition root: config -> sources -> journal (+ InfluxDB writer) -> scheduler.
 *
 * - `npm run collect`: polls until SIGTERM/SIGINT, then stops polling, lets the polls in flight
 *   finish (their points are journaled), sends what it can to InfluxDB (the rest waits in the
 *   journal for the next start) and exits 0, all within SHUTDOWN_MS (10 s) whatever InfluxDB or a
 *   device does. A second signal while stopping is ignored (Ctrl-C under `npm run collect` reaches
 *   the collector twice: from the terminal and forwarded by npm); a third exits at once.
 * - `npm run collect -- --once`: polls each configured source once, prints the readings, writes
 *   them, exits 0, or 1 naming each source that failed. The way a user checks a setup.
 *
 * Both modes take `DATA_DIR/collector.lock` (core/src/lock.ts) before opening the journal: --once too,
 * because with INFLUX_URL it sends and deletes journal segments and moves the cursor, it repairs
 * the newest segment's tail at open, and a Viessmann poll may rotate the shared refresh token. A
 * second collector on the same DATA_DIR stops at start naming the pid holding it.
 *
 * DATA_DIR that cannot be created or written stops start-up with a message naming it (exit 2). A
 * full one (ENOSPC, EDQUOT) is waited for instead: nothing could be journaled, and exiting would
 * only become a restart loop; the collector starts by itself once there is space.
 *
 * Exit codes: 0 ok; 1 a source failed in --once, or a bug (stack logged, data flushed first);
 * 2 configuration or DATA_DIR unusable or in use by another collector (message only, no stack);
 * 128 + signal number when a third stop signal cut the shutdown short.
 */
import { mkdir } from "node:fs/promises";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import {
  COLLECTOR_FIELDS,
  DEFAULT_METER_ROLE,
  ELECTRIC_FIELDS,
  HEATPUMP_FIELDS,
  MEASUREMENT,
  TAG,
} from "../../core/src/data/catalogue.ts";
import { type Config, loadConfig } from "./config.ts";
import {
  type Clock,
  createLogger,
  type Logger,
  type LogLevel,
  redact,
  systemClock,
} from "../../core/src/effects.ts";
import { exitWhenFlushed, parseCommandLine, UsageError, usageLine } from "../../core/src/command-line.ts";
import { ConfigError, type Env, readEnv } from "../../core/src/env.ts";
import { createPoller, type Poller, type PollOutcome } from "./poll.ts";
import { createCollectorAlerts } from "./alerts/collector-alerts.ts";
import { createClockGuard } from "./clock-guard.ts";
import { startScheduler } from "./scheduler.ts";
import { withoutCredentials } from "./url-credentials.ts";
import type { Source, SourceDeps } from "./sources/source.ts";
import type { InfluxWriter } from "./store/influx-writer.ts";
import { openQueue } from "./store/journal-queue.ts";
import { freeSpace, ioErrorCode, type Journal, openJournal } from "./store/journal.ts";
import { type DataDirLock, DataDirBusyError, lockDataDir } from "../../core/src/lock.ts";
import type { Point } from "../../core/src/data/line-protocol.ts";
import { JOURNAL_DIR } from "../../core/src/data/data-dir.ts";

/**
 * Journal segment age. With InfluxDB the journal is a send queue: hourly segments let acknowledged
 * data be deleted soon. Without it the journal is the local store kept for years and the report
 * engine stats every segment each cycle: daily segments keep that to ~365 files a year, not ~8760.
 */
const SEGMENT_AGE_WITH_INFLUX_MS = 60 * 60 * 1000;
const SEGMENT_AGE_LOCAL_MS = 24 * 60 * 60 * 1000;

/** Longest shutdown, from the stop signal to exit, ms (README and docker-compose rely on it). */
const SHUTDOWN_MS = 10_000;
/** The writer starts no new request in the last this many ms of the shutdown. */
const SHUTDOWN_SEND_MARGIN_MS = 1000;
/** In --once, how long to wait for InfluxDB to acknowledge, ms. */
const ONCE_SEND_MS = 15_000;
/** While DATA_DIR is full at start, how often to try again, ms. */
const STORAGE_RETRY_MS = 2000;

const USAGE = "usage: npm run collect [-- --once]";

export const NO_SOURCE_MESSAGE =
  "No source configured. Set SHELLY_URL (e.g. SHELLY_URL=http://192.168.1.50) for the Shelly Pro 3EM " +
  "(or SHELLY_METERS for several meters) " +
  "and/or VIESSMANN_CLIENT_ID (then run `npm run login`) for the heat pump, in the environment or in .env.";

export interface MainIo {
  env?: Env;
  cwd?: string;
  clock?: Clock;
  /** Readings and results for the user (--once). Default: stdout. */
  print?: (text: string) => void;
  /** Messages without a logger (configuration errors). Default: stderr. */
  printError?: (text: string) => void;
  /** Where log lines go (default: stdout, warn and error to stderr); tests collect them. */
  writeLog?: (level: LogLevel, line: string) => void;
  /** Resolves when the collector should stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<string>;
  /** Longest shutdown, ms. Default SHUTDOWN_MS (10 s); tests shorten it. */
  shutdownMs?: number;
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
  if (config.meters.length > 0) {
    const { createShellySource } = await import("./sources/shelly/index.ts");
    // One source per meter: each is polled on its own, and one failing is a gap for it alone.
    for (const meter of config.meters) sources.push(createShellySource(meter, deps));
  }
  if (config.viessmann) {
    const { createViessmannSource } = await import("./sources/viessmann/index.ts");
    sources.push(createViessmannSource(config.viessmann, deps));
  }
  return sources;
}

/**
 * Every point the collector writes carries the home's tag (HOME_ID), whatever made it: readings,
 * health points, alerts. Added here, on the way into the journal, so that no point can miss it.
 */
export function withHome(points: readonly Point[], home: string): Point[] {
  return points.map((p) => ({ ...p, tags: { ...p.tags, [TAG.home]: home } }));
}

/** The live values (MQTT) are the heat pump's: the other meters' power is not the heat pump's power. */
export const heatPumpOnly = (points: readonly Point[]): Point[] =>
  points.filter(
    (p) =>
      p.measurement !== MEASUREMENT.electric ||
      (p.tags[TAG.role] ?? DEFAULT_METER_ROLE) === DEFAULT_METER_ROLE,
  );

const describeError = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));

// Not unref'd: while DATA_DIR is full this timer is what keeps the process waiting.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * SIGTERM and SIGINT: the first resolves `stopped`. A second one while stopping is ignored (one
 * Ctrl-C under npm arrives twice); a third exits at once, skipping the final flush (the journal
 * keeps every point collected so far).
 */
function stopSignals(logger: Logger): { stopped: Promise<string>; dispose(): void } {
  let count = 0;
  let resolve!: (signal: string) => void;
  const stopped = new Promise<string>((r) => (resolve = r));
  const onSignal = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) return resolve(signal);
    if (count === 2)
      return logger.info(
        `collector: ${signal} again while stopping; ignored (a third one exits at once, without the final flush)`,
      );
    logger.warn(
      `collector: ${signal} a third time: exiting now without the final flush; ` +
        "unsent points stay in the journal for the next start",
    );
    process.exit(128 + (osConstants.signals[signal] ?? 0));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return {
    stopped,
    dispose() {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    },
  };
}

/** What to do about a DATA_DIR the journal cannot be created in, by error code. */
function dataDirHint(code: string): string {
  if (code === "EACCES" || code === "EPERM")
    return "make it writable for the user running the collector, or set DATA_DIR elsewhere";
  if (code === "ENOENT")
    return "a part of the path is missing or a broken symbolic link; create it, or set DATA_DIR elsewhere";
  if (code === "EROFS") return "it is on a read-only file system; set DATA_DIR to a writable place";
  if (code === "ENOSPC" || code === "EDQUOT") return "the disk is full; free some space there";
  return "make it a writable directory, or set DATA_DIR elsewhere";
}

/**
 * Creates DATA_DIR/journal, takes the lock and opens the journal. Returns an exit code instead
 * when it cannot (busy, unusable) or when `stop` came while waiting for space on a full disk.
 */
async function openDataDir(
  config: Config,
  deps: {
    logger: Logger;
    clock: Clock;
    printError: (t: string) => void;
    stop: Promise<string>;
    /** --once: a full disk is reported, not waited for. */
    once: boolean;
  },
): Promise<{ lock: DataDirLock; journal: Journal } | number> {
  const { logger, clock, printError } = deps;
  const journalDir = join(config.dataDir, JOURNAL_DIR);
  const segmentMaxAgeMs = config.influx ? SEGMENT_AGE_WITH_INFLUX_MS : SEGMENT_AGE_LOCAL_MS;
  let stopped: string | undefined;
  void deps.stop.then((why) => (stopped = why));
  let waiting = false;
  for (;;) {
    let lock: DataDirLock | undefined;
    try {
      await mkdir(journalDir, { recursive: true });
      lock = await lockDataDir(config.dataDir, { logger });
      const journal = await openJournal({ dir: journalDir, clock, logger, segmentMaxAgeMs });
      if (waiting) logger.info(`collector: DATA_DIR ${config.dataDir} can be written again; starting`);
      return { lock, journal };
    } catch (e) {
      lock?.release();
      if (e instanceof DataDirBusyError) {
        printError(e.message);
        return 2;
      }
      const code = ioErrorCode(e);
      if (!code) throw e;
      if ((code !== "ENOSPC" && code !== "EDQUOT") || deps.once) {
        printError(`DATA_DIR: cannot write the journal in ${journalDir} (${code}); ${dataDirHint(code)}`);
        return 2;
      }
      if (!waiting)
        logger.error(
          `collector: DATA_DIR ${config.dataDir} is full (${code}${await freeSpace(config.dataDir)}); nothing can be ` +
            "journaled, so nothing is polled until there is space. " +
            `Free some space there; trying again every ${STORAGE_RETRY_MS / 1000} s`,
        );
      waiting = true;
      await Promise.race([sleep(STORAGE_RETRY_MS), deps.stop]);
      if (stopped !== undefined) {
        logger.info(`collector: stopped (${stopped}) while waiting for space in ${config.dataDir}`);
        return 0;
      }
    }
  }
}

export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const rawPrint = io.print ?? ((t: string) => process.stdout.write(t + "\n"));
  const rawPrintError = io.printError ?? ((t: string) => process.stderr.write(t + "\n"));
  // Messages go through the logger's redaction too, once the secrets are known.
  let secrets: readonly string[] = [];
  const print = (t: string) => rawPrint(redact(t, secrets));
  const printError = (t: string) => rawPrintError(redact(t, secrets));
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
  try {
    config = loadConfig(io.env ?? readEnv(io.cwd), io.cwd);
  } catch (e) {
    if (e instanceof ConfigError) {
      printError(e.message);
      return 2;
    }
    throw e;
  }
  secrets = config.secrets;
  const logger = createLogger({ secrets, level: config.logLevel, clock, write: io.writeLog });
  if (config.meters.length === 0 && !config.viessmann) {
    printError(NO_SOURCE_MESSAGE);
    return 2;
  }

  const signals = io.stopSignal || once ? undefined : stopSignals(logger);
  const stop = io.stopSignal ?? signals?.stopped ?? new Promise<string>(() => undefined);
  try {
    const opened = await openDataDir(config, { logger, clock, printError, stop, once });
    if (typeof opened === "number") return opened;
    const { lock, journal } = opened;
    try {
      // After DATA_DIR is usable: the sources keep their state files there.
      const sources = await createSources(config, { clock, logger, dataDir: config.dataDir });
      return await collect(once, { config, logger, sources, journal, clock, print, printError, io, stop });
    } finally {
      lock.release();
    }
  } finally {
    signals?.dispose();
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
  /** Resolves when the collector should stop. */
  stop: Promise<string>;
}

/** Everything after the DATA_DIR lock is taken: --once, or polling until stopped. */
async function collect(once: boolean, run: Run): Promise<number> {
  const { config, logger, sources, journal, clock, print, printError, io, stop } = run;
  const journalDir = journal.dir;
  const append = (points: readonly Point[]) => journal.append(withHome(points, config.home.id));
  let writer: InfluxWriter | undefined;
  if (config.influx) {
    const queue = await openQueue(journal, logger);
    // Imported only with INFLUX_URL, for the same reason as the sources.
    const { createInfluxWriter } = await import("./store/influx-writer.ts");
    writer = createInfluxWriter(config.influx, queue, { clock, logger: logger.child("influx") });
  }

  let bug: ((e: unknown) => void) | undefined;
  const bugSeen = new Promise<string>((resolve) => (bug = () => resolve("unexpected error")));
  // One guard for all sources: a step of the wall clock is logged once, not once per source.
  const clockGuard = createClockGuard(logger);
  // Not in --once: a check a minute beside the polls, telling the owner what only the collector sees.
  const alerts = once
    ? undefined
    : createCollectorAlerts({ config, journalDir, writer, append, clock, logger });
  // Live values to Home Assistant (MQTT_URL), not in --once; imported only when configured, as the sources.
  const live =
    config.mqtt && !once
      ? (await import("./mqtt/live-mqtt.ts")).startLiveMqtt(config.mqtt, {
          logger,
          sources,
          thresholdW: config.startingPowerW,
          elecIntervalMs: config.shelly?.intervalMs ?? 10_000,
        })
      : undefined;
  const pollers: Poller[] = (alerts?.wrap(sources) ?? sources).map((s) =>
    createPoller(s, {
      clock,
      logger,
      // Published once journaled: what Home Assistant shows is what the journal holds.
      append: (p) => append(p).then(() => live?.onPoints(heatPumpOnly(p))),
      onUnexpected: (e) => bug?.(e),
      maxPowerW: config.maxPowerW,
      clockGuard,
      // The builder cannot read journal/rejected/: the count of refused lines rides on the health points.
      health: writer && (() => ({ lines_rejected: writer.linesRejected() })),
    }),
  );

  /** Closes the journal, sends until `deadlineMs` (clock time), closes the rest; true if all was sent. */
  const closeAll = async (deadlineMs: number): Promise<boolean> => {
    // Says `offline` to Home Assistant while the rest closes; at most a second.
    const liveClosed = live?.close(1000);
    await journal.close();
    const sent = writer ? await writer.drain(deadlineMs).catch(() => false) : true;
    await writer?.stop();
    for (const s of sources)
      await s
        .close?.()
        .catch((e: unknown) => logger.warn(`${s.label ?? s.name}: close: ${describeError(e)}`));
    await liveClosed;
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
        failed.push(p.source.label ?? p.source.name);
        const msg =
          outcome.kind === "bug" ? "unexpected error (stack above)" : (outcome.error as Error).message;
        printError(`${p.source.label ?? p.source.name}: FAILED: ${msg}`);
      }
    }
    const sent = await closeAll(clock.now() + ONCE_SEND_MS);
    const what = writtenSummary(written, pollers.length);
    if (config.influx)
      print(
        sent
          ? `${what} to the journal and sent them to InfluxDB at ${withoutCredentials(config.influx.url)} ` +
              `(bucket ${config.influx.bucket}).`
          : `${what} to the journal in ${journalDir}; ` +
              "InfluxDB has not acknowledged yet, the collector sends them later.",
      );
    else print(`${what} to the local journal in ${journalDir} (INFLUX_URL is not set).`);
    if (failed.length > 0) {
      printError(`--once: ${failed.join(", ")} failed; see the message above.`);
      return 1;
    }
    return 0;
  }

  logger.info(
    `collector: sources ${sources.map((s) => s.label ?? s.name).join(", ")}; journal ${journalDir}; ` +
      (config.influx
        ? `sending to InfluxDB at ${withoutCredentials(config.influx.url)}, bucket ${config.influx.bucket}`
        : "local journal only (INFLUX_URL not set)"),
  );
  writer?.start();
  alerts?.start();
  const scheduler = startScheduler(pollers, { clock, logger });
  const onCrash = (e: unknown) => {
    logger.error(`collector: unexpected error: ${describeError(e)}`);
    bug?.(e);
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);

  const why = await Promise.race([stop, bugSeen]);
  const failedHard = why === "unexpected error";
  // Undelivered notices stay in the alert state's outbox for the next start.
  alerts?.stop();
  const shutdownMs = io.shutdownMs ?? SHUTDOWN_MS;
  logger.info(
    `collector: stopping (${why}); finishing polls in flight and flushing, for at most ${shutdownMs / 1000} s`,
  );
  // Everything below races one deadline: a hanging InfluxDB, device or disk cannot stretch the
  // stop beyond it (a supervisor would kill us anyway, and the journal keeps what is unsent).
  const sendUntil = clock.now() + Math.max(0, shutdownMs - SHUTDOWN_SEND_MARGIN_MS);
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<"out of time">((resolve) => {
    timer = setTimeout(() => resolve("out of time"), shutdownMs);
  });
  const closing = scheduler
    .stop()
    .then(() => closeAll(sendUntil))
    .catch((e: unknown) => {
      logger.error(`collector: while stopping: ${describeError(e)}`);
      return false;
    });
  const result = await Promise.race([closing, outOfTime]);
  clearTimeout(timer);
  if (result === "out of time")
    logger.warn(
      `collector: still not done after ${shutdownMs / 1000} s (InfluxDB, a device or the disk does not answer); ` +
        `stopping now, unsent points stay in ${journalDir} and are sent at the next start`,
    );
  else if (writer && !result)
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
