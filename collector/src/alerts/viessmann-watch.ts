/**
 * The reason behind a heat pump silence, as only the collector knows it. The site builder judges
 * `heatpump_silent` from the store (so a dead collector is noticed too); this says why, and the
 * collector writes it to the store for the builder's message: the Viessmann login is needed (the
 * source stopped), a 429 blocks every call until its reset, the day's call budget is spent, or the
 * last poll failed (device or gateway offline, no answer). It watches the source's calls without
 * changing them, and reads the budget file the source keeps.
 */
import { readJson } from "../../../core/src/durable-file.ts";
import { isExpected } from "../../../core/src/errors.ts";
import type { Source } from "../sources/source.ts";
import { budgetFilePath, nextUtcMidnight, utcDay } from "../sources/viessmann/budget.ts";
import { refreshReserve } from "../sources/viessmann/refresh-reserve.ts";
import { watched } from "./watched.ts";

interface ViessmannReason {
  /** What keeps the heat pump's readings away, or "" while the source reads fine. */
  readonly reason: string;
  /** The last good poll (or when watching began), ms since the epoch. */
  readonly lastOkMs: number;
}

interface ViessmannWatch {
  /** The source, its start and polls watched (the same calls, the same results). */
  wrap(source: Source): Source;
  reason(nowMs: number): ViessmannReason;
}

interface BudgetFile {
  day?: string;
  calls?: number;
  blockedUntilMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

export function watchViessmann(opts: {
  dataDir: string;
  dailyBudget: number;
  startMs: number;
}): ViessmannWatch {
  let lastOkMs = opts.startMs;
  /** The message of the failing start or poll; `fatal`: the source stopped (login needed). */
  let failure: { message: string; fatal: boolean } | undefined;

  const seen = (e: unknown) => {
    if (isExpected(e)) failure = { message: e.message, fatal: e.fatalForSource };
  };

  function budget(nowMs: number): string | undefined {
    let b: BudgetFile | undefined;
    try {
      b = readJson(budgetFilePath(opts.dataDir)) as BudgetFile | undefined;
    } catch {
      return undefined; // damaged: the source says so itself
    }
    if (typeof b?.blockedUntilMs === "number" && b.blockedUntilMs > nowMs)
      return `Viessmann answered 429 (rate limit): no calls until ${iso(b.blockedUntilMs)}`;
    const calls = b?.day === utcDay(nowMs) && typeof b.calls === "number" ? b.calls : 0;
    if (calls >= opts.dailyBudget - refreshReserve(nowMs))
      return (
        `the day's call budget is spent (${calls} of VIESSMANN_DAILY_BUDGET=${opts.dailyBudget} used, ` +
        `the rest kept for token refreshes); polling resumes at ${iso(nextUtcMidnight(nowMs))}`
      );
    return undefined;
  }

  return {
    wrap(source) {
      return watched(source, {
        ok(nowMs) {
          lastOkMs = nowMs;
          failure = undefined;
        },
        failed: seen,
      });
    },
    reason(nowMs) {
      if (failure?.fatal) return { reason: `the Viessmann source stopped: ${failure.message}`, lastOkMs };
      const b = budget(nowMs);
      if (b) return { reason: b, lastOkMs };
      return { reason: failure ? `the last poll failed: ${failure.message}` : "", lastOkMs };
    },
  };
}
