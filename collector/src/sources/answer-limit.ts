/**
 * Answers from devices and the cloud are read up to a byte limit: a faulty or hostile server could
 * otherwise send a body of any size, all of it buffered in memory (a 50 MB Shelly answer took the
 * collector from 119 to 578 MB RSS, and V8 keeps that memory). got has no size option; its own
 * machinery does it: the `downloadProgress` event reports the bytes received so far (after
 * decompression, so a gzip bomb counts at its real size) and the announced Content-Length
 * (`total`), and an AbortSignal stops the request at once, before the body is read when the header
 * already says too much, else at the first chunk past the limit.
 */
import type { Progress, RequestPromise, Response } from "got";
import { formatBytes } from "../format-bytes.ts";

/** The answer was, or announced to be, larger than the limit; nothing of it is used. */
export class AnswerTooLargeError extends Error {
  override readonly name = "AnswerTooLargeError";
  /** The limit, bytes. */
  readonly limitBytes: number;
  /** The Content-Length announced, when there was one, bytes. */
  readonly announcedBytes: number | undefined;
  constructor(limitBytes: number, announcedBytes: number | undefined) {
    super(
      announcedBytes !== undefined
        ? `answer of ${formatBytes(announcedBytes)} announced, more than the ${formatBytes(limitBytes)} accepted`
        : `answer larger than the ${formatBytes(limitBytes)} accepted`,
    );
    this.limitBytes = limitBytes;
    this.announcedBytes = announcedBytes;
  }
}

/**
 * Runs `start(signal)` (a got request that passes `signal` on) and resolves with its response, or
 * rejects with AnswerTooLargeError once the answer exceeds `maxBytes`. Other errors pass through.
 */
export async function withAnswerLimit<T>(
  maxBytes: number,
  start: (signal: AbortSignal) => RequestPromise<Response<T>>,
): Promise<Response<T>> {
  const controller = new AbortController();
  const request = start(controller.signal);
  request.on("downloadProgress", ({ transferred, total }: Progress) => {
    if (controller.signal.aborted) return;
    if (transferred > maxBytes || (total !== undefined && total > maxBytes))
      controller.abort(new AnswerTooLargeError(maxBytes, total));
  });
  try {
    return await request;
  } catch (e) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof AnswerTooLargeError) throw reason;
    throw e;
  }
}
