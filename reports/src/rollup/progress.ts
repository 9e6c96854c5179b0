/**
 * A period in progress (it contains "now"): how much of it has passed, and the part of it that is
 * compared with the previous period. A week on its first evening holds less than a day of heat;
 * set against a whole week it reads as "−88 %". So a period in progress is compared over its
 * complete days only, N of them, with the previous period's first N days; today, with none, gets no
 * comparison until it is over.
 */
import type { AnalyticsOptions } from "./period-analytics.ts";
import { elapsedHours, rollup } from "./rollup.ts";
import type { DailyRow, Progress } from "../types.ts";
import { round } from "../metrics/primitives.ts";

/**
 * `rows`: the period's days from its first up to today, in order (every one but today closed);
 * `startMs`/`endMs`: the whole period; `previousDays`: the length of the previous period;
 * `analytics`: the settings of the period's own roll-up, so the compared part is rolled up alike.
 */
export function progressOf(
  rows: readonly DailyRow[],
  startMs: number,
  endMs: number,
  nowMs: number,
  previousDays: number,
  analytics?: AnalyticsOptions,
): Progress {
  const complete = rows.filter((r) => r.closed).length;
  const open = rows.find((r) => !r.closed);
  const todayShare = open && open.hours > 0 ? elapsedHours(open, nowMs) / open.hours : 0;
  const compared = Math.min(complete, previousDays);
  return {
    elapsed_hours: round((Math.min(nowMs, endMs) - startMs) / 3_600_000, 2) ?? 0,
    hours: (endMs - startMs) / 3_600_000,
    elapsed_days: round(complete + todayShare, 2) ?? 0,
    complete_days: complete,
    compared_days: compared,
    compared: compared > 0 ? rollup(rows.slice(0, compared), compared, analytics, nowMs) : null,
  };
}
