/**
 * The daily call budget, persisted in `DATA_DIR/viessmann-budget.json` so a restart cannot exceed it.
 * Every call is counted before it is sent (failed ones included: Viessmann counts them too), per
 * UTC day (every observed `limitReset` is just after 00:00 UTC). A 429 blocks all calls until its
 * `limitReset`, also persisted. So is the start of the last poll: a restarted collector waits for
 * the poll interval since then instead of polling at once (a restart loop would otherwise spend a
 * call per restart).
 */
import { join } from "node:path";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { readJson, writeJsonAtomic } from "../../../../core/src/durable-file.ts";

const BUDGET_FILE_NAME = "viessmann-budget.json";
const DAY_MS = 86_400_000;

interface BudgetState {
  /** UTC day the count belongs to, `YYYY-MM-DD`. */
  day: string;
  calls: number;
  /** No call before this time (ms since epoch), from a 429's `limitReset`. */
  blockedUntilMs?: number;
  /** When the last poll started (ms since epoch). */
  lastPollMs?: number;
}

export interface Budget {
  /** Calls allowed per UTC day. */
  readonly daily: number;
  /** Counts one call about to be sent; throws ExpectedError('rate-limited') while blocked or spent. */
  take(nowMs: number): void;
  /** Blocks every call until `untilMs` (a 429's limitReset, epoch ms). */
  block(untilMs: number): void;
  callsToday(nowMs: number): number;
  /** The block's end while blocked, else undefined. */
  blockedUntil(nowMs: number): number | undefined;
  /** Records that a poll starts now (persisted). */
  recordPoll(nowMs: number): void;
  /** When the last poll started, also before a restart; undefined if never (or in the future). */
  lastPollAt(nowMs: number): number | undefined;
  /**
   * When the next poll is due: `lastMs + intervalMs`, stretched so the calls left today (minus
   * `reserve` for other calls such as token refreshes) last until the end of the UTC day.
   */
  nextPollAt(lastMs: number | undefined, nowMs: number, intervalMs: number, reserve: number): number;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const nextUtcMidnight = (ms: number): number => (Math.floor(ms / DAY_MS) + 1) * DAY_MS;

export const budgetFilePath = (dataDir: string): string => join(dataDir, BUDGET_FILE_NAME);

/** The stored state; undefined when there is none; throws when the file is damaged. */
function load(path: string): BudgetState | undefined {
  const v = readJson(path) as Partial<BudgetState> | undefined;
  if (v === undefined) return undefined;
  if (typeof v.day !== "string" || typeof v.calls !== "number") throw new SyntaxError("not a budget file");
  const s: BudgetState = { day: v.day, calls: v.calls };
  if (typeof v.blockedUntilMs === "number") s.blockedUntilMs = v.blockedUntilMs;
  if (typeof v.lastPollMs === "number") s.lastPollMs = v.lastPollMs;
  return s;
}

export function createBudget(opts: { path: string; daily: number }): Budget {
  const { path, daily } = opts;
  let state: BudgetState = { day: "", calls: 0 };
  // Files are written atomically, so damage means someone edited it: count the day as spent
  // rather than risk the account's limit (the next UTC day starts afresh).
  let damaged = false;
  try {
    state = load(path) ?? state;
  } catch {
    damaged = true;
  }

  const save = () => writeJsonAtomic(path, state, { pretty: true });
  const roll = (nowMs: number) => {
    const day = utcDay(nowMs);
    if (state.day === day) return;
    const { blockedUntilMs: blocked, lastPollMs } = state;
    state = { day, calls: damaged ? daily : 0 };
    damaged = false;
    if (blocked !== undefined && blocked > nowMs) state.blockedUntilMs = blocked;
    if (lastPollMs !== undefined) state.lastPollMs = lastPollMs;
  };

  const budget: Budget = {
    daily,
    take(nowMs) {
      roll(nowMs);
      const blocked = budget.blockedUntil(nowMs);
      if (blocked !== undefined)
        throw new ExpectedError(
          "rate-limited",
          `Viessmann API rate limit: no calls until ${new Date(blocked).toISOString()} (limitReset of the last 429)`,
          { retryAtMs: blocked },
        );
      if (state.calls >= daily) {
        const reset = nextUtcMidnight(nowMs);
        throw new ExpectedError(
          "rate-limited",
          `Viessmann daily budget of ${daily} calls used up; ` +
            `next call after ${new Date(reset).toISOString()} (VIESSMANN_DAILY_BUDGET)`,
          { retryAtMs: reset },
        );
      }
      state.calls++;
      save(); // before the call is sent: a crash must not forget it
    },
    block(untilMs) {
      state.blockedUntilMs = untilMs;
      save();
    },
    callsToday(nowMs) {
      roll(nowMs);
      return state.calls;
    },
    blockedUntil(nowMs) {
      const b = state.blockedUntilMs;
      return b !== undefined && b > nowMs ? b : undefined;
    },
    recordPoll(nowMs) {
      state.lastPollMs = nowMs;
      save();
    },
    lastPollAt(nowMs) {
      const t = state.lastPollMs;
      return t !== undefined && t <= nowMs ? t : undefined; // a clock set back must not stall polling
    },
    nextPollAt(lastMs, nowMs, intervalMs, reserve) {
      const blocked = budget.blockedUntil(nowMs);
      if (blocked !== undefined) return blocked;
      const end = nextUtcMidnight(nowMs);
      const left = daily - budget.callsToday(nowMs) - reserve;
      if (left <= 0) return end; // a new UTC day brings a new budget
      if (lastMs === undefined) return nowMs;
      const gap = Math.max(intervalMs, Math.ceil((end - nowMs) / left));
      return Math.min(lastMs + gap, end);
    },
  };
  return budget;
}
