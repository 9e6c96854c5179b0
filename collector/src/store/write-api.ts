/**
 * One journal batch as one write request, through @influxdata/influxdb-client, precision `ns` (lines
 * are sent exactly as journaled). The client's own retry buffer lives in memory only and would
 * resend behind our back, so its `maxRetries` is 0 and every error comes back to the caller at once:
 * the durable journal is the retry buffer.
 */
import { InfluxDB, setLogger, type WriteApi, type WriteOptions } from "@influxdata/influxdb-client";
import type { Logger } from "../../../core/src/effects.ts";
import type { InfluxConfig } from "../config.ts";

export interface WriteApiOptions {
  /** Most lines in one call. */
  readonly batchLines: number;
  /** Most bytes of lines in one call. */
  readonly batchBytes: number;
  /** HTTP timeout of one request, ms. */
  readonly timeoutMs: number;
  /** Request bodies larger than this many bytes are gzipped. */
  readonly gzipThreshold: number;
  /** The client's retry settings; unused with maxRetries 0, set to the writer's own back-off. */
  readonly minRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly retryJitterMs: number;
}

/**
 * Sends `lines` in one request. Resolves once InfluxDB acknowledged them (204); rejects with the
 * client's error: an HttpError for an HTTP answer (with `statusCode`, `json`, `body`, `headers`), or a
 * network error (e.g. `code` ECONNREFUSED) or a RequestTimedOutError.
 */
type WriteLines = (lines: readonly string[]) => Promise<void>;

export function openWriteApi(config: InfluxConfig, opts: WriteApiOptions, log: Logger): WriteLines {
  // The client logs every failed request itself; our state lines say it once, so its go to debug.
  setLogger({
    error: (msg, err) => log.debug(`influxdb-client: ${msg} ${err instanceof Error ? err.message : ""}`),
    warn: (msg, err) => log.debug(`influxdb-client: ${msg} ${err instanceof Error ? err.message : ""}`),
  });

  const writeOptions: Partial<WriteOptions> = {
    // One batch from the journal = one request: the client's buffer must never send on its own
    // (an automatic flush's result is not reported to us), hence one more line and double the bytes.
    batchSize: opts.batchLines + 1,
    maxBatchBytes: opts.batchBytes * 2,
    flushInterval: 0, // no timer-driven sends; we call flush()
    maxRetries: 0, // the journal is the (durable) retry buffer, see above
    maxRetryTime: 3_600_000, // only an expiry check before each send; never reached without retries
    maxBufferLines: 0, // no client-side retry buffer (maxRetries 0)
    retryJitter: opts.retryJitterMs,
    minRetryDelay: opts.minRetryDelayMs,
    maxRetryDelay: opts.maxRetryDelayMs,
    exponentialBase: 2,
    randomRetry: true,
    gzipThreshold: opts.gzipThreshold,
    // Reject at once instead of letting the client decide; the caller handles the outcome.
    writeFailed: (error) => Promise.reject(error),
  };
  const writeApi: WriteApi = new InfluxDB({
    url: config.url,
    token: config.token,
    timeout: opts.timeoutMs,
  }).getWriteApi(config.org, config.bucket, "ns", writeOptions);

  return async (lines) => {
    writeApi.writeRecords(lines as string[]);
    await writeApi.flush();
  };
}
