/**
 * How long the InfluxDB writer waits after a failed or refused write: exponential from `minDelayMs`
 * (doubling with each failure in a row) up to `maxDelayMs`, or longer when the server's Retry-After
 * asks for it (in seconds or as an HTTP-date, capped at 10 minutes by `retryAfterMs`), plus a random
 * jitter so that collectors restarted together do not come back in step. An answer the writer acts
 * on (a write that goes through, a partial write, a line set aside) starts the sequence over.
 */
import { HttpError } from "@influxdata/influxdb-client";
import type { Clock } from "../../../core/src/effects.ts";
import { retryAfterMs } from "../retry-after.ts";

interface RetryStrategyOptions {
  /** Delay after the first failure, ms. */
  readonly minDelayMs: number;
  /** Longest exponential delay, ms (a Retry-After may ask for more, up to 10 minutes). */
  readonly maxDelayMs: number;
  /** Random extra delay, up to this many ms. */
  readonly jitterMs: number;
  /** Reads an HTTP-date Retry-After against this clock. */
  readonly clock: Clock;
  /** A number in [0, 1) for the jitter; default Math.random. */
  readonly random?: () => number;
}

interface RetryStrategy {
  /**
   * The wait before the next attempt, ms, after `answer` (the failed attempt's error; an HttpError's
   * Retry-After is honoured). `attempts` is the number of failures in a row including this one;
   * without it the strategy counts them itself, until `success()`.
   */
  nextDelay(answer: unknown, attempts?: number): number;
  /** An attempt went through, or its answer was acted on: the next failure waits `minDelayMs` again. */
  success(): void;
}

export function createRetryStrategy(opts: RetryStrategyOptions): RetryStrategy {
  const random = opts.random ?? Math.random;
  let failures = 0;
  return {
    nextDelay(answer, attempts) {
      const n = attempts ?? ++failures;
      const exponential = Math.min(opts.maxDelayMs, opts.minDelayMs * 2 ** (n - 1));
      const serverWants =
        answer instanceof HttpError
          ? (retryAfterMs(answer.headers?.["retry-after"], opts.clock.now()) ?? 0)
          : 0;
      return Math.max(exponential, serverWants) + random() * opts.jitterMs;
    },
    success() {
      failures = 0;
    },
  };
}
