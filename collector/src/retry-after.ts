/**
 * The `Retry-After` header (RFC 9110 §10.2.3): either delta-seconds (`Retry-After: 30`) or an
 * HTTP-date (`Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`). Read as a wait in milliseconds, capped
 * so that a wrong or hostile header cannot park a client for hours.
 */

/** Longest wait taken from a Retry-After header, ms (10 minutes). */
export const RETRY_AFTER_CAP_MS = 10 * 60_000;

/**
 * The wait a `Retry-After` value asks for, in ms from `nowMs` (0 for a date in the past), capped at
 * `capMs`; undefined when there is no header or it is neither form.
 */
export function retryAfterMs(
  value: string | readonly string[] | undefined,
  nowMs: number,
  capMs = RETRY_AFTER_CAP_MS,
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  // No text matches neither form below and is undefined all the same: this only says so first.
  // Stryker disable next-line ConditionalExpression: equivalent, see above
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, capMs);
  // Every HTTP-date form names the month (`Nov`); Date.parse would also read "1.5" as a date.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), capMs);
}
