/**
 * The static history API's CSV files (README, "Data"): a day's five-minute buckets and a period's
 * daily rows, for spreadsheets. RFC 4180: comma-separated, CRLF line ends, a header line, fields
 * quoted only where they hold a comma, a quote or a line break; a missing value is an empty cell.
 * Times in `time` are UTC (the history API's contract); beside them `local_time` gives the same
 * instant in the report's zone with its offset, and day rows start with their local `date`, so a
 * spreadsheet shows the day the row is about (1 December in Berlin starts at 23:00 UTC the day before).
 */
import { createOffsetCache } from "../../../core/src/time.ts";
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

const two = (n: number) => String(n).padStart(2, "0");

/** `2026-12-01T00:00:00+01:00`: the local time in whole seconds with its offset from UTC. */
function localSeconds(ms: number, offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const sign = offsetMs < 0 ? "-" : "+";
  const local = new Date(ms + offsetMs).toISOString().slice(0, 19);
  return `${local}${sign}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

/**
 * One line per five-minute bucket from local midnight: `time` (bucket start, UTC), `local_time`
 * (the same instant in `tz`, the report's zone, with its offset) and the bucket columns.
 */
export function bucketsCsv(b: DayBuckets, tz: string): string {
  const n = b.values.power_w.length;
  const offset = createOffsetCache(tz);
  const rows: unknown[][] = [["time", "local_time", ...BUCKET_COLUMNS]];
  for (let k = 0; k < n; k++) {
    const t = b.startMs + k * BUCKET_MS;
    rows.push([utcSeconds(t), localSeconds(t, offset(t)), ...BUCKET_COLUMNS.map((c) => b.values[c][k])]);
  }
  return lines(rows);
}

/** `elec_hourly_kwh` -> `elec_h00_kwh` .. `elec_h23_kwh`: the columns a list field becomes. */
const listColumn = (field: string, i: number) =>
  field.replace(/_hourly_(\w+)$/, `_h${String(i).padStart(2, "0")}_$1`);

/** Lines of daily rows by the header they were written under: a closed day's row is frozen and kept. */
const rowLines = new WeakMap<DailyRow, { header: string; line: string }>();

/**
 * One line per day: `date` (the local day, what a spreadsheet shows as the row's date), then the
 * daily row's fields in the order of the JSON twins, the money fields too where the report has
 * prices; a list (the electricity per local hour) becomes one column per entry, because a
 * spreadsheet cannot read a list in a cell. The long-running builder writes the open season's file
 * every cycle: a closed day's line, the same under the same header, is made once.
 */
export function dailyRowsCsv(rows: readonly DailyRow[]): string {
  const first = (rows[0] ?? { day: "" }) as unknown as Record<string, unknown>;
  const header: string[] = ["date"];
  const cells: ((r: Record<string, unknown>) => unknown)[] = [(r) => r.day];
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
