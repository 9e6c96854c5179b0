/**
 * The static history API's JSON files (README, "Data"): a period's report as
 * `JSON.stringify(report, null, 2)` writes it. A season's file holds up to 365 daily rows and the
 * long-running builder writes the open season's every cycle: a closed day's row (frozen, handed out
 * by the day cache every cycle as the same object) is serialised once and kept.
 */
import type { DailyRow, PeriodReport } from "../types.ts";

const written = new WeakMap<DailyRow, string>();

/** A daily row as it reads inside a report's `rows` (two levels deep, indented by 4). */
function rowText(row: DailyRow): string {
  let text = written.get(row);
  if (text === undefined) {
    // Strings in JSON hold no raw line break: every "\n" is the layout's own.
    text = JSON.stringify(row, null, 2).replaceAll("\n", "\n    ");
    if (Object.isFrozen(row)) written.set(row, text);
  }
  return text;
}

/** Exactly `JSON.stringify(report, null, 2)`. */
export function reportJson(report: PeriodReport): string {
  if (report.rows.length === 0) return JSON.stringify(report, null, 2);
  const mark = "\u0001rows\u0001";
  const outline = JSON.stringify({ ...report, rows: mark }, null, 2);
  const rows = `[\n    ${report.rows.map(rowText).join(",\n    ")}\n  ]`;
  return outline.replace(`"rows": ${JSON.stringify(mark)}`, () => `"rows": ${rows}`);
}
