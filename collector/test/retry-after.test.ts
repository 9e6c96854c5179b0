import { describe, expect, it } from "vitest";
import { RETRY_AFTER_CAP_MS, retryAfterMs } from "../src/retry-after.ts";

const NOW = Date.UTC(2026, 10, 27, 7, 28, 0);

describe("Retry-After", () => {
  it("reads delta-seconds as seconds", () => {
    expect(retryAfterMs("30", NOW)).toBe(30_000);
    expect(retryAfterMs(" 0 ", NOW)).toBe(0);
    expect(retryAfterMs(["5", "7"], NOW)).toBe(5000);
  });

  it("reads each HTTP-date form as the time left until then", () => {
    // RFC 9110 §5.6.7: IMF-fixdate and the obsolete RFC 850 form, 45 s after NOW.
    expect(retryAfterMs("Fri, 27 Nov 2026 07:28:45 GMT", NOW)).toBe(45_000);
    expect(retryAfterMs("Friday, 27-Nov-26 07:28:45 GMT", NOW)).toBe(45_000);
    expect(retryAfterMs("Fri, 27 Nov 2026 07:27:00 GMT", NOW)).toBe(0); // already past
  });

  it("caps the wait at 10 minutes", () => {
    expect(RETRY_AFTER_CAP_MS).toBe(600_000);
    expect(retryAfterMs("86400", NOW)).toBe(600_000);
    expect(retryAfterMs("Sat, 28 Nov 2026 07:28:00 GMT", NOW)).toBe(600_000);
  });

  it("ignores a missing or garbled header", () => {
    for (const v of [undefined, "", "1.5", "-3", "soon", "30s"]) expect(retryAfterMs(v, NOW)).toBeUndefined();
    // An ISO time names no month: not an HTTP-date, though Date.parse would read it.
    expect(retryAfterMs("2026-11-27T07:28:45Z", NOW)).toBeUndefined();
  });
});
