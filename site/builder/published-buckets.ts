/**
 * A day's five-minute buckets read back from its published CSV twin (reports/src/output/csv.ts
 * writes it: a `time` column in UTC, then the bucket columns; an empty cell is missing data). Numbers
 * are written as JavaScript prints them, so they read back exactly. A column the file predates is
 * null throughout, a column it has that the buckets no longer know is left out.
 */
import { BUCKET_COLUMNS, type BucketColumn, type DayBuckets } from "../../reports/src/types.ts";

/** The buckets of `day` in `csv`, or null when it is not a bucket CSV (no `time` column, no lines). */
export function bucketsFromCsv(day: string, csv: string): DayBuckets | null {
  const lines = csv.split("\r\n").filter((l) => l !== "");
  const header = lines[0]?.split(",") ?? [];
  const time = header.indexOf("time");
  const body = lines.slice(1).map((l) => l.split(","));
  const startMs = Date.parse(body[0]?.[time] ?? "");
  if (time < 0 || body.length === 0 || Number.isNaN(startMs)) return null;
  const values = {} as Record<BucketColumn, (number | null)[]>;
  for (const c of BUCKET_COLUMNS) {
    const at = header.indexOf(c);
    values[c] = body.map((cells) => {
      const cell = at < 0 ? "" : (cells[at] ?? "");
      const v = cell === "" ? Number.NaN : Number(cell);
      return Number.isFinite(v) ? v : null;
    });
  }
  return { day, startMs, values };
}
