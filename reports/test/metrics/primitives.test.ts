import { describe, expect, it } from "vitest";
import {
  counterIncrease,
  coveragePct,
  electricStats,
  medianSpacing,
  ratio,
  weightedMean,
} from "../../src/metrics/primitives.ts";
import { rollup } from "../../src/rollup/rollup.ts";
import type { DailyRow } from "../../src/types.ts";

const N = Number.NaN;

describe("metrics", () => {
  it("counter increase: steps inside the period, from the sample before it; a drop counts the new value", () => {
    const t = [0, 10, 20, 30, 40];
    expect(counterIncrease(t, [100, 110, 5, 15, 20], 10, 50)).toBe(10 + 5 + 10 + 5);
    // The period starts at 20: the baseline is the sample at 10.
    expect(counterIncrease(t, [100, 110, 5, 15, 20], 20, 50)).toBe(5 + 10 + 5);
    // Missing values are skipped, not zeros.
    expect(counterIncrease(t, [1, N, 3, N, 4], 5, 50)).toBe(3);
    // No step: null, not 0.
    expect(counterIncrease(t, [N, N, 3, N, N], 0, 50)).toBeNull();
  });

  it("day-counter rollover at the device's midnight", () => {
    expect(counterIncrease([0, 300, 600], [12.5, 0.2, 0.4], 300, 900)).toBeCloseTo(0.4, 10);
  });

  it("ratio is null when a side is missing or electricity is zero", () => {
    expect(ratio(8, 2)).toBe(4);
    expect(ratio(8, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(8, null)).toBeNull();
    expect(ratio(0, 2)).toBe(0);
  });

  it("electric stats: starts, running time and split; a gap is not a start and not running", () => {
    const t = [0, 10_000, 20_000, 30_000, 40_000, 1_000_000, 1_010_000];
    const p = [50, 2000, 2000, 50, 50, 2000, 50];
    const e = [
      0,
      50 / 360,
      50 / 360 + 2000 / 360,
      50 / 360 + 4000 / 360,
      100 / 360 + 4000 / 360,
      20,
      20 + 2000 / 360,
    ];
    const s = electricStats(t, p, e, 0, 2_000_000, 100, 30_000);
    expect(s.starts).toBe(1);
    // 10 s..30 s and the 10 s after the gap: the step into the sample after a gap is not judged.
    expect(s.runningMs).toBe(30_000);
    expect(s.runningWh).toBeCloseTo(6000 / 360, 9);
    // The steps after the gap: the gap step is in elecWh but in neither side of the split.
    expect(s.elecWh).toBeCloseTo(20 + 2000 / 360, 9);
    expect(s.standbyWh).toBeCloseTo(100 / 360, 9);
    expect(s.method).toBe("counter");
  });

  it("power integration is the fall-back when there is no counter", () => {
    const s = electricStats([0, 3_600_000, 7_200_000], [1000, 1000, 0], [N, N, N], 0, 8e6, 100, 4e6);
    expect(s.method).toBe("power");
    expect(s.elecWh).toBe(2000);
  });

  it("coverage, spacing, weighted mean", () => {
    expect(coveragePct(4320, 86_400_000, 10_000)).toBe(50);
    expect(coveragePct(9000, 86_400_000, 10_000)).toBe(100);
    expect(medianSpacing([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 500], 0, 11)).toBe(10);
    expect(weightedMean([40, 50, 30], [2, 1, 0])).toBeCloseTo(130 / 3, 9);
    expect(weightedMean([40], [0])).toBeNull();
  });
});

const row = (o: Partial<DailyRow>): DailyRow =>
  ({
    day: "2026-01-01",
    start: "",
    end: "",
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
    coverage_elec_pct: 0,
    coverage_hp_pct: 0,
    viessmann_calls: null,
    ...o,
  }) as DailyRow;

describe("rollup", () => {
  it("COP from sums (not a mean of COPs), temperatures weighted by heat, coverage by hours", () => {
    const t = rollup([
      row({
        elec_kwh: 10,
        heat_kwh: 40,
        outside_mean_c: 0,
        flow_mean_c: 40,
        coverage_elec_pct: 100,
        running_hours: 10,
        starts: 5,
      }),
      row({
        elec_kwh: 2,
        heat_kwh: 4,
        outside_mean_c: 10,
        flow_mean_c: 30,
        coverage_elec_pct: 50,
        hours: 24,
        running_hours: 2,
        starts: 5,
      }),
      row({ elec_kwh: 5, heat_kwh: null, coverage_elec_pct: 100 }),
    ]);
    expect(t.elec_kwh).toBe(17);
    expect(t.heat_kwh).toBe(44);
    expect(t.cop).toBeCloseTo(44 / 12, 3);
    expect(t.outside_mean_c).toBeCloseTo(40 / 44, 2);
    expect(t.flow_mean_c).toBeCloseTo((40 * 40 + 4 * 30) / 44, 2);
    expect(t.coverage_elec_pct).toBeCloseTo(83.3, 1);
    expect(t.mean_run_min).toBe(72);
    expect(t.days_with_data).toBe(3);
  });

  it("a period without heat has COP null and an hours-weighted outside mean", () => {
    const t = rollup([
      row({ elec_kwh: 1, outside_mean_c: 20 }),
      row({ elec_kwh: 0, outside_mean_c: 10, hours: 25 }),
    ]);
    expect(t.cop).toBeNull();
    expect(t.outside_mean_c).toBeCloseTo((20 * 24 + 10 * 25) / 49, 2);
    expect(t.flow_mean_c).toBeNull();
  });
});
