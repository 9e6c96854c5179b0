/**
 * The day's CSV adds up to the day: on steady hand-made days (helpers/steady-days.ts: 500 W all day,
 * 10 kWh of heat) Σ power_w × 300 s is the day's 12 kWh of electricity (11.5 kWh on the 23-hour
 * 29 March) and Σ heat_w × 300 s its 10 kWh of heat, as the daily row says too (empty cells 0).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dayList } from "../../../core/src/time.ts";
import { createReports } from "../../src/index.ts";
import { lines } from "../helpers/hand-data.ts";
import { steadyDays } from "../helpers/steady-days.ts";

const TZ = "Europe/Berlin";

describe("five-minute buckets add up to the daily row", () => {
  it("electricity and heat of each day, the 23-hour day too, within 1 %", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-sums-"));
    const file = join(dir, "h.lp");
    // From the 26th, so the 27th's first readings have one before them to count from.
    const days = dayList("2026-03-26", "2026-03-31").map((day) => ({ day, powerW: 500, heatKwh: 10 }));
    writeFileSync(file, lines(steadyDays(TZ, days)));
    const reports = createReports({
      env: { LOCAL_SOURCE: file, DATA_DIR: join(dir, "data"), REPORT_TZ: TZ },
      now: () => Date.parse("2026-04-01T12:00:00Z"),
      noDiskCache: true,
    });
    const hand = new Map([
      ["2026-03-27", 12],
      ["2026-03-28", 12],
      ["2026-03-29", 11.5],
      ["2026-03-30", 12],
    ]);
    const kwh = (w: (number | null)[]) => (w.reduce<number>((a, x) => a + (x ?? 0), 0) * (300 / 3600)) / 1000;
    for (const [day, elec] of hand) {
      const [row] = await reports.dailyRows(day, day);
      expect(row, day).toMatchObject({ elec_kwh: elec, heat_kwh: 10 });
      const b = await reports.dayBuckets(day);
      // 288 buckets (276 on the 23-hour day) at 500 W.
      expect(b.values.power_w, day).toHaveLength(elec * 24);
      expect(Math.abs(kwh(b.values.power_w) - elec) / elec, `${day} electricity`).toBeLessThan(0.01);
      expect(Math.abs(kwh(b.values.heat_w) - 10) / 10, `${day} heat`).toBeLessThan(0.01);
    }
    await reports.close();
  });
});
