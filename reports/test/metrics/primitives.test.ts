import { describe, expect, it } from "vitest";
import {
  counterIncrease,
  coveragePct,
  electricStats,
  maxOf,
  meanOf,
  medianSpacing,
  ratio,
  round,
  sumOrNull,
  thermalW,
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

describe("metric primitives at their edges", () => {
  it("round: to the digits asked; null for null, NaN and Infinity", () => {
    expect(round(12.3456, 2)).toBe(12.35);
    expect(round(12.3456, 0)).toBe(12);
    expect(round(-0.25, 1)).toBe(-0.2);
    expect(round(null, 2)).toBeNull();
    expect(round(Number.NaN, 2)).toBeNull();
    expect(round(Number.POSITIVE_INFINITY, 2)).toBeNull();
  });

  it("ratio: none for a negative or non-finite side", () => {
    expect(ratio(8, -2)).toBeNull();
    expect(ratio(Number.POSITIVE_INFINITY, 2)).toBeNull();
    expect(ratio(Number.NaN, 2)).toBeNull();
    expect(ratio(8, Number.NaN)).toBeNull();
  });

  it("thermal power: 1000 l/h × 1.163 × 3 K = 3489 W; a negative spread is heat drawn back", () => {
    expect(thermalW(1000, 35, 32)).toBeCloseTo(3489, 9);
    expect(thermalW(1000, 28, 30)).toBeCloseTo(-2326, 9);
  });

  it("counter increase: a sample older than the six-hour look-back is no baseline", () => {
    const H = 3_600_000;
    // Start at 7 h: the baseline may be at 1 h or later; the one at 0 is too old.
    expect(counterIncrease([0, 7 * H, 7 * H + 10_000], [100, 105, 107], 7 * H, 8 * H)).toBe(2);
    expect(counterIncrease([H, 7 * H, 7 * H + 10_000], [100, 105, 107], 7 * H, 8 * H)).toBe(7);
    // The end is exclusive: a sample at the end belongs to the next period.
    expect(counterIncrease([0, 10, 20], [1, 2, 4], 5, 20)).toBe(1);
  });

  it("coverage: 0 for an empty span or no interval; spacing: null under 10 samples or when all share a time", () => {
    expect(coveragePct(10, 0, 10_000)).toBe(0);
    expect(coveragePct(10, 86_400_000, 0)).toBe(0);
    expect(coveragePct(1, 20_000, 10_000)).toBe(50);
    const t = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90];
    expect(medianSpacing(t, 0, 9)).toBeNull();
    expect(medianSpacing(t, 0, 10)).toBe(10);
    // Of [i0, i1) only: 5 at 0..40 then 5 a minute apart: spacings 10 × 4, 20 (40 -> 60), 60 × 4 -> median 20.
    expect(medianSpacing([...t.slice(0, 5), 60, 120, 180, 240, 300, 999], 0, 10)).toBe(20);
    expect(medianSpacing(Array<number>(12).fill(5), 0, 12)).toBeNull();
  });

  it("sums, means and maxima skip what is missing", () => {
    expect(sumOrNull(null, null)).toBeNull();
    expect(sumOrNull(null, 2, 3)).toBe(5);
    expect(sumOrNull(0)).toBe(0);
    expect(weightedMean([10, N, 30, 40], [1, 5, 1, -1])).toBe(20);
    expect(meanOf([N, 2, 4, 6, 100], 0, 4)).toBe(4);
    expect(meanOf([N, N], 0, 2)).toBeNull();
    expect(maxOf([1, 9, N, 3, 50], 1, 4)).toBe(9);
    expect(maxOf([-5, -3], 0, 2)).toBe(-3);
    expect(maxOf([N], 0, 1)).toBeNull();
  });

  it("electric stats: the threshold itself is running; export counts as no consumption; samples inside only", () => {
    // Power only (no counter): 50 W, then 100 W (the threshold) for 10 s, then -500 W (export). From
    // 10 s: the step into 10 s (50 W held, standby: 500/3600 Wh; and a start, 50 -> 100 W), into 20 s
    // (100 W held: running, 1000/3600 Wh), into 30 s (export held: 0 Wh).
    const s = electricStats(
      [0, 10_000, 20_000, 30_000],
      [50, 100, -500, 50],
      [N, N, N, N],
      10_000,
      40_000,
      100,
      30_000,
    );
    expect(s).toEqual({
      samples: 3,
      method: "power",
      elecWh: 1500 / 3600,
      runningWh: 1000 / 3600,
      standbyWh: 500 / 3600,
      runningMs: 10_000,
      starts: 1,
    });
    // A start: from below the threshold to it.
    expect(electricStats([0, 10_000], [99, 100], [N, N], 0, 20_000, 100, 30_000).starts).toBe(1);
    // No readings: nothing known, never 0.
    expect(electricStats([], [], [], 0, 10_000, 100, 30_000)).toEqual({
      samples: 0,
      elecWh: null,
      method: null,
      runningWh: null,
      standbyWh: null,
      runningMs: null,
      starts: null,
    });
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
