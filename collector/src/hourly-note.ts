/**
 * "At most one log line per hour per thing": a recurring fault (a meter that keeps answering an
 * absurd value every 10 s) is said once an hour, with how often it happened in between, instead of
 * 360 times. Timed on the monotonic clock, so a wall clock set back cannot silence it for longer.
 */
const HOUR_MS = 3_600_000;

interface HourlyNote {
  /**
   * Counts one occurrence of `key`. Returns undefined when it is not to be logged now (logged less
   * than the period ago), else how many occurrences since the last line were not logged (0 the first time).
   */
  note(key: string): number | undefined;
}

export function hourlyNote(monotonicNow: () => number, periodMs = HOUR_MS): HourlyNote {
  const seen = new Map<string, { atMs: number; unlogged: number }>();
  return {
    note(key) {
      const now = monotonicNow();
      const s = seen.get(key);
      if (s && now - s.atMs < periodMs) {
        s.unlogged++;
        return undefined;
      }
      seen.set(key, { atMs: now, unlogged: 0 });
      return s?.unlogged ?? 0;
    },
  };
}

/** ` (N more since the last such line, not logged)` after a note's text, or "" when there were none. */
export const unloggedSuffix = (unlogged: number): string =>
  unlogged > 0 ? ` (${unlogged} more since the last such line, not logged)` : "";
