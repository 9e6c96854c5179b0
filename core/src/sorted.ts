/** Searching sorted columns (times in ms, ascending), as every metric reads them. */

/** First index with t[i] >= x (binary search); t.length when there is none. */
export function lowerBound(t: readonly number[], x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
