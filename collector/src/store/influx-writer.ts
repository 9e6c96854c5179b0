/**
 * Sends the journal to InfluxDB v2, in journal order, and moves the journal cursor only after
 * InfluxDB acknowledged a batch. Lines are sent exactly as journaled (precision `ns`), so a point
 * re-sent after a crash carries its original poll time and InfluxDB overwrites it instead of
 * duplicating it. The durable journal is the retry buffer; this module composes the parts:
 * - write-api.ts: one batch as one request through @influxdata/influxdb-client, never retried by it.
 * - retry-strategy.ts: the back-off between attempts (exponential from `minRetryDelayMs` to
 *   `maxRetryDelayMs`, plus jitter, or longer when the server's Retry-After asks for it).
 * - refusal-narrowing.ts: 413 (halved, the size that went through kept), 400 (bisected to the
 *   refused lines, which go to `journal/rejected/` with the server's message). Each bisection step
 *   backs off like a failure, so a server that refuses everything is not hammered.
 * - partial-write.ts: 422, a partial write (InfluxDB stored the rest): never sent again; the lines
 *   its message names go to `journal/rejected/`, so do later lines with a field it refused (before
 *   they are sent), and a cause naming no line keeps the lines sent there marked partial.
 * - writer-state.ts: the state (ok, down, auth) and its log lines, once per change of answer.
 * An answer the writer acts on (a batch acknowledged, a partial write, a line set aside) ends the
 * back-off: the next batch goes at once, so nothing newer waits behind a bad line.
 * `linesRejected()` counts the lines set aside since start (for a partial write naming no line, the
 * points it dropped): the `collector` measurement's `lines_rejected`.
 * InfluxDB's other answers ("Troubleshoot issues writing data" in the InfluxDB v2 docs): 204 is
 * acknowledged; 401 / 403 / 404 are a token, permission or bucket problem, and anything else
 * (refused, timeout, 5xx, 429) is InfluxDB down: the journal is kept and retried later.
 */
import { join } from "node:path";
import { HttpError } from "@influxdata/influxdb-client";
import type { InfluxConfig } from "../config.ts";
import type { Clock, Logger } from "../../../core/src/effects.ts";
import { withoutCredentials } from "../url-credentials.ts";
import { type Batch, type JournalQueue, REJECTED_DIR } from "./journal-queue.ts";
import { freeSpace, ioErrorCode } from "./journal.ts";
import { createPartialWrites, type Refused } from "./partial-write.ts";
import { createRefusalNarrowing, isRefusal } from "./refusal-narrowing.ts";
import { createRetryStrategy } from "./retry-strategy.ts";
import { openWriteApi } from "./write-api.ts";
import { createStateReporter, short, type WriterState } from "./writer-state.ts";

export type { WriterState } from "./writer-state.ts";

export interface InfluxWriterOptions {
  /** Lines per HTTP write request (at most; a 413 lowers it for the run). Default 5000. */
  batchLines?: number;
  /** Bytes read from the journal per request (a line never exceeds it). Default 1 MiB. */
  batchBytes?: number;
  /**
   * How often new journal lines are sent, ms. Default: `config.flushIntervalMs` (INFLUX_FLUSH_INTERVAL),
   * else 10 000 (6 requests/min in steady state).
   */
  flushIntervalMs?: number;
  /** HTTP timeout of one write request, ms. Default 10 000. */
  timeoutMs?: number;
  /** First delay after a failed or refused write, ms. Default 5000. */
  minRetryDelayMs?: number;
  /** Longest delay between attempts, ms (a Retry-After may ask for up to 10 minutes). Default 120 000. */
  maxRetryDelayMs?: number;
  /** Random extra delay, up to this many ms. Default 1000. */
  retryJitterMs?: number;
  /** Request bodies larger than this many bytes are gzipped. Default 1000. */
  gzipThreshold?: number;
}

export interface InfluxWriter {
  /** Starts sending every `flushIntervalMs`. */
  start(): void;
  /**
   * Sends what is journaled now, until the journal is empty, a write fails or is refused, or
   * `deadlineMs` (clock time) passes. Resolves true when nothing is left to send.
   */
  drain(deadlineMs?: number): Promise<boolean>;
  /** Stops the timer and waits for a request in flight. */
  stop(): Promise<void>;
  state(): WriterState;
  /** Lines InfluxDB refused since start, set aside in `journal/rejected/` (a counter). */
  linesRejected(): number;
}

interface InfluxWriterDeps {
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * - done: the cursor is past the batch (acknowledged, stored partly, or lines set aside); go on.
 * - smaller: 413 of several lines, halved; send again at once.
 * - narrowed: 400 of several lines; the next request takes half. failed: not written (down, auth).
 *   These two wait for the back-off.
 */
type Outcome = "done" | "smaller" | "narrowed" | "failed";

/** What the server said, on one line (the JSON `message` of InfluxDB, else the body). */
function serverMessage(e: HttpError): string {
  const json = e.json as { message?: unknown } | undefined;
  const text = typeof json?.message === "string" ? json.message : (e.body ?? e.message);
  return text.replace(/\s+/g, " ").trim();
}

export function createInfluxWriter(
  config: InfluxConfig,
  queue: JournalQueue,
  deps: InfluxWriterDeps,
  opts: InfluxWriterOptions = {},
): InfluxWriter {
  const log = deps.logger;
  const batchLines = opts.batchLines ?? 5000;
  const batchBytes = opts.batchBytes ?? 1024 * 1024;
  const flushIntervalMs = opts.flushIntervalMs ?? config.flushIntervalMs ?? 10_000;
  const minRetryDelayMs = opts.minRetryDelayMs ?? 5000;
  const maxRetryDelayMs = opts.maxRetryDelayMs ?? 120_000;
  const retryJitterMs = opts.retryJitterMs ?? 1000;
  const where = `InfluxDB at ${withoutCredentials(config.url)}`;

  const write = openWriteApi(
    config,
    {
      batchLines,
      batchBytes,
      timeoutMs: opts.timeoutMs ?? 10_000,
      gzipThreshold: opts.gzipThreshold ?? 1000,
      minRetryDelayMs,
      maxRetryDelayMs,
      retryJitterMs,
    },
    log,
  );
  const retry = createRetryStrategy({
    minDelayMs: minRetryDelayMs,
    maxDelayMs: maxRetryDelayMs,
    jitterMs: retryJitterMs,
    clock: deps.clock,
  });
  const narrowing = createRefusalNarrowing(batchLines);
  const reporter = createStateReporter({ logger: log, where, org: config.org, bucket: config.bucket });
  const partial = createPartialWrites({ logger: log, where, rejectedDir: join(queue.dir, REJECTED_DIR) });
  let linesRejected = 0;
  /** No request before this clock time (the back-off after a failure or refusal). */
  let retryAtMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let stopped = false;

  function backOff(e: unknown): void {
    retryAtMs = deps.clock.now() + retry.nextDelay(e);
  }

  /** The batch is through: `parts` to rejected/, the cursor past it, and no back-off before the next. */
  async function done(batch: Batch, parts: readonly Refused[]): Promise<string[]> {
    const files = await queue.putAside(batch, parts);
    for (const p of parts) linesRejected += p.refused;
    reporter.journalWritten();
    retry.success();
    retryAtMs = 0;
    return files;
  }

  async function refused(
    batch: Batch,
    sent: readonly string[],
    aside: readonly Refused[],
    e: HttpError,
  ): Promise<Outcome> {
    const status = e.statusCode;
    const message = serverMessage(e);
    const n = sent.length;
    const next = narrowing.refused({ ...batch, lines: sent }, status, message);
    switch (next.action) {
      case "partial-write":
        // Stored but for the lines the message names (or, naming none, kept partial): never again.
        reporter.accepted();
        await done(batch, [...aside, ...partial.answered(sent, message)]);
        narrowing.sent(batch);
        return "done";
      case "smaller": {
        const said = message ? `: ${short(message)}` : "";
        log.warn(
          `${where} refused a request of ${n} lines as too large (HTTP ${status}${said}; a proxy's body size ` +
            `limit?); sending at most ${next.lines} lines per request from now on`,
        );
        return "smaller";
      }
      case "narrow":
        // Each bisection step backs off like a failure, so a server refusing everything is not hammered.
        backOff(e);
        if (next.started)
          log.warn(
            `${where} refused ${n} lines (HTTP ${status}: ${short(message)}); narrowing them down to the refused ` +
              "lines, which go to rejected/, while the others are sent",
          );
        return "narrowed";
      case "set-aside": {
        // The refused line goes aside with the server's words; the queue goes on behind it at once.
        const line = { why: `InfluxDB answered HTTP ${status}: ${message}`, lines: sent, refused: n };
        const file = (await done(batch, [...aside, line])).at(-1);
        log.error(
          `${where} refused a line (HTTP ${status}: ${short(message)}); ` +
            `moved it to ${file} and carried on with the next`,
        );
        narrowing.setAside();
        return "done";
      }
      case "refusing-everything":
        backOff(e);
        reporter.refusingEverything(status, message);
        return "failed";
    }
  }

  async function send(batch: Batch): Promise<Outcome> {
    // Lines with a field InfluxDB refused earlier in this run go aside unsent.
    const { aside, rest } = partial.split(batch.lines);
    if (rest.length > 0) {
      try {
        await write(rest);
      } catch (e) {
        if (e instanceof HttpError && isRefusal(e.statusCode)) return refused(batch, rest, aside, e);
        backOff(e);
        reporter.failed(e);
        return "failed";
      }
      reporter.accepted();
    }
    await done(batch, aside);
    if (rest.length > 0) narrowing.sent(batch);
    return "done";
  }

  /**
   * Sends until done, failed or past the deadline. The journal's own files (cursor, rejected/)
   * may fail to write too (disk full): then sending pauses like after a failed request; a batch
   * InfluxDB took but the cursor did not record is sent again later, which InfluxDB overwrites.
   */
  async function pump(deadlineMs: number): Promise<boolean> {
    try {
      return await pumpBatches(deadlineMs);
    } catch (e) {
      const code = ioErrorCode(e);
      if (!code) throw e;
      backOff(e);
      // A failed write through a file handle names no file; the journal's directory is enough.
      const file = (e as NodeJS.ErrnoException).path ?? queue.dir;
      reporter.journalFailed(code, file, await freeSpace(queue.dir));
      return false;
    }
  }

  async function pumpBatches(deadlineMs: number): Promise<boolean> {
    for (;;) {
      if (stopped && deadlineMs === Infinity) return false;
      if (deps.clock.now() >= deadlineMs) return false;
      const batch = await queue.next(narrowing.lines(), batchBytes);
      if (!batch) return true;
      const outcome = await send(batch);
      if (outcome === "narrowed" || outcome === "failed") return false; // wait for the back-off (see schedule)
    }
  }

  function run(deadlineMs: number): Promise<boolean> {
    if (!running) running = pump(deadlineMs).finally(() => (running = undefined));
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    const wait = Math.max(flushIntervalMs, retryAtMs - deps.clock.now());
    timer = setTimeout(() => {
      run(Infinity)
        .catch((e: unknown) =>
          log.error(`writer: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
        )
        .finally(schedule);
    }, wait);
    timer.unref();
  }

  return {
    start: schedule,
    async drain(deadlineMs = Infinity) {
      await running?.catch(() => undefined);
      return run(deadlineMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    state: reporter.state,
    linesRejected: () => linesRejected,
  };
}
