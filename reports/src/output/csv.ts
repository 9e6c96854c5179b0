/**
 * The static history API's CSV files (README, "Data"): a day's five-minute buckets and a period's
 * daily rows, for spreadsheets. RFC 4180: comma-separated, CRLF line ends, a header line, fields
 * quoted only where they hold a comma, a quote or a line break; a missing value is an empty cell.
 */
import { BUCKET_MS } from "../metrics/day-buckets.ts";
import type { DailyRow } from "../types.ts";
import { BUCKET_COLUMNS, type DayBuckets } from "../types.ts";

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

const lines = (rows: readonly unknown[][]) => rows.map((r) => r.map(cell).join(",") + "\r\n").join("");

/** `2026-03-29T22:05:00Z`: UTC, whole seconds. */
const utcSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19) + "Z";

/** One line per five-minute bucket from local midnight: `time` (bucket start, UTC) and the bucket columns. */
export function bucketsCsv(b: DayBuckets): string {
  const n = b.values.power_w.length;
  const rows: unknown[][] = [["time", ...BUCKET_COLUMNS]];
  for (let k = 0; k < n; k++)
    rows.push([utcSeconds(b.startMs + k * BUCKET_MS), ...BUCKET_COLUMNS.map((c) => b.values[c][k])]);
  return lines(rows);
}

/** `elec_hourly_kwh` -> `elec_h00_kwh` .. `elec_h23_kwh`: the columns a list field becomes. */
const listColumn = (field: string, i: number) =>
  field.replace(/_hourly_(\w+)$/, `_h${String(i).padStart(2, "0")}_$1`);

/** Lines of daily rows by the header they were written under: a closed day's row is frozen and kept. */
const rowLines = new WeakMap<DailyRow, { header: string; line: string }>();

/**
 * One line per day: the daily row's fields, in the order of the JSON twins; a list (the electricity
 * per local hour) becomes one column per entry, because a spreadsheet cannot read a list in a cell.
 * The long-running builder writes the open season's file every cycle: a closed day's line, the same
 * under the same header, is made once.
 */
export function dailyRowsCsv(rows: readonly DailyRow[]): string {
  const first = (rows[0] ?? { day: "" }) as unknown as Record<string, unknown>;
  const header: string[] = [];
  const cells: ((r: Record<string, unknown>) => unknown)[] = [];
  for (const [field, value] of Object.entries(first)) {
    if (Array.isArray(value))
      value.forEach((_, i) => {
        header.push(listColumn(field, i));
        cells.push((r) => (r[field] as unknown[] | undefined)?.[i]);
      });
    else {
      header.push(field);
      cells.push((r) => r[field]);
    }
  }
  const head = lines([header]);
  const line = (r: DailyRow) => {
    const known = rowLines.get(r);
    if (known?.header === head) return known.line;
    const text = lines([cells.map((c) => c(r as unknown as Record<string, unknown>))]);
    if (Object.isFrozen(r)) rowLines.set(r, { header: head, line: text });
    return text;
  };
  return head + rows.map(line).join("");
}
