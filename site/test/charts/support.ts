/** Shared set-up for chart snapshot tests: pinned zone, fixed data from the fake engine. */
import type { DailyRow, SeriesSet } from "../../../reports/src/types.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";

// Plot renders time scales in the process zone; the build pins it to REPORT_TZ the same way.
process.env.TZ = "Europe/Berlin";
export const TZ = "Europe/Berlin";

export const fake = createFakeReports({ tz: TZ, first: "2026-03-01", last: "2026-11-01" });

/** Series of one local day (23 h on 2026-03-29, 25 h on 2026-10-25). */
export async function daySeries(
  day: string,
  next: string,
): Promise<{ series: SeriesSet; fromMs: number; toMs: number }> {
  const fromMs = localMidnight(day, TZ);
  const toMs = localMidnight(next, TZ);
  return { series: await fake.series(fromMs, toMs), fromMs, toMs };
}

export const rows = (from: string, to: string): Promise<DailyRow[]> => fake.dailyRows(from, to);
