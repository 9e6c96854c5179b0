/**
 * A dead-man's switch for the site builder (healthchecks.io's convention, which self-hosted
 * Healthchecks and Uptime Kuma's push monitors follow too): HEALTHCHECK_URL is requested after every
 * good build, the same URL with `/fail` appended to its path after a failed one. When the requests
 * stop coming (the builder died, the machine is off) the service tells the owner: the one alert no
 * program of ours can send. The request is short (10 s, one retry) and never throws: a dead health
 * check service must not fail or hold up a build.
 */
import got, { RequestError } from "got";

/** `url` with `/fail` appended to its path, query kept: `https://hc-ping.com/<uuid>/fail?rid=1`. */
export function failUrl(url: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/\/+$/, "")}/fail`;
  return u.href;
}

interface PingResult {
  readonly ok: boolean;
  /** `HTTP 200`, `no answer within 10 s`, ... (never the URL: it holds the check's secret). */
  readonly detail: string;
}

/** Requests the health check URL (or its `/fail` twin); resolves with what happened, never rejects. */
export async function pingHealthcheck(
  url: string,
  good: boolean,
  opts: { timeoutMs?: number; retryDelayMs?: number } = {},
): Promise<PingResult> {
  const target = good ? url : failUrl(url);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let detail = "";
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 1000));
    try {
      const res = await got(target, {
        method: "GET",
        timeout: { request: timeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        responseType: "text",
      });
      detail = `HTTP ${res.statusCode}`;
      if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, detail };
      if (res.statusCode < 500) break; // a wrong URL stays wrong
    } catch (e) {
      const code = e instanceof RequestError ? e.code : "";
      detail = code === "ETIMEDOUT" ? `no answer within ${timeoutMs / 1000} s` : code || "request failed";
    }
  }
  return { ok: false, detail };
}
