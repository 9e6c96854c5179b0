/**
 * Sums over daily rows, the two ways every roll-up needs them: a total of the days that have a value,
 * and a ratio of two sums over the days that have both (so a day without heat pump data does not drag
 * a COP down with electricity that has no heat beside it).
 */
import type { DailyRow } from "../types.ts";

/** Sum of the non-null values, or null when every day is null. */
export function sum(rows: readonly DailyRow[], get: (r: DailyRow) => number | null): number | null {
  let s: number | null = null;
  for (const r of rows) {
    const v = get(r);
    if (v !== null) s = (s ?? 0) + v;
  }
  return s;
}

/** Σ num / Σ den over the days that have both; null when there are none or Σ den is not positive. */
export function pairRatio(
  rows: readonly DailyRow[],
  num: (r: DailyRow) => number | null,
  den: (r: DailyRow) => number | null,
): number | null {
  let n = 0;
  let d = 0;
  let any = false;
  for (const r of rows) {
    const a = num(r);
    const b = den(r);
    if (a === null || b === null) continue;
    n += a;
    d += b;
    any = true;
  }
  return any && d > 0 ? n / d : null;
}
