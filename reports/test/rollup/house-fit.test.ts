/**
 * The house fit (house-fit.ts) on hand-made daily rows, each expected value worked out here (the
 * simulated heating season against the simulator's own house: house-fit-season.test.ts).
 */
import { describe, expect, it } from "vitest";
import { fitHouse, houseFitPoints } from "../../src/rollup/house-fit.ts";
import type { DailyRow } from "../../src/types.ts";

/** A closed, fully covered day with a mean outside temperature and a mean space-heating power. */
const row = (outside: number, heatingW: number, over: Partial<DailyRow> = {}): DailyRow =>
  ({
    day: "2026-01-01",
    hours: 24,
    closed: true,
    coverage_hp_pct: 100,
    outside_mean_c: outside,
    heat_heating_kwh: (heatingW * 24) / 1000,
    ...over,
  }) as DailyRow;

describe("house fit on hand-made days (indoor 20 °C, design -12 °C)", () => {
  it("days on a line: 150 W/K, 300 W of gains: balance 18 °C, design load 150 * 32 - 300 = 4500 W", () => {
    const rows = Array.from({ length: 14 }, (_, i) => row(i - 6, 150 * (20 - (i - 6)) - 300));
    expect(fitHouse(rows, 20, -12)).toEqual({
      heat_loss_w_per_k: 150,
      balance_point_c: 18,
      design_load_w: 4500,
      house_fit_days: 14,
      house_fit_r2: 1,
      // No room temperature on the days: the INDOOR_C setting.
      indoor_source: "setting",
    });
  });

  it("scattered days: slope, intercept and R² from the least-squares sums", () => {
    // 8 days at 10 °C outside (x = 10 K): 4 at 1100 W, 4 at 900 W; 8 at 0 °C (x = 20 K): 4 at 2600 W,
    // 4 at 2400 W. Means x 15 K, P 1750 W; Σ(x - x̄)(P - P̄) = 8 * 5 * 750 * 2 = 60000, Σ(x - x̄)² =
    // 16 * 25 = 400: slope 150 W/K, intercept 1750 - 150 * 15 = -500 W. Balance 20 - 500 / 150 =
    // 16.67 °C; design -500 + 150 * 32 = 4300 W. Residuals all ±100 W: R² = 1 - 16 * 100² /
    // (8 * 650² + 8 * 850²).
    const rows = [
      ...[1100, 900, 1100, 900, 1100, 900, 1100, 900].map((w) => row(10, w)),
      ...[2600, 2400, 2600, 2400, 2600, 2400, 2600, 2400].map((w) => row(0, w)),
    ];
    expect(fitHouse(rows, 20, -12)).toEqual({
      heat_loss_w_per_k: 150,
      balance_point_c: 16.7,
      design_load_w: 4300,
      house_fit_days: 16,
      house_fit_r2: Math.round((1 - (16 * 100 ** 2) / (8 * 650 ** 2 + 8 * 850 ** 2)) * 1000) / 1000,
      indoor_source: "setting",
    });
  });

  it("only closed days with space heating, a mean outside temperature and 90 % heat pump coverage count", () => {
    const good = Array.from({ length: 13 }, (_, i) => row(i - 6, 150 * (20 - (i - 6)) - 300));
    const left = [
      row(0, 2700, { closed: false }),
      row(0, 2700, { coverage_hp_pct: 89.9 }),
      row(0, 0),
      row(0, 2700, { outside_mean_c: null }),
    ];
    expect(houseFitPoints([...good, ...left])).toHaveLength(13);
    // 13 days: too few, no fit (null), but the count says how many there were.
    expect(fitHouse([...good, ...left], 20, -12)).toEqual({
      heat_loss_w_per_k: null,
      balance_point_c: null,
      design_load_w: null,
      house_fit_days: 13,
      house_fit_r2: null,
      indoor_source: "setting",
    });
    // A 23-hour day: its power is its heat over 23 hours.
    expect(houseFitPoints([row(0, 0, { hours: 23, heat_heating_kwh: 23 })])[0]!.heating_w).toBe(1000);
  });

  it("no fit when the slope is not positive", () => {
    const flat = Array.from({ length: 14 }, (_, i) => row(i - 6, 2000));
    expect(fitHouse(flat, 20, -12).heat_loss_w_per_k).toBeNull();
  });
});
