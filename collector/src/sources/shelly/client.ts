/**
 * Shelly Gen2 RPC over HTTP (`GET /rpc/<Method>?k=v`, answers the bare result or a bare
 * `{code,message}` with a non-200 status; README.md in this folder §2, §8), with digest auth (§7) and every failure
 * turned into an ExpectedError whose message names the device URL and what to check.
 *
 * got does the I/O with explicit options: one timeout for the whole request, no retries (the next
 * poll is the retry), no redirects, no keep-alive (the device closes every connection anyway) and at
 * most one socket: the device allows 6 concurrent RPC channels and crashed under floods (README.md §8).
 * Answers are read up to `maxAnswerBytes` (a Pro 3EM's Shelly.GetStatus is ~3 kB); a larger one is
 * refused unread (answer-limit.ts) and the poll is a gap.
 */
import { Agent } from "node:http";
import got, { RequestError, type Response } from "got";
import { type Clock, redactServerText, withoutControlChars } from "../../../../core/src/effects.ts";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { retryAfterMs } from "../../retry-after.ts";
import { formatBytes } from "../../format-bytes.ts";
import { AnswerTooLargeError, withAnswerLimit } from "../answer-limit.ts";
import { DigestSession, parseChallenge } from "./digest.ts";
import type { RpcError } from "./types.ts";

interface ShellyClientOptions {
  /** Base URL of the meter, e.g. `http://192.168.1.50` (SHELLY_URL). */
  readonly url: string;
  /** SHELLY_PASSWORD; undefined when the meter has no password. */
  readonly password: string | undefined;
  readonly clock: Clock;
  /** Whole-request timeout, ms. Default 5000 (a LAN device answers in well under 1 s). */
  readonly timeoutMs?: number;
  /** Least back-off after a 429, ms. Default 2000: fw 2.0 throttles for 2 s (README.md §7). */
  readonly rateLimitBackoffMs?: number;
  /** Largest answer read, bytes. Default 1 MiB (Shelly.GetStatus of a Pro 3EM is ~3 kB). */
  readonly maxAnswerBytes?: number;
  /** cnonce generator, for tests. Default: 16 random bytes, hex. */
  readonly cnonce?: () => string;
  /** Where the user wrote the URL, for messages. Default `SHELLY_URL`; `SHELLY_METERS (backup)`. */
  readonly setting?: string;
}

interface ShellyClient {
  /** The URL shown in messages: SHELLY_URL without any user:password part. */
  readonly displayUrl: string;
  /** Calls one RPC method and returns its parsed `result`. Throws ExpectedError. */
  call(method: string, params?: Readonly<Record<string, string | number | boolean>>): Promise<unknown>;
  /** No call is made before this time (ms since epoch) after a 429; 0 when not backing off. */
  readonly blockedUntilMs: number;
  close(): void;
}

const isRpcError = (v: unknown): v is RpcError =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as RpcError).code === "number" &&
  typeof (v as RpcError).message === "string";

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The first characters of a body, on one line, without control characters or credentials, for messages. */
const snippet = (text: string) =>
  JSON.stringify(
    redactServerText(withoutControlChars(text.slice(0, 1000).replace(/\s+/g, " ")))
      .trim()
      .slice(0, 40),
  );

export function createShellyClient(opts: ShellyClientOptions): ShellyClient {
  const base = new URL(opts.url);
  base.username = "";
  base.password = "";
  const origin = base.origin + base.pathname.replace(/\/+$/, "");
  const where = `Shelly at ${origin}`;
  const setting = opts.setting ?? "SHELLY_URL";
  const timeoutMs = opts.timeoutMs ?? 5000;
  const backoffMs = opts.rateLimitBackoffMs ?? 2000;
  const maxAnswerBytes = opts.maxAnswerBytes ?? 1024 * 1024;
  const session = opts.password !== undefined ? new DigestSession(opts.password, opts.cnonce) : undefined;
  const agent = new Agent({ keepAlive: false, maxSockets: 1 });
  const http = got.extend({
    timeout: { request: timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: "text",
    agent: { http: agent },
    headers: { accept: "application/json", "user-agent": "heatpump-monitor" },
  });
  let blockedUntilMs = 0;

  /** One HTTP exchange; network failures become `unreachable`. */
  async function send(
    method: string,
    path: string,
    authorization: string | undefined,
  ): Promise<Response<string>> {
    try {
      return await withAnswerLimit(maxAnswerBytes, (signal) =>
        http.get(origin + path, { headers: authorization ? { authorization } : {}, signal }),
      );
    } catch (e) {
      if (e instanceof AnswerTooLargeError)
        throw new ExpectedError(
          "payload",
          `${where} answered ${method} with more than ${formatBytes(maxAnswerBytes)}` +
            `${e.announcedBytes !== undefined ? ` (${formatBytes(e.announcedBytes)} announced)` : ""}, ` +
            "far more than a Shelly meter sends; the answer was not read. " +
            `Check that ${setting} is the address of the meter`,
        );
      const code = e instanceof RequestError ? e.code : undefined;
      if (code === "ETIMEDOUT")
        throw new ExpectedError(
          "unreachable",
          `${where} did not answer ${method} within ${timeoutMs / 1000} s; ` +
            `check that the meter is powered and on the network and that ${setting} is its address`,
          { cause: e },
        );
      if (code === "ECONNREFUSED")
        throw new ExpectedError(
          "unreachable",
          `${where} refused the connection; check ${setting} (host and port) and that the meter is powered`,
          { cause: e },
        );
      if (code === "ECONNRESET" || code === "EPIPE")
        throw new ExpectedError(
          "unreachable",
          `${where} closed the connection without answering ${method}; ` +
            "the meter may be rebooting, check its power and network",
          { cause: e },
        );
      throw new ExpectedError(
        "unreachable",
        `${where} cannot be reached (${code ?? "network error"}); ` +
          `check ${setting} and the network between this machine and the meter`,
        { cause: e },
      );
    }
  }

  function rateLimited(res: Response<string>): ExpectedError {
    const waitMs = Math.max(backoffMs, retryAfterMs(res.headers["retry-after"], opts.clock.now()) ?? 0);
    blockedUntilMs = opts.clock.now() + waitMs;
    return new ExpectedError(
      "rate-limited",
      `${where} is throttling requests (HTTP 429); waiting ${Math.ceil(waitMs / 1000)} s. ` +
        "If it repeats, check SHELLY_PASSWORD and that no other client floods the meter",
      { retryAtMs: blockedUntilMs },
    );
  }

  function decode(method: string, res: Response<string>): unknown {
    const parsed = tryJson(res.body);
    // A bare `{code,message}` (GET /rpc/<Method>) or the `error` of a full frame (POST /rpc, proxies).
    const value = parsed.ok ? (parsed.value as { error?: unknown } | null) : undefined;
    const rpcError = isRpcError(value) ? value : isRpcError(value?.error) ? value.error : undefined;
    if (res.statusCode === 200 && !rpcError) {
      if (parsed.ok) return parsed.value;
      throw new ExpectedError(
        "payload",
        `${where} answered ${method} with a body that is not JSON (${snippet(res.body)}); ` +
          `check that ${setting} is the address of the Shelly meter`,
      );
    }
    if (rpcError) {
      const { code } = rpcError;
      const message = redactServerText(withoutControlChars(rpcError.message)).slice(0, 200);
      const hint =
        code === 404 || code === -114
          ? `check that ${setting} is a Shelly meter with current firmware`
          : "check the meter's web UI; reboot it if this persists";
      throw new ExpectedError(
        "payload",
        `${where} answered ${method} with RPC error ${code} "${message}" (HTTP ${res.statusCode}); ${hint}`,
      );
    }
    if (res.statusCode >= 500)
      throw new ExpectedError(
        "server",
        `${where} answered ${method} with HTTP ${res.statusCode} (${snippet(res.body)}); ` +
          "the meter's web server failed, reboot the meter if this persists",
      );
    throw new ExpectedError(
      "payload",
      `${where} answered ${method} with HTTP ${res.statusCode} (${snippet(res.body)}); ` +
        `check that ${setting} is the address of a Shelly Gen2 device`,
    );
  }

  async function call(method: string, params: Readonly<Record<string, string | number | boolean>> = {}) {
    const now = opts.clock.now();
    if (now < blockedUntilMs)
      throw new ExpectedError(
        "rate-limited",
        `${where} asked us to slow down (HTTP 429); ` +
          `not calling ${method} before ${new Date(blockedUntilMs).toISOString()}`,
        { retryAtMs: blockedUntilMs },
      );
    const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
    const path = `/rpc/${method}${query ? `?${query}` : ""}`;
    // The digest uri is the request path as the device sees it (behind a path prefix, too).
    const uri = base.pathname.replace(/\/+$/, "") + path;
    // At most: reused nonce -> 401, fresh nonce -> 401 stale -> fresh nonce again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const sentFresh = session?.fresh ?? false;
      const authorization = session?.next("GET", uri);
      const res = await send(method, path, authorization);
      if (res.statusCode === 429) throw rateLimited(res);
      if (res.statusCode !== 401) return decode(method, res);
      const challenge = parseChallenge(res.headers["www-authenticate"]);
      if (!session)
        throw new ExpectedError(
          "auth",
          `${where} requires a password (authentication is on in the meter); set SHELLY_PASSWORD`,
        );
      if (!challenge)
        throw new ExpectedError(
          "auth",
          `${where} answered HTTP 401 without a digest challenge; check that ${setting} is a Shelly Gen2 device`,
        );
      session.accept(challenge);
      // A fresh challenge right after credentials built on a fresh nonce: the password is wrong.
      // (A reused nonce may be refused on pre-2.0 firmware without stale=true; that just retries.)
      if (authorization && sentFresh && !challenge.stale) break;
    }
    throw new ExpectedError(
      "auth",
      `${where} rejected the password for user admin (HTTP 401); ` +
        "check SHELLY_PASSWORD against the password set in the meter's web UI",
    );
  }

  return {
    displayUrl: origin,
    call,
    get blockedUntilMs() {
      return blockedUntilMs;
    },
    close: () => agent.destroy(),
  };
}
