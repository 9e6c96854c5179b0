/**
 * The one place that sends HTTP to Viessmann, with got's options set explicitly: no automatic
 * retries (every call costs budget, and a token POST must never be replayed blindly: the refresh
 * token rotates on use), a hard request timeout, HTTP errors returned rather than thrown so the
 * caller can read Viessmann's error body. Network failures become ExpectedError('unreachable');
 * the got error is not attached as `cause` because it carries the request headers (the bearer token).
 * Answers are read up to MAX_ANSWER_BYTES (a features answer is ~100-250 kB); a larger one is
 * refused unread (answer-limit.ts), an ExpectedError('payload').
 */
import got, { RequestError } from "got";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { formatBytes } from "../../format-bytes.ts";
import { AnswerTooLargeError, withAnswerLimit } from "../answer-limit.ts";

/** Largest Viessmann answer read, bytes: 10 MiB, some 40 times the largest features answer seen. */
const MAX_ANSWER_BYTES = 10 * 1024 * 1024;

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

interface HttpRequest {
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: Readonly<Record<string, string>>;
  /** Whole-request timeout, ms. */
  readonly timeoutMs: number;
  /** Largest answer read, bytes. Default MAX_ANSWER_BYTES. */
  readonly maxAnswerBytes?: number;
}

export async function send(req: HttpRequest): Promise<HttpAnswer> {
  const maxBytes = req.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  try {
    const res = await withAnswerLimit(maxBytes, (signal) =>
      got(req.url, {
        method: req.method,
        headers: { accept: "application/json", ...req.headers },
        ...(req.form ? { form: req.form } : {}),
        timeout: { request: req.timeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        responseType: "text",
        signal,
      }),
    );
    return { status: res.statusCode, contentType: String(res.headers["content-type"] ?? ""), text: res.body };
  } catch (e) {
    const host = new URL(req.url).host;
    if (e instanceof AnswerTooLargeError)
      throw new ExpectedError(
        "payload",
        `Viessmann ${host} sent an answer larger than ${formatBytes(maxBytes)}` +
          `${e.announcedBytes !== undefined ? ` (${formatBytes(e.announcedBytes)} announced)` : ""}; it was not read`,
      );
    const code = e instanceof RequestError ? e.code : "";
    const what =
      code === "ETIMEDOUT" ? `no answer within ${req.timeoutMs / 1000} s` : code || "request failed";
    throw new ExpectedError(
      "unreachable",
      `Viessmann ${host} unreachable (${what}); check the internet connection`,
    );
  }
}

/** The JSON body, or undefined when it is not JSON (an HTML error page from a proxy, say). */
export function jsonOf(a: HttpAnswer): unknown {
  try {
    return JSON.parse(a.text) as unknown;
  } catch {
    return undefined;
  }
}
