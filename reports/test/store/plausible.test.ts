/**
 * The window of believable point times (plausible.ts): from 2000-01-01 to 10 minutes past now,
 * [start, stop). Worked out by hand: 2000-01-01T00:00:00Z is 946,684,800,000 ms.
 */
import { describe, expect, it } from "vitest";
import { clip, plausibleWindow } from "../../src/store/plausible.ts";

const NOW = Date.parse("2026-12-05T12:00:00Z");
const MIN = 60_000;
const inside = (w: { startMs: number; stopMs: number }, t: number) => t >= w.startMs && t < w.stopMs;

describe("the plausible window", () => {
  it("a point 9 minutes ahead of now counts, one 11 minutes ahead does not (10 minutes of slack)", () => {
    const w = plausibleWindow(NOW);
    expect(inside(w, NOW + 9 * MIN)).toBe(true);
    expect(inside(w, NOW + 11 * MIN)).toBe(false);
    expect(w.stopMs).toBe(Date.parse("2026-12-05T12:10:00Z"));
  });

  it("starts on 2000-01-01: a clock that counts seconds (1,000,000,000 ms is 1970) is left out", () => {
    const w = plausibleWindow(NOW);
    expect(w.startMs).toBe(946_684_800_000);
    expect(inside(w, 946_684_800_000)).toBe(true);
    expect(inside(w, 946_684_799_999)).toBe(false);
    expect(inside(w, 1_000_000_000)).toBe(false);
  });

  it("clip: a range asked is cut to the window, and never ends before it starts", () => {
    const w = plausibleWindow(NOW);
    // Inside: unchanged.
    expect(clip(w, NOW - 60 * MIN, NOW)).toEqual({ startMs: NOW - 60 * MIN, stopMs: NOW });
    // Reaching past the window at both ends: cut at both.
    expect(clip(w, 0, NOW + 60 * MIN)).toEqual({ startMs: 946_684_800_000, stopMs: NOW + 10 * MIN });
    // Wholly after the window: empty, at its start.
    expect(clip(w, NOW + 20 * MIN, NOW + 30 * MIN)).toEqual({
      startMs: NOW + 20 * MIN,
      stopMs: NOW + 20 * MIN,
    });
  });
});
