/**
 * Sends the journal to InfluxDB v2 with @influxdata/influxdb-client, in journal order, and moves the
 * journal cursor only after InfluxDB acknowledged a batch (the resolved `flush()` of the WriteApi is
 * the acknowledgement). Lines are sent exactly as journaled (precision `ns`), so a point re-sent
 * after a crash carries its original poll time and InfluxDB overwrites it instead of duplicating it.
 *
 * The client's own retry buffer lives in memory only and would resend behind our back, so its
 * `maxRetries` is 0: the durable journal is the retry buffer, and this module backs off between
 * attempts (exponential from `minRetryDelayMs` to `maxRetryDelayMs`, plus jitter, or longer when
 * the server's Retry-After asks for it, in seconds or as an HTTP-date, capped at 10 minutes).
 *
 * InfluxDB's answers drive it ("Troubleshoot issues writing data" in the InfluxDB v2 docs):
 * - 204: acknowledged.
 * - 413 (request too large, all of it rejected; typically a reverse proxy's body size limit): the
 *   batch is halved and sent again at once, and the smaller size is kept for the rest of the run.
 *   A single line still refused is moved to `journal/rejected/`.
 * - 400 (malformed: all of the request rejected) and 422 (some or all points rejected, e.g. a field
 *   type conflict or outside retention; the rest was written): the refused lines are found by
 *   bisection. The next requests take half as many lines, down to one; lines accepted on the way
 *   are acknowledged (re-sending a point InfluxDB already wrote is harmless, it overwrites itself),
 *   and a single refused line goes to `rejected/` with the server's message. Each refusal backs
 *   off like a failure, so a server that refuses everything is not hammered.
 * - 401 / 403 / 404: token, permission or bucket problem; the journal is kept, retried later.
 * - Anything else (refused, timeout, 5xx, 429): InfluxDB is down; kept and retried later.
 * A state is logged once, and again whenever the status received changes.
 */
import {
  HttpError,
  InfluxDB,
  setLogger,
  type WriteApi,
  type WriteOptions,
} from "@influxdata/influxdb-client";
import type { InfluxConfig } from "../config.ts";
import type { Clock, Logger } from "../../../core/src/effects.ts";
import { retryAfterMs } from "../retry-after.ts";
import { withoutCredentials } from "../url-credentials.ts";
import type { Batch, JournalQueue } from "./journal-queue.ts";
import { freeSpace, ioErrorCode } from "./journal.ts";

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

export type WriterState = "ok" | "down" | "auth";

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
}

export interface InfluxWriterDeps {
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * - sent: acknowledged. smaller: 413 of several lines, halved; send again at once.
 * - narrowed: 400/422 of several lines; the next request takes half. set-aside: one refused line
 *   moved to rejected/. failed: not written (down, auth). The last three wait for the back-off.
 */
type Outcome = "sent" | "smaller" | "narrowed" | "set-aside" | "failed";

/** A journal position: the end of a batch. */
type Position = Pick<Batch, "segment" | "end">;
const reached = (b: Position, p: Position) =>
  b.segment > p.segment || (b.segment === p.segment && b.end >= p.end);

/** What the server said, on one line (the JSON `message` of InfluxDB, else the body). */
function serverMessage(e: HttpError): string {
  const json = e.json as { message?: unknown } | undefined;
  const text = typeof json?.message === "string" ? json.message : (e.body ?? e.message);
  return text.replace(/\s+/g, " ").trim();
}
const short = (text: string) => (text.length > 300 ? text.slice(0, 300) + "..." : text);

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
  /** What the last state line said (state + status), so a new status gets its own line. */
  let stateKey = "ok";
  /** Failed or refused requests in a row: the back-off doubles with each. */
  let failures = 0;
  let retryAtMs = 0;
  /** Largest request InfluxDB (or a proxy in front of it) took, in lines; lowered by 413. */
  let fitLines = batchLines;
  /**
   * While bisecting a 400/422: lines per request until the cursor reaches `until`; `accepted` once
   * a request was taken meanwhile (so InfluxDB takes other lines); `everything` when even single
   * lines are refused with nothing to show it is them: a server refusing every write, like an outage.
   */
  let narrowing: { lines: number; until: Position; accepted: boolean; everything: boolean } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let stopped = false;

  function setState(next: WriterState, key: string, message: string, level: "info" | "warn" | "error"): void {
    if (key !== stateKey) log[level](message);
    state = next;
    stateKey = key;
  }

  function backOff(e: unknown): void {
    failures++;
    const now = deps.clock.now();
    const exponential = Math.min(maxRetryDelayMs, minRetryDelayMs * 2 ** (failures - 1));
    const serverWants = e instanceof HttpError ? (retryAfterMs(e.headers?.["retry-after"], now) ?? 0) : 0;
    retryAtMs = now + Math.max(exponential, serverWants) + Math.random() * retryJitterMs;
  }

  /** A refused line goes aside with the server's words; the queue goes on behind it. */
  async function setAside(batch: Batch, status: number, message: string): Promise<Outcome> {
    const file = await queue.setAside(batch, `InfluxDB answered HTTP ${status}: ${message}`);
    log.error(
      `${where} refused a line (HTTP ${status}: ${short(message)}); moved it to ${file} and carried on with the next`,
    );
    // Whole batches again: a second refused line in the rest starts a new bisection.
    narrowing = undefined;
    return "set-aside";
  }

  async function refused(batch: Batch, e: HttpError): Promise<Outcome> {
    const status = e.statusCode;
    const message = serverMessage(e);
    const n = batch.lines.length;
    if (status === 413 && n > 1) {
      fitLines = Math.max(1, Math.floor(n / 2));
      log.warn(
        `${where} refused a request of ${n} lines as too large (HTTP 413${message ? `: ${short(message)}` : ""}; ` +
          `a proxy's body size limit?); sending at most ${fitLines} lines per request from now on`,
      );
      return "smaller";
    }
    backOff(e);
    const until = narrowing && reached(narrowing.until, batch) ? narrowing.until : batch;
    if (n > 1) {
      if (!narrowing)
        log.warn(
          `${where} refused ${n} lines (HTTP ${status}: ${short(message)}); narrowing them down to the refused ` +
            "lines, which go to rejected/, while the others are sent",
        );
      narrowing = {
        lines: Math.max(1, Math.floor(n / 2)),
        until: { segment: until.segment, end: until.end },
        accepted: narrowing?.accepted ?? false,
        everything: false,
      };
      return "narrowed";
    }
    // One line refused. It is this line when InfluxDB says so: a 400 names the first malformed
    // line, a 422 or a 413 is about the points sent; or when other lines went in meanwhile.
    const line = batch.lines[0]!;
    if (status !== 400 || message.includes(line.slice(0, 100)) || narrowing?.accepted)
      return setAside(batch, status, message);
    setState(
      "down",
      `refusing ${status}`,
      `${where} refuses every write, even single lines (HTTP ${status}: ${short(message)}); the journal keeps every point, will keep trying`,
      "warn",
    );
    narrowing = {
      lines: 1,
      until: { segment: until.segment, end: until.end },
      accepted: false,
      everything: true,
    };
    return "failed";
  }

  async function send(batch: Batch): Promise<Outcome> {
    try {
      writeApi.writeRecords(batch.lines as string[]);
      await writeApi.flush();
    } catch (e) {
      const status = e instanceof HttpError ? e.statusCode : undefined;
      if (e instanceof HttpError && (status === 400 || status === 413 || status === 422))
        return refused(batch, e);
      backOff(e);
      if (status === 401 || status === 403 || status === 404) {
        const why =
          status === 404
            ? `org "${config.org}" or bucket "${config.bucket}" does not exist (HTTP 404); check INFLUX_ORG and INFLUX_BUCKET`
            : `the token is wrong or lacks write permission on bucket "${config.bucket}" (HTTP ${status}); check INFLUX_TOKEN`;
        setState(
          "auth",
          `auth ${status}`,
          `${where}: ${why}. The journal keeps every point; retrying.`,
          "error",
        );
      } else {
        const what = status ? `HTTP ${status}` : e instanceof Error ? e.message : String(e);
        setState(
          "down",
          `down ${status ?? (e as { code?: unknown } | undefined)?.code ?? (e instanceof Error ? e.name : "error")}`,
          `${where} is not accepting writes (${what}); the journal keeps every point, will keep trying`,
          "warn",
        );
      }
      return "failed";
    }
    if (state !== "ok")
      setState("ok", "ok", `${where} accepts writes again; sending the backlog in order`, "info");
    failures = 0;
    retryAtMs = 0;
    return "sent";
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
      setState(
        state,
        `journal ${code}`,
        `cannot update the journal (${file}): ${code}${await freeSpace(queue.dir)}; ` +
          "sending pauses and resumes by itself, nothing is lost",
        "error",
      );
      return false;
    }
  }

  async function pumpBatches(deadlineMs: number): Promise<boolean> {
    for (;;) {
      if (stopped && deadlineMs === Infinity) return false;
      if (deps.clock.now() >= deadlineMs) return false;
      const batch = await queue.next(Math.min(fitLines, narrowing?.lines ?? Infinity), batchBytes);
      if (!batch) return true;
      const outcome = await send(batch);
      if (outcome === "sent") {
        await queue.ack(batch);
        if (stateKey.startsWith("journal ")) {
          log.info("the journal can be updated again; sending goes on");
          stateKey = state;
        }
        if (narrowing) narrowing.accepted = true;
        // After a server that refused everything, whole batches again.
        if (narrowing && (narrowing.everything || reached(batch, narrowing.until))) narrowing = undefined;
      } else if (outcome !== "smaller") return false; // wait for the back-off (see schedule)
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
