/**
 * The calls token refreshes take from the daily budget. An access token lives 3600 s and is
 * refreshed 5 minutes before it expires, so a refresh every 55 minutes: up to 27 in a UTC day
 * (86 400 s / 3300 s = 26.2, and a day may start right after one). The polls get what is left.
 */
import { nextUtcMidnight } from "./budget.ts";

/** Refresh this long before the access token expires, ms. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Viessmann access tokens live 3600 s; used when a response omits expires_in. */
export const DEFAULT_ACCESS_TTL_S = 3600;

const REFRESH_EVERY_MS = DEFAULT_ACCESS_TTL_S * 1000 - REFRESH_MARGIN_MS;
const DAY_MS = 86_400_000;

/** Most token refreshes in one UTC day (27). */
const MAX_DAILY_REFRESHES = Math.ceil(DAY_MS / REFRESH_EVERY_MS);

/** Token refreshes still to come before the UTC day of `nowMs` ends: kept out of the polls' share. */
export const refreshReserve = (nowMs: number): number =>
  Math.ceil((nextUtcMidnight(nowMs) - nowMs) / REFRESH_EVERY_MS);

/**
 * Why `daily` calls cannot work, or undefined when they can: a budget the refreshes alone may use up
 * leaves no poll. The message names the budget that polls every `intervalS` seconds, and the least.
 */
export function budgetProblem(daily: number, intervalS: number): string | undefined {
  if (daily > MAX_DAILY_REFRESHES) return undefined;
  const wanted = MAX_DAILY_REFRESHES + Math.ceil(DAY_MS / 1000 / intervalS);
  return (
    `${daily} calls per day leave no poll: token refreshes alone take up to ${MAX_DAILY_REFRESHES} calls a day ` +
    `(one every ${REFRESH_EVERY_MS / 60_000} min). Set VIESSMANN_DAILY_BUDGET=${wanted} to poll every ${intervalS} s ` +
    `(VIESSMANN_INTERVAL), or at least ${MAX_DAILY_REFRESHES + 1}; the free plan allows 1450`
  );
}
