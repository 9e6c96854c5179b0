import { HttpError } from "@influxdata/influxdb-client";
import { describe, expect, it } from "vitest";
import { createRetryStrategy } from "../../src/store/retry-strategy.ts";

const NOW = Date.UTC(2026, 10, 27, 7, 28, 0); // Fri, 27 Nov 2026 07:28:00 GMT
const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8086"), { code: "ECONNREFUSED" });
/** A 503 as the client reports it, with the server's Retry-After header. */
const unavailable = (retryAfter: string) =>
  new HttpError(
    503,
    "Service Unavailable",
    '{"code":"unavailable","message":"service unavailable"}',
    retryAfter,
    "application/json; charset=utf-8",
    undefined,
    { "retry-after": retryAfter },
  );
/** The defaults of the writer: 5 s doubling up to 2 min, jitter up to 1 s (none unless `random`). */
const strategy = (random = () => 0) =>
  createRetryStrategy({
    minDelayMs: 5000,
    maxDelayMs: 120_000,
    jitterMs: 1000,
    clock: { now: () => NOW },
    random,
  });

describe("retry strategy", () => {
  it("doubles from 5 s with each failure in a row, up to 2 minutes", () => {
    const s = strategy();
    const delays = Array.from({ length: 8 }, () => s.nextDelay(refused));
    expect(delays).toEqual([5000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000]);
  });

  it("starts over at 5 s after a success", () => {
    const s = strategy();
    for (let i = 0; i < 4; i++) s.nextDelay(refused); // 5, 10, 20, 40 s
    s.success();
    expect([s.nextDelay(refused), s.nextDelay(refused)]).toEqual([5000, 10_000]);
  });

  it("takes the number of failures when given, without counting", () => {
    const s = strategy();
    expect(s.nextDelay(refused, 3)).toBe(20_000); // 5 s * 2^2
    expect(s.nextDelay(refused, 30)).toBe(120_000);
    expect(s.nextDelay(refused)).toBe(5000); // its own count is still at the first failure
  });

  it("adds a random jitter of up to 1 s", () => {
    expect(strategy(() => 0.5).nextDelay(refused)).toBe(5500);
    expect(strategy(() => 0.999).nextDelay(refused)).toBe(5999);
  });

  it("waits as long as Retry-After asks in seconds, when that is longer", () => {
    const s = strategy();
    expect(s.nextDelay(unavailable("30"))).toBe(30_000); // first failure: 5 s < 30 s
    expect(s.nextDelay(unavailable("2"), 4)).toBe(40_000); // fourth: 40 s > 2 s
    expect(s.nextDelay(unavailable("300"), 7)).toBe(300_000); // beyond the 2 min cap of the back-off
  });

  it("waits until a Retry-After HTTP-date", () => {
    const s = strategy();
    expect(s.nextDelay(unavailable("Fri, 27 Nov 2026 07:31:00 GMT"))).toBe(180_000); // 3 min ahead
    expect(s.nextDelay(unavailable("Fri, 27 Nov 2026 07:00:00 GMT"))).toBe(10_000); // past: 2nd failure
  });

  it("caps a Retry-After at 10 minutes, in seconds or as a date", () => {
    const s = strategy(() => 0.25);
    expect(s.nextDelay(unavailable("86400"))).toBe(600_250); // a day asked: 10 min + 250 ms jitter
    expect(s.nextDelay(unavailable("Sat, 28 Nov 2026 07:28:00 GMT"))).toBe(600_250);
  });
});
