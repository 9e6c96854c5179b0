/**
 * Sends notices to the configured channels (ntfy, a webhook) with `got`. Each channel gets one
 * notice within its own time limit (ALERT_TIMEOUT_S, all attempts included): a failed attempt (no
 * answer, a timeout, HTTP 408, 429 or 5xx) is tried again after 1, 2, 4, 8 s while time is left; any
 * other 4xx is not (a wrong token or topic will not fix itself). Channels run side by side and
 * `deliver` never rejects, so a dead channel never holds a poll or a build longer than that limit.
 * The channels' addresses and tokens never appear in what this module returns or logs: a channel is
 * named by its kind and host only.
 */
import got, { RequestError } from "got";
import type { AlertSettings } from "./settings.ts";
import { type HttpPost, ntfyPost, webhookPost } from "./message.ts";
import type { Notice } from "./state.ts";

export interface ChannelResult {
  /** `ntfy` or `webhook`. */
  readonly channel: string;
  readonly ok: boolean;
  readonly attempts: number;
  /** `HTTP 200`, `HTTP 500 after 4 attempts`, `no answer within 10 s`, `refused the connection`. */
  readonly detail: string;
}

export interface Notifier {
  /** The names of the channels configured. */
  readonly channels: readonly string[];
  /** `ntfy (ntfy.sh)`: a channel as a log line may name it. */
  describe(channel: string): string;
  /**
   * Sends `notice` to `channels` (default: all), each within the time limit. Never rejects.
   * `signal` ends every attempt at once (the program is stopping).
   */
  deliver(notice: Notice, channels?: readonly string[], signal?: AbortSignal): Promise<ChannelResult[]>;
}

export interface NotifierOptions {
  /** Waits between attempts, ms. Default 1, 2, 4, 8 s. */
  readonly backoffMs?: readonly number[];
  /** Longest single attempt, ms (never beyond the channel's time limit). Default 10 s. */
  readonly attemptTimeoutMs?: number;
}

interface Channel {
  readonly name: string;
  readonly url: string;
  post(n: Notice): HttpPost;
}

type Attempt = { ok: true; detail: string } | { ok: false; retry: boolean; detail: string; waitMs?: number };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/** Seconds of a Retry-After header (ntfy's 429 may send one), as ms; undefined if none or a date. */
function retryAfterMs(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  const n = s === undefined ? NaN : Number(s);
  return Number.isFinite(n) && n >= 0 ? n * 1000 : undefined;
}

async function attempt(c: Channel, post: HttpPost, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  try {
    const res = await got(c.url, {
      method: "POST",
      headers: post.headers,
      body: post.body,
      timeout: { request: timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: "text",
      signal,
    });
    const status = res.statusCode;
    if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
    const retry = status === 408 || status === 429 || status >= 500;
    const hint =
      status === 401 || status === 403
        ? c.name === "ntfy"
          ? " (check NTFY_TOKEN and the topic's access rights)"
          : " (check the webhook's address and its credentials)"
        : status === 404
          ? " (check the address)"
          : "";
    const waitMs = retryAfterMs(res.headers["retry-after"]);
    return { ok: false, retry, detail: `HTTP ${status}${hint}`, ...(waitMs !== undefined ? { waitMs } : {}) };
  } catch (e) {
    const code = e instanceof RequestError ? e.code : "";
    const detail =
      code === "ETIMEDOUT"
        ? `no answer within ${Math.round(timeoutMs / 100) / 10} s`
        : code === "ECONNREFUSED"
          ? "refused the connection"
          : code === "ENOTFOUND" || code === "EAI_AGAIN"
            ? "host not found"
            : code || (e instanceof Error ? e.name : "request failed");
    return { ok: false, retry: true, detail };
  }
}

export function createNotifier(
  settings: Pick<AlertSettings, "ntfy" | "webhook" | "siteUrl" | "timeoutMs">,
  opts: NotifierOptions = {},
): Notifier {
  const backoff = opts.backoffMs ?? [1000, 2000, 4000, 8000];
  const attemptMax = opts.attemptTimeoutMs ?? 10_000;
  const channels: Channel[] = [];
  if (settings.ntfy) {
    const { url, token } = settings.ntfy;
    channels.push({ name: "ntfy", url, post: (n) => ntfyPost(n, { token, siteUrl: settings.siteUrl }) });
  }
  if (settings.webhook) {
    const { url } = settings.webhook;
    channels.push({ name: "webhook", url, post: (n) => webhookPost(n, { siteUrl: settings.siteUrl }) });
  }

  async function send(c: Channel, n: Notice, outer: AbortSignal | undefined): Promise<ChannelResult> {
    const deadline = performance.now() + settings.timeoutMs;
    const stop = AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), ...(outer ? [outer] : [])]);
    const post = c.post(n);
    let attempts = 0;
    let last = "";
    for (;;) {
      const left = deadline - performance.now();
      if (left < 50 || stop.aborted) break;
      attempts++;
      const r = await attempt(c, post, Math.min(attemptMax, left), stop);
      if (r.ok) return { channel: c.name, ok: true, attempts, detail: r.detail };
      last = r.detail;
      if (!r.retry) break;
      const wait = r.waitMs ?? backoff[Math.min(attempts - 1, backoff.length - 1)] ?? 1000;
      if (deadline - performance.now() <= wait) break;
      await sleep(wait, stop);
    }
    const tries = attempts === 1 ? "" : ` after ${attempts} attempts`;
    const why = last || `no time left within ${settings.timeoutMs / 1000} s`;
    return { channel: c.name, ok: false, attempts, detail: `${why}${tries}` };
  }

  return {
    channels: channels.map((c) => c.name),
    describe(name) {
      const c = channels.find((x) => x.name === name);
      return c ? `${name} (${new URL(c.url).host})` : name;
    },
    deliver(n, names, signal) {
      const chosen = channels.filter((c) => !names || names.includes(c.name));
      return Promise.all(chosen.map((c) => send(c, n, signal)));
    },
  };
}
