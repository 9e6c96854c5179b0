/**
 * The window of believable point times. A reading stamped before 2000 is a clock that counts
 * seconds (or a garbage line ending in a number), one more than 10 minutes past now is a device
 * clock running ahead: neither is a real reading. Both stores are asked only inside this window, so
 * they see the same points.
 */

/** 2000-01-01T00:00:00Z (ms). */
export const EARLIEST_MS = Date.UTC(2000, 0, 1);

/** How far past now a point may be stamped and still count (ms): clocks drift, polls are late. */
export const FUTURE_SLACK_MS = 10 * 60_000;

export interface TimeWindow {
  startMs: number;
  stopMs: number;
}

export const plausibleWindow = (nowMs: number): TimeWindow => ({
  startMs: EARLIEST_MS,
  stopMs: nowMs + FUTURE_SLACK_MS,
});

/** [startMs, stopMs) clipped to the window (stop never below start). */
export function clip(w: TimeWindow, startMs: number, stopMs: number): TimeWindow {
  const s = Math.max(w.startMs, startMs);
  return { startMs: s, stopMs: Math.max(s, Math.min(w.stopMs, stopMs)) };
}
