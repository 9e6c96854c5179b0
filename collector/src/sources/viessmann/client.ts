/**
 * Calls to the Viessmann API. Every call (token refreshes included, failed ones included) passes
 * the gate: p-throttle keeps bursts under Viessmann's 120 calls / 10 min, then the budget counts it
 * before it is sent. Answers are sorted into ExpectedError kinds the poll loop understands.
 */
import pThrottle from "p-throttle";
import { type Clock, redactServerText, withoutControlChars } from "../../../../core/src/effects.ts";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { type Budget, nextUtcMidnight } from "./budget.ts";
import { type HttpAnswer, jsonOf, send } from "./http.ts";
import type { TokenManager } from "./tokens.ts";
import type { ViErrorBody } from "./types.ts";

/** Burst limit: Viessmann allows 120 calls per 10 min; we stay a little below. */
const BURST = { limit: 110, intervalMs: 600_000 } as const;
/** API request timeout, ms (a features answer is ~100-250 KB). */
const API_TIMEOUT_MS = 30_000;

type Gate = <T>(fn: () => Promise<T>) => Promise<T>;

/** p-throttle (strict: no window ever holds more than `limit`) + budget.take() right before each call. */
export function createGate(
  budget: Budget,
  clock: Clock,
  burst: { limit: number; intervalMs: number } = BURST,
): Gate {
  const throttle = pThrottle({ limit: burst.limit, interval: burst.intervalMs, strict: true });
  const run = throttle(async (fn: () => Promise<unknown>) => {
    budget.take(clock.now());
    return fn();
  });
  return <T>(fn: () => Promise<T>) => run(fn) as Promise<T>;
}

const EXPIRED = Symbol("expired token");

/** Sorts one API answer: the JSON body, EXPIRED (refresh and retry), or an ExpectedError (returned, not thrown). */
export function classify(a: HttpAnswer, nowMs: number): unknown {
  const body = jsonOf(a);
  if (a.status >= 200 && a.status < 300) {
    if (body === undefined)
      return new ExpectedError("payload", `Viessmann API answered HTTP ${a.status} without JSON`);
    return body;
  }
  const err = (typeof body === "object" && body !== null ? body : {}) as ViErrorBody;
  // Server text, logged: without control characters or anything that looks like a credential.
  const what = redactServerText(
    withoutControlChars(
      [err.errorType, err.extendedPayload?.reason, err.message]
        .filter((s) => typeof s === "string" && s !== "")
        .join(" "),
    ),
  ).slice(0, 200);
  // `{"error":"EXPIRED TOKEN"}` is the known body; any 401 means the bearer is no good, and one
  // refresh is the remedy either way (a second 401 after it is an auth error).
  if (a.status === 401) return EXPIRED;
  if (a.status === 429 || err.statusCode === 429) {
    const reset = err.extendedPayload?.limitReset;
    const retryAtMs = typeof reset === "number" && reset > nowMs ? reset : nextUtcMidnight(nowMs);
    const limit = err.extendedPayload?.requestCountLimit;
    return new ExpectedError(
      "rate-limited",
      `Viessmann API rate limit exceeded${limit ? ` (${limit} calls per day)` : ""}; ` +
        `no calls until ${new Date(retryAtMs).toISOString()}. Calls by other apps on the same account count too`,
      { retryAtMs },
    );
  }
  const reason = err.extendedPayload?.reason;
  if (reason === "DEVICE_OFFLINE" || reason === "GATEWAY_OFFLINE")
    return new ExpectedError(
      "offline",
      reason === "DEVICE_OFFLINE"
        ? "the heat pump is offline for the Viessmann cloud (DEVICE_OFFLINE); check its connection"
        : "the Viessmann gateway is offline (GATEWAY_OFFLINE); check its internet connection",
    );
  if (a.status >= 500 || body === undefined)
    return new ExpectedError(
      "server",
      `Viessmann API answered HTTP ${a.status}${what ? ` (${what})` : " (not JSON)"}`,
    );
  if (a.status === 403) return new ExpectedError("auth", `Viessmann API refused access, HTTP 403 (${what})`);
  if (a.status === 410)
    return new ExpectedError(
      "payload",
      `Viessmann retired this API endpoint (${what}); update the collector`,
    );
  return new ExpectedError("payload", `Viessmann API answered HTTP ${a.status} (${what})`);
}

export interface ApiClient {
  /** GET `path` (below the API base URL) as JSON. An `EXPIRED TOKEN` 401 refreshes once and retries once. */
  getJson(path: string): Promise<unknown>;
}

export function createApiClient(opts: {
  apiUrl: string;
  tokens: TokenManager;
  gate: Gate;
  clock: Clock;
  budget: Budget;
  timeoutMs?: number;
}): ApiClient {
  const { apiUrl, tokens, gate, clock, budget } = opts;
  const timeoutMs = opts.timeoutMs ?? API_TIMEOUT_MS;
  const once = async (path: string): Promise<unknown> => {
    const bearer = await tokens.accessToken(clock.now());
    const a = await gate(() =>
      send({ url: apiUrl + path, method: "GET", headers: { authorization: `Bearer ${bearer}` }, timeoutMs }),
    );
    const r = classify(a, clock.now());
    if (r instanceof ExpectedError) {
      if (r.kind === "rate-limited" && r.retryAtMs !== undefined) budget.block(r.retryAtMs);
      throw r;
    }
    return r;
  };
  return {
    async getJson(path) {
      const r = await once(path);
      if (r !== EXPIRED) return r;
      tokens.invalidate();
      const again = await once(path);
      if (again === EXPIRED)
        throw new ExpectedError(
          "auth",
          "Viessmann API rejected a freshly refreshed access token (EXPIRED TOKEN)",
        );
      return again;
    },
  };
}
