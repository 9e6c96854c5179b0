/**
 * Sends the journal to InfluxDB v2 with @influxdata/influxdb-client, in journal order, and moves the
 * journal cursor only after InfluxDB acknowledged a batch (the resolved `flush()` of the WriteApi is
 * the acknowledgement). Lines are sent exactly as journaled (precision `ns`), so a point re-sent
 * after a crash carries its original poll time and InfluxDB overwrites it instead of duplicating it.
 *
 * The client's own retry buffer lives in memory only and would resend behind our back, so its
 * `maxRetries` is 0: the durable journal is the retry buffer, and this module backs off between
 * attempts (exponential from `minRetryDelayMs` to `maxRetryDelayMs`, plus jitter, or the server's
 * Retry-After).
 *
 * Answers: 204 -> ack. 400 / 422 (malformed, field type conflict, outside retention) -> the batch is
 * moved to `journal/rejected/` with one log line, the queue goes on. 401 / 403 / 404 -> token,
 * permission or bucket problem: logged once per change of state, journal kept, retried later.
 * Anything else (refused, timeout, 5xx, 429) -> InfluxDB is down: logged once, retried later.
 */
import {
  HttpError,
  InfluxDB,
  setLogger,
  type WriteApi,
  type WriteOptions,
} from "@influxdata/influxdb-client";
import type { InfluxConfig } from "../config.ts";
import type { Clock, Logger } from "../effects.ts";
import type { Batch, JournalQueue } from "./journal-queue.ts";

export interface InfluxWriterOptions {
  /** Lines per HTTP write request. Default 5000. */
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
  /** First delay after a failed write, ms. Default 5000. */
  minRetryDelayMs?: number;
  /** Longest delay between attempts, ms. Default 120 000. */
  maxRetryDelayMs?: number;
  /** Random extra delay, up to this many ms. Default 1000. */
  retryJitterMs?: number;
  /** Request bodies larger than this many bytes are gzipped. Default 1000. */
  gzipThreshold?: number;
}

export type WriterState = "ok" | "down" | "auth";

export interface InfluxWriter {
  /** Starts sending every `flushIntervalMs`. */
  start(): void;
  /**
   * Sends what is journaled now, until the journal is empty, a write fails, or `deadlineMs` (clock
   * time) passes. Resolves true when nothing is left to send.
   */
  drain(deadlineMs?: number): Promise<boolean>;
  /** Stops the timer and waits for a request in flight. */
  stop(): Promise<void>;
  state(): WriterState;
}

export interface InfluxWriterDeps {
  readonly clock: Clock;
  readonly logger: Logger;
}

type Outcome = "sent" | "rejected" | "failed";

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

  // The client logs every failed request itself; our state lines say it once, so its go to debug.
  setLogger({
    error: (msg, err) => log.debug(`influxdb-client: ${msg} ${err instanceof Error ? err.message : ""}`),
    warn: (msg, err) => log.debug(`influxdb-client: ${msg} ${err instanceof Error ? err.message : ""}`),
  });

  const writeOptions: Partial<WriteOptions> = {
    // One batch from the journal = one request: the client's buffer must never send on its own
    // (an automatic flush's result is not reported to us), hence one more line and double the bytes.
    batchSize: batchLines + 1,
    maxBatchBytes: batchBytes * 2,
    flushInterval: 0, // no timer-driven sends; we call flush()
    maxRetries: 0, // the journal is the (durable) retry buffer, see above
    maxRetryTime: 3_600_000, // only an expiry check before each send; never reached without retries
    maxBufferLines: 0, // no client-side retry buffer (maxRetries 0)
    retryJitter: retryJitterMs,
    minRetryDelay: minRetryDelayMs,
    maxRetryDelay: maxRetryDelayMs,
    exponentialBase: 2,
    randomRetry: true,
    gzipThreshold: opts.gzipThreshold ?? 1000,
    // Reject at once instead of letting the client decide; the outcome is handled below.
    writeFailed: (error) => Promise.reject(error),
  };
  const writeApi: WriteApi = new InfluxDB({
    url: config.url,
    token: config.token,
    timeout: opts.timeoutMs ?? 10_000,
  }).getWriteApi(config.org, config.bucket, "ns", writeOptions);

  let state: WriterState = "ok";
  let failures = 0;
  let retryAtMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let stopped = false;

  function setState(next: WriterState, message: string, level: "info" | "warn" | "error"): void {
    if (next !== state) log[level](message);
    state = next;
  }

  async function send(batch: Batch): Promise<Outcome> {
    try {
      writeApi.writeRecords(batch.lines as string[]);
      await writeApi.flush();
      if (state !== "ok")
        setState(
          "ok",
          `InfluxDB at ${config.url} accepts writes again; sending the backlog in order`,
          "info",
        );
      failures = 0;
      retryAtMs = 0;
      return "sent";
    } catch (e) {
      const status = e instanceof HttpError ? e.statusCode : undefined;
      if (status === 400 || status === 422) {
        const body = e instanceof HttpError ? (e.body ?? e.message).slice(0, 300) : "";
        const file = await queue.setAside(batch);
        log.error(
          `InfluxDB rejected ${batch.lines.length} lines as malformed (HTTP ${status}: ${body}); moved them to ${file} and carried on`,
        );
        return "rejected";
      }
      failures++;
      const backoff = Math.min(maxRetryDelayMs, minRetryDelayMs * 2 ** (failures - 1));
      const serverWants = e instanceof HttpError ? e.retryAfter() : 0;
      retryAtMs = deps.clock.now() + Math.max(backoff, serverWants) + Math.random() * retryJitterMs;
      if (status === 401 || status === 403 || status === 404) {
        const why =
          status === 404
            ? `org "${config.org}" or bucket "${config.bucket}" does not exist (HTTP 404); check INFLUX_ORG and INFLUX_BUCKET`
            : `the token is wrong or lacks write permission on bucket "${config.bucket}" (HTTP ${status}); check INFLUX_TOKEN`;
        setState(
          "auth",
          `InfluxDB at ${config.url}: ${why}. The journal keeps every point; retrying.`,
          "error",
        );
      } else {
        const what = status ? `HTTP ${status}` : e instanceof Error ? e.message : String(e);
        setState(
          "down",
          `InfluxDB at ${config.url} is not accepting writes (${what}); the journal keeps every point, will keep trying`,
          "warn",
        );
      }
      return "failed";
    }
  }

  async function pump(deadlineMs: number): Promise<boolean> {
    for (;;) {
      if (stopped && deadlineMs === Infinity) return false;
      if (deps.clock.now() >= deadlineMs) return false;
      const batch = await queue.next(batchLines, batchBytes);
      if (!batch) return true;
      const outcome = await send(batch);
      if (outcome === "failed") return false;
      if (outcome === "sent") await queue.ack(batch); // "rejected" was acked by setAside
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
    state: () => state,
  };
}
