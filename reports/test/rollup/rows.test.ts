/**
 * Roll-ups of hand-made daily rows (row-sums.ts, rollup.ts, period-analytics.ts, degree-days.ts,
 * progress.ts): every expected value worked out here from the rows' numbers.
 */
import { describe, expect, it } from "vitest";
import { degreeDayTotals, dayHdd } from "../../src/rollup/degree-days.ts";
import { DEFAULT_SETTINGS, periodAnalytics } from "../../src/rollup/period-analytics.ts";
import { progressOf } from "../../src/rollup/progress.ts";
import { elapsedHours, hasData, rollup } from "../../src/rollup/rollup.ts";
import { pairRatio, sum } from "../../src/rollup/row-sums.ts";
import type { DailyRow } from "../../src/types.ts";

const H = 3_600_000;

/** A closed 24-hour day starting at `start` with every field unknown unless given. */
function day(start: string, over: Partial<DailyRow> = {}): DailyRow {
  return {
    day: start.slice(0, 10),
    start,
    end: new Date(Date.parse(start) + 24 * H).toISOString(),
    hours: 24,
    closed: true,
    elec_kwh: null,
    elec_method: null,
    heat_kwh: null,
    heat_heating_kwh: null,
    heat_dhw_kwh: null,
    elec_vendor_kwh: null,
    elec_vendor_heating_kwh: null,
    elec_vendor_dhw_kwh: null,
    cop: null,
    cop_vendor: null,
    running_elec_kwh: null,
    standby_elec_kwh: null,
    running_hours: null,
    cop_running: null,
    starts: null,
    mean_run_min: null,
    starts_vendor: null,
    outside_mean_c: null,
    flow_mean_c: null,
    flow_weighting: null,
    flow_heating_mean_c: null,
    flow_heating_weighting: null,
    coverage_elec_pct: 0,
    coverage_hp_pct: 0,
    outliers: 0,
    viessmann_calls: null,
    elec_heating_kwh: null,
    elec_dhw_kwh: null,
    cop_heating: null,
    cop_dhw: null,
    cop_heating_vendor: null,
    cop_dhw_vendor: null,
    carnot_pct: null,
    carnot_heat_kwh: null,
    carnot_ideal_heat_kwh: null,
    defrost_count: null,
    defrost_min: null,
    defrost_heat_kwh: null,
    export_kwh: null,
    elec_hourly_kwh: [],
    ...over,
  } as DailyRow;
}

describe("row sums", () => {
  const rows = [
    day("2026-01-01T00:00:00Z", { heat_kwh: 30, elec_kwh: 10 }),
    day("2026-01-02T00:00:00Z", { heat_kwh: 20 }),
    day("2026-01-03T00:00:00Z", { heat_kwh: 12, elec_kwh: 3 }),
  ];

  it("sum: the days that have a value; null when none has", () => {
    expect(sum(rows, (r) => r.heat_kwh)).toBe(62);
    expect(sum(rows, (r) => r.elec_kwh)).toBe(13);
    expect(sum(rows, (r) => r.cop)).toBeNull();
    expect(sum([day("2026-01-01T00:00:00Z", { heat_kwh: 0 })], (r) => r.heat_kwh)).toBe(0);
  });

  it("pairRatio: Σ of one over Σ of the other, over the days that have both", () => {
    // Day 2 has heat but no electricity: left out of both sums. (30 + 12) / (10 + 3).
    expect(
      pairRatio(
        rows,
        (r) => r.heat_kwh,
        (r) => r.elec_kwh,
      ),
    ).toBe(42 / 13);
    expect(
      pairRatio(
        rows,
        (r) => r.elec_kwh,
        (r) => r.heat_kwh,
      ),
    ).toBe(13 / 42);
    expect(
      pairRatio(
        rows,
        (r) => r.heat_kwh,
        (r) => r.cop,
      ),
    ).toBeNull();
    // A denominator that adds up to 0 or less: no ratio.
    expect(
      pairRatio(
        rows,
        (r) => r.heat_kwh,
        () => 0,
      ),
    ).toBeNull();
    expect(
      pairRatio(
        rows,
        (r) => r.heat_kwh,
        () => -1,
      ),
    ).toBeNull();
  });
});

describe("degree days", () => {
  it("a day's degree days: base minus the mean outside temperature, 0 on a warm day, null without a mean", () => {
    expect(dayHdd(day("2026-01-01T00:00:00Z", { outside_mean_c: 5 }), 15)).toBe(10);
    expect(dayHdd(day("2026-01-01T00:00:00Z", { outside_mean_c: 15 }), 15)).toBe(0);
    // 20 °C at a 15 °C base: 0, never -5.
    expect(dayHdd(day("2026-01-01T00:00:00Z", { outside_mean_c: 20 }), 15)).toBe(0);
    expect(dayHdd(day("2026-01-01T00:00:00Z"), 15)).toBeNull();
  });

  it("a cold day and a warm day: 10 + 0 degree days; heat and electricity per degree day of closed days", () => {
    const rows = [
      day("2026-04-01T00:00:00Z", { outside_mean_c: 5, heat_heating_kwh: 30, elec_heating_kwh: 8 }),
      day("2026-04-02T00:00:00Z", { outside_mean_c: 20, heat_heating_kwh: 1, elec_heating_kwh: 0.5 }),
      // Today, open: its degree days count in hdd, not in the ratios (its mean is partial).
      day("2026-04-03T00:00:00Z", {
        outside_mean_c: 12,
        heat_heating_kwh: 9,
        elec_heating_kwh: 3,
        closed: false,
      }),
    ];
    expect(degreeDayTotals(rows, 15)).toEqual({
      hdd: 13,
      // (30 + 1) / (10 + 0), (8 + 0.5) / 10.
      heat_per_hdd_kwh: 3.1,
      elec_per_hdd_kwh: 0.85,
    });
  });

  it("rounded: degree days to 2 decimals, per degree day to 4", () => {
    const rows = [day("2026-01-01T00:00:00Z", { outside_mean_c: 12.123, heat_heating_kwh: 10 })];
    // 15 - 12.123 = 2.877; 10 / 2.877 = 3.47584...
    expect(degreeDayTotals(rows, 15)).toEqual({
      hdd: 2.88,
      heat_per_hdd_kwh: 3.4758,
      elec_per_hdd_kwh: null,
    });
  });
});

describe("rollup", () => {
  const rows = [
    day("2026-01-05T00:00:00Z", {
      elec_kwh: 10,
      heat_kwh: 40,
      heat_heating_kwh: 30,
      heat_dhw_kwh: 10,
      elec_vendor_kwh: 8,
      running_elec_kwh: 9,
      standby_elec_kwh: 1,
      running_hours: 6,
      starts: 4,
      starts_vendor: 5,
      outside_mean_c: 0,
      flow_mean_c: 40,
      flow_heating_mean_c: 38,
      coverage_elec_pct: 100,
      coverage_hp_pct: 90,
      outliers: 2,
    }),
    day("2026-01-06T00:00:00Z", {
      elec_kwh: 5,
      heat_kwh: 10,
      heat_heating_kwh: 10,
      heat_dhw_kwh: 0,
      elec_vendor_kwh: 2,
      running_elec_kwh: 4,
      standby_elec_kwh: 1,
      running_hours: 2,
      starts: null,
      starts_vendor: 1,
      outside_mean_c: 10,
      flow_mean_c: 30,
      flow_heating_mean_c: 30,
      coverage_elec_pct: 50,
      coverage_hp_pct: 100,
      outliers: 1,
    }),
    // No data at all.
    day("2026-01-07T00:00:00Z"),
  ];

  it("energies added, ratios from sums, temperatures weighted by heat, coverage by hours", () => {
    const t = rollup(rows, 7);
    expect(t).toMatchObject({
      elec_kwh: 15,
      heat_kwh: 50,
      heat_heating_kwh: 40,
      heat_dhw_kwh: 10,
      elec_vendor_kwh: 10,
      // 50 / 15, 50 / 10, 50 / 13 to 3 decimals.
      cop: 3.333,
      cop_vendor: 5,
      running_elec_kwh: 13,
      standby_elec_kwh: 2,
      running_hours: 8,
      cop_running: 3.846,
      // Starts of the days that have them; the mean run only from days with both hours and starts: 6 h / 4.
      starts: 4,
      mean_run_min: 90,
      starts_vendor: 6,
      // By heat: (0 × 40 + 10 × 10) / 50 = 2; flow (40 × 40 + 30 × 10) / 50 = 38;
      // heating flow by heating heat: (38 × 30 + 30 × 10) / 40 = 36.
      outside_mean_c: 2,
      flow_mean_c: 38,
      flow_heating_mean_c: 36,
      // Three 24-hour days: (100 + 50 + 0) / 3 = 50, (90 + 100 + 0) / 3 = 63.3.
      coverage_elec_pct: 50,
      coverage_hp_pct: 63.3,
      outliers: 3,
      days_with_data: 2,
      days: 7,
    });
  });

  it("without heat, temperatures by hours (outside) or not at all (flow)", () => {
    const cold = [
      day("2026-01-05T00:00:00Z", { outside_mean_c: -2, flow_mean_c: 40 }),
      day("2026-01-06T00:00:00Z", { outside_mean_c: 4, flow_mean_c: 30, hours: 12 }),
    ];
    const t = rollup(cold);
    // (-2 × 24 + 4 × 12) / 36 = 0.
    expect(t.outside_mean_c).toBe(0);
    expect(t.flow_mean_c).toBeNull();
    expect(t.days).toBe(2);
    expect(rollup([]).outside_mean_c).toBeNull();
    expect(rollup([]).coverage_elec_pct).toBe(0);
  });

  it("temperatures: a day with a value but no heat (or heat 0) does not weigh; without any heat, hours do", () => {
    const t = rollup([
      day("2026-01-05T00:00:00Z", { heat_kwh: 10, outside_mean_c: 2, flow_mean_c: 40 }),
      day("2026-01-06T00:00:00Z", { heat_kwh: 0, outside_mean_c: 20, flow_mean_c: 60 }),
      day("2026-01-07T00:00:00Z", { heat_kwh: null, outside_mean_c: 30, flow_mean_c: 70 }),
      day("2026-01-08T00:00:00Z", { heat_kwh: 5, outside_mean_c: null, flow_mean_c: null }),
    ]);
    expect(t).toMatchObject({ outside_mean_c: 2, flow_mean_c: 40 });
    // No heat anywhere: outside by hours (24 and 12 h: (0 × 24 + 6 × 12) / 36 = 2), skipping the unknown.
    const noHeat = rollup([
      day("2026-01-05T00:00:00Z", { outside_mean_c: 0 }),
      day("2026-01-06T00:00:00Z", { outside_mean_c: 6, hours: 12 }),
      day("2026-01-07T00:00:00Z"),
    ]);
    expect(noHeat.outside_mean_c).toBe(2);
    // The mean run: only days with both running hours and starts; none: null.
    const runs = rollup([
      day("2026-01-05T00:00:00Z", { running_hours: 2, starts: 4 }),
      day("2026-01-06T00:00:00Z", { running_hours: 5, starts: null }),
      day("2026-01-07T00:00:00Z", { running_hours: null, starts: 3 }),
    ]);
    expect(runs).toMatchObject({ mean_run_min: 30, running_hours: 7, starts: 7 });
    expect(rollup([day("2026-01-05T00:00:00Z", { running_hours: 2, starts: 0 })]).mean_run_min).toBeNull();
    // No house fit in a plain roll-up, even over enough days for one.
    expect(
      rollup(
        Array.from({ length: 20 }, (_, i) =>
          day(`2026-01-${String(i + 1).padStart(2, "0")}T00:00:00Z`, {
            closed: true,
            coverage_hp_pct: 100,
            outside_mean_c: i - 5,
            heat_heating_kwh: 100 - 3 * i,
          }),
        ),
      ).heat_loss_w_per_k,
    ).toBeNull();
  });

  it("a day in progress weighs its coverage with its elapsed hours", () => {
    const open = day("2026-01-06T00:00:00Z", { closed: false, coverage_elec_pct: 50 });
    const closed = day("2026-01-05T00:00:00Z", { coverage_elec_pct: 100 });
    // 6 hours into the open day: (100 × 24 + 50 × 6) / 30 = 90.
    expect(rollup([closed, open], 2, undefined, Date.parse("2026-01-06T06:00:00Z")).coverage_elec_pct).toBe(
      90,
    );
    expect(elapsedHours(open, Date.parse("2026-01-06T06:00:00Z"))).toBe(6);
    expect(elapsedHours(open, Date.parse("2026-01-05T06:00:00Z"))).toBe(0);
    expect(elapsedHours(open, Date.parse("2026-01-08T00:00:00Z"))).toBe(24);
    expect(elapsedHours(closed, 0)).toBe(24);
  });

  it("a day has data when either source covered some of it", () => {
    expect(hasData(day("2026-01-05T00:00:00Z", { coverage_elec_pct: 1 }))).toBe(true);
    expect(hasData(day("2026-01-05T00:00:00Z", { coverage_hp_pct: 1 }))).toBe(true);
    expect(hasData(day("2026-01-05T00:00:00Z"))).toBe(false);
  });
});

describe("period analytics", () => {
  it("added and divided from sums over the days that have both sides", () => {
    const rows = [
      day("2026-01-05T00:00:00Z", {
        heat_kwh: 40,
        heat_heating_kwh: 30,
        heat_dhw_kwh: 10,
        elec_heating_kwh: 8,
        elec_dhw_kwh: 4,
        elec_vendor_heating_kwh: 6,
        elec_vendor_dhw_kwh: 5,
        carnot_heat_kwh: 30,
        carnot_ideal_heat_kwh: 60,
        defrost_count: 3,
        defrost_min: 15,
        defrost_heat_kwh: 0.5,
        export_kwh: 1.5,
        outside_mean_c: 5,
      }),
      day("2026-01-06T00:00:00Z", {
        heat_kwh: 20,
        heat_heating_kwh: 20,
        heat_dhw_kwh: 0,
        elec_heating_kwh: 2,
        elec_dhw_kwh: 0,
        carnot_heat_kwh: 10,
        carnot_ideal_heat_kwh: 20,
        defrost_count: 1,
        defrost_min: 5,
        defrost_heat_kwh: 0.1,
        outside_mean_c: 10,
      }),
    ];
    expect(periodAnalytics(rows, { settings: DEFAULT_SETTINGS, fitHouse: false })).toEqual({
      elec_heating_kwh: 10,
      elec_dhw_kwh: 4,
      // 50 / 10, 10 / 4; vendor: only the first day has the vendor's electricity: 30 / 6, 10 / 5.
      cop_heating: 5,
      cop_dhw: 2.5,
      cop_heating_vendor: 5,
      cop_dhw_vendor: 2,
      // 100 × 40 / 80.
      carnot_pct: 50,
      defrost_count: 4,
      defrost_min: 20,
      defrost_heat_kwh: 0.6,
      // 100 × 0.6 / 60.
      defrost_share_pct: 1,
      // 10 + 5 degree days at 15 °C: 50 / 15, 10 / 15.
      hdd: 15,
      heat_per_hdd_kwh: 3.3333,
      elec_per_hdd_kwh: 0.6667,
      heat_loss_w_per_k: null,
      balance_point_c: null,
      design_load_w: null,
      house_fit_r2: null,
      house_fit_days: null,
      indoor_source: null,
      export_kwh: 1.5,
    });
  });

  it("rows cached before a field existed (undefined) read as unknown", () => {
    const old = day("2026-01-05T00:00:00Z", { heat_heating_kwh: 10 });
    delete (old as Partial<DailyRow>).elec_heating_kwh;
    const a = periodAnalytics([old], { settings: DEFAULT_SETTINGS, fitHouse: false });
    expect(a.elec_heating_kwh).toBeNull();
    expect(a.cop_heating).toBeNull();
  });
});

describe("progress of a period", () => {
  // A week from Monday 2026-01-05 (UTC), now Thursday 06:00: three complete days and a quarter.
  const start = Date.parse("2026-01-05T00:00:00Z");
  const end = start + 7 * 24 * H;
  const now = Date.parse("2026-01-08T06:00:00Z");
  const rows = [5, 6, 7].map((d) => day(`2026-01-0${d}T00:00:00Z`, { heat_kwh: d, elec_kwh: 1 }));
  const today = day("2026-01-08T00:00:00Z", { closed: false, heat_kwh: 100, elec_kwh: 100 });

  it("elapsed and complete days; the compared part is the complete days, rolled up", () => {
    const p = progressOf([...rows, today], start, end, now, 7);
    expect(p).toMatchObject({
      elapsed_hours: 78,
      hours: 168,
      elapsed_days: 3.25,
      complete_days: 3,
      compared_days: 3,
    });
    // 5 + 6 + 7 of heat over 3 of electricity; today's 100 left out.
    expect(p.compared).toMatchObject({ heat_kwh: 18, elec_kwh: 3, cop: 6, days: 3 });
  });

  it("no more compared days than the previous period has; none before the first day is over", () => {
    expect(progressOf([...rows, today], start, end, now, 2).compared).toMatchObject({
      heat_kwh: 11,
      days: 2,
    });
    const first = progressOf([today], start, end, Date.parse("2026-01-05T12:00:00Z"), 7);
    expect(first).toMatchObject({
      elapsed_hours: 12,
      elapsed_days: 0,
      complete_days: 0,
      compared_days: 0,
      compared: null,
    });
  });

  it("elapsed hours stop at the period's end; a 0-hour open day adds nothing", () => {
    const p = progressOf(rows, start, start + 3 * 24 * H, start + 5 * 24 * H, 7);
    expect(p).toMatchObject({ elapsed_hours: 72, hours: 72, elapsed_days: 3 });
    const empty = day("2026-01-08T00:00:00Z", { closed: false, hours: 0 });
    expect(progressOf([...rows, empty], start, end, now, 7).elapsed_days).toBe(3);
  });
});
