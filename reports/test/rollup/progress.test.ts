/**
 * Periods in progress, over steady hand-made days (helpers/steady-days.ts) whose energies are known
 * exactly: every day draws 500 W (12 kWh in 24 h, 11.5 kWh on the 23-hour 29 March) and delivers
 * 10 + day-of-month kWh of heat in March and April, 20 + day-of-month in February.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createReports } from "../../src/index.ts";
import { lines } from "../helpers/hand-data.ts";
import { steadyDays } from "../helpers/steady-days.ts";
import { dayList } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";

const heatOf = (day: string) => (day < "2026-03-01" ? 20 : 10) + Number(day.slice(8));

/**
 * The engine over steady days up to `nowIso` (data until `untilIso`, default now), from 31 January:
 * the day before February gives its first readings something to count from.
 */
function engineAt(nowIso: string, untilIso = nowIso) {
  const dir = mkdtempSync(join(tmpdir(), "reports-progress-"));
  const file = join(dir, "history.lp");
  const days = dayList("2026-01-31", nowIso.slice(0, 10)).map((day) => ({
    day,
    powerW: 500,
    heatKwh: heatOf(day),
  }));
  writeFileSync(file, lines(steadyDays(TZ, days, Date.parse(untilIso))));
  const nowMs = Date.parse(nowIso);
  return createReports({
    env: { LOCAL_SOURCE: file, DATA_DIR: join(dir, "data"), REPORT_TZ: TZ },
    now: () => nowMs,
    noDiskCache: true,
  });
}

describe("a period in progress", () => {
  // Thursday 2 April 2026, 12:00 in Berlin (CEST, UTC+2).
  const NOW = "2026-04-02T10:00:00Z";

  it("a week is compared over its complete days with the previous week's first as many days", async () => {
    const reports = engineAt(NOW);
    const w = await reports.report({ kind: "week", id: "2026-W14" });
    // Monday 30 March to Wednesday 1 April are over; Thursday is half gone: 3.5 of 7 days, 84 of 168 h.
    expect(w.progress).toMatchObject({
      complete_days: 3,
      elapsed_days: 3.5,
      elapsed_hours: 84,
      hours: 168,
      compared_days: 3,
    });
    // 30 + 31 March, 1 April: heat 40 + 41 + 11, electricity 3 × 12 kWh.
    expect(w.progress!.compared).toMatchObject({ heat_kwh: 92, elec_kwh: 36, days: 3 });
    // The previous week's first three days, 23 to 25 March: 33 + 34 + 35.
    expect(w.previous).toMatchObject({ heat_kwh: 102, elec_kwh: 36, days: 3 });
    // The sums so far hold today's half day too: 6 kWh of heat (12 / 2) and 6 kWh of electricity.
    expect(w).toMatchObject({ heat_kwh: 98, elec_kwh: 42, days: 7 });
    await reports.close();
  });

  it("today has no comparison until it is over; yesterday is compared with the whole day before", async () => {
    const reports = engineAt(NOW);
    const today = await reports.report({ kind: "day", id: "2026-04-02" });
    expect(today.previous).toBeNull();
    expect(today.progress).toEqual({
      elapsed_hours: 12,
      hours: 24,
      elapsed_days: 0.5,
      complete_days: 0,
      compared_days: 0,
      compared: null,
    });
    const yesterday = await reports.report({ kind: "day", id: "2026-04-01" });
    expect(yesterday.progress).toBeNull();
    expect(yesterday.previous).toMatchObject({ heat_kwh: 41, elec_kwh: 12, days: 1 });
    await reports.close();
  });

  it(
    "a month with one complete day is compared with the previous month's first day; " +
      "a closed one with all of it",
    async () => {
      const reports = engineAt(NOW);
      const april = await reports.report({ kind: "month", id: "2026-04" });
      expect(april.progress).toMatchObject({ complete_days: 1, compared_days: 1 });
      expect(april.progress!.compared).toMatchObject({ heat_kwh: 11, elec_kwh: 12 });
      expect(april.previous).toMatchObject({ heat_kwh: 11, elec_kwh: 12, days: 1 });
      const march = await reports.report({ kind: "month", id: "2026-03" });
      expect(march.progress).toBeNull();
      // February, all 28 days: 28 × 20 + (1 + … + 28) = 560 + 406.
      expect(march.previous).toMatchObject({ heat_kwh: 966, elec_kwh: 336, days: 28 });
      await reports.close();
    },
  );

  it("March on its last day: 30 complete days against February's 28, so both sides cover 28 days", async () => {
    const reports = engineAt("2026-03-31T10:00:00Z");
    const m = await reports.report({ kind: "month", id: "2026-03" });
    expect(m.progress).toMatchObject({ complete_days: 30, compared_days: 28 });
    // 1 to 28 March: 28 × 10 + 406 = 686 kWh of heat, 28 × 12 kWh of electricity.
    expect(m.progress!.compared).toMatchObject({ heat_kwh: 686, elec_kwh: 336, days: 28 });
    expect(m.previous).toMatchObject({ heat_kwh: 966, elec_kwh: 336, days: 28 });
    await reports.close();
  });

  it("on the 23-hour day: 11 of 23 hours at noon, the week 6.48 of 7 days, 155 of 167 hours", async () => {
    // Sunday 29 March 2026, 12:00 CEST: clocks went forward at 02:00, so 11 hours since midnight.
    const reports = engineAt("2026-03-29T10:00:00Z");
    const day = await reports.report({ kind: "day", id: "2026-03-29" });
    expect(day.progress).toMatchObject({ elapsed_hours: 11, hours: 23, elapsed_days: 0.48 });
    const week = await reports.report({ kind: "week", id: "2026-W13" });
    expect(week.progress).toMatchObject({
      complete_days: 6,
      elapsed_days: 6.48,
      elapsed_hours: 155,
      hours: 167,
    });
    // 23 to 28 March against 16 to 21 March: heat 33..38 (213) against 26..31 (171).
    expect(week.progress!.compared).toMatchObject({ heat_kwh: 213, elec_kwh: 72 });
    expect(week.previous).toMatchObject({ heat_kwh: 171, elec_kwh: 72, days: 6 });
    await reports.close();
  });

  it("coverage is of the time elapsed: today's data stopped at 06:00, so 50 % of its 12 hours", async () => {
    const reports = engineAt(NOW, "2026-04-02T04:00:00Z");
    const today = await reports.report({ kind: "day", id: "2026-04-02" });
    expect(today).toMatchObject({ coverage_elec_pct: 50, coverage_hp_pct: 50 });
    // The week: 72 hours at 100 % and 12 at 50 %: 7800 / 84 = 92.86 %, not (7200 + 24 × 50) / 96.
    const w = await reports.report({ kind: "week", id: "2026-W14" });
    expect(w).toMatchObject({ coverage_elec_pct: 92.9, coverage_hp_pct: 92.9 });
    await reports.close();
  });

  it("a closed period has no progress and every day of it counts", async () => {
    const reports = engineAt(NOW);
    const w = await reports.report({ kind: "week", id: "2026-W13" });
    expect(w.progress).toBeNull();
    // 23 to 29 March: heat 33..39 = 252; 6 × 12 + 11.5 kWh.
    expect(w).toMatchObject({ heat_kwh: 252, elec_kwh: 83.5, coverage_elec_pct: 100 });
    expect(w.previous).toMatchObject({ days: 7 });
    await reports.close();
  });
});
