/**
 * The day's CSV adds up to the day: on simulated days with full coverage, Σ power_w × 300 s is
 * within 3 % of the day's electricity and Σ heat_w × 300 s within 5 % of its heat (empty cells 0).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { createReports } from "../../src/index.ts";

describe("five-minute buckets add up to the daily row", () => {
  it("electricity within 3 %, heat within 5 %, on every day with at least 95 % coverage", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-sums-"));
    const file = join(dir, "h.lp");
    // A winter week and the spring DST change.
    await writeHistory({ days: 5, end: "2026-03-30", seed: 21, out: file, tz: "Europe/Berlin" });
    const reports = createReports({
      env: { LOCAL_SOURCE: file, DATA_DIR: join(dir, "data"), REPORT_TZ: "Europe/Berlin" },
      now: () => Date.parse("2026-04-01T00:00:00Z"),
      noDiskCache: true,
    });
    const rows = await reports.dailyRows("2026-03-26", "2026-03-30");
    let checked = 0;
    for (const row of rows) {
      if (Math.min(row.coverage_elec_pct, row.coverage_hp_pct) < 95) continue;
      const b = await reports.dayBuckets(row.day);
      const kwh = (w: (number | null)[]) =>
        (w.reduce<number>((a, x) => a + (x ?? 0), 0) * (300 / 3600)) / 1000;
      const elec = kwh(b.values.power_w);
      const heat = kwh(b.values.heat_w);
      expect(Math.abs(elec - row.elec_kwh!) / row.elec_kwh!, `${row.day} electricity`).toBeLessThan(0.03);
      expect(Math.abs(heat - row.heat_kwh!) / row.heat_kwh!, `${row.day} heat`).toBeLessThan(0.05);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});
