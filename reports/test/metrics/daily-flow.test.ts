import { describe, expect, it } from "vitest";
import { computeDailyRow, flowMean } from "../../src/metrics/daily.ts";
import { rollup } from "../../src/rollup/rollup.ts";
import { SampleBuilder } from "../../src/store/samples.ts";
import type { DailyRow } from "../../src/types.ts";

const MIN5 = 300_000;
const DAY = Date.parse("2026-01-15T00:00:00Z");

describe("space-heating flow temperature (the measured heating curve)", () => {
  it("leaves hot-water and defrost samples out, weighted by thermal power", () => {
    const b = new SampleBuilder();
    const hp = (k: number, f: Record<string, number>) => b.add("heatpump", {}, f, DAY + k * MIN5);
    // Space heating: 34 °C at 1000 l/h and 36 °C at 500 l/h, both 5 K spread (5815 W and 2907.5 W).
    hp(1, { flow_c: 34, return_c: 29, flow_lph: 1000, dhw_active: 0, defrosting: 0, compressor_on: 1 });
    hp(2, { flow_c: 36, return_c: 31, flow_lph: 500, dhw_active: 0, defrosting: 0, compressor_on: 1 });
    // Hot water: 50 °C at 1000 l/h, 5 K (5815 W).
    hp(3, { flow_c: 50, return_c: 45, flow_lph: 1000, dhw_active: 1, defrosting: 0, compressor_on: 1 });
    // Defrosting with a positive spread for once (so only the flag can exclude it): 20 °C, 5815 W.
    hp(4, { flow_c: 20, return_c: 15, flow_lph: 1000, dhw_active: 0, defrosting: 1, compressor_on: 1 });
    const s = b.finish();
    const end = DAY + 86_400_000;
    // Heating: (34 * 2 + 36 * 1) / 3.
    expect(flowMean(s, DAY, end, true)).toEqual({ mean: (34 * 2 + 36) / 3, weighting: "heat" });
    // All samples: (34 * 2 + 36 + 50 * 2 + 20 * 2) / 7.
    expect(flowMean(s, DAY, end).mean).toBeCloseTo((34 * 2 + 36 + 100 + 40) / 7, 9);
    const row = computeDailyRow(s, { day: "2026-01-15", startMs: DAY, endMs: end }, end + 1, {
      thresholdW: 100,
      elecIntervalMs: 10_000,
      hpIntervalMs: MIN5,
    });
    expect(row.flow_heating_mean_c).toBe(34.67);
    expect(row.flow_heating_weighting).toBe("heat");
    expect(row.flow_mean_c).toBe(34.86);
  });

  it("without a flow rate: weighted by the heating counter's steps; a hot-water cycle weighs nothing", () => {
    const b = new SampleBuilder();
    const hp = (k: number, f: Record<string, number>) => b.add("heatpump", {}, f, DAY + k * MIN5);
    hp(0, { flow_c: 30, heat_heating_day_kwh: 5.0, heat_dhw_day_kwh: 2.0, dhw_active: 0 });
    hp(1, { flow_c: 35, heat_heating_day_kwh: 5.2, heat_dhw_day_kwh: 2.0, dhw_active: 0 });
    hp(2, { flow_c: 50, heat_heating_day_kwh: 5.2, heat_dhw_day_kwh: 2.3, dhw_active: 1 });
    hp(3, { flow_c: 33, heat_heating_day_kwh: 5.3, heat_dhw_day_kwh: 2.3, dhw_active: 0 });
    const s = b.finish();
    const end = DAY + 86_400_000;
    // Heating: (35 * 0.2 + 33 * 0.1) / 0.3; all: (35 * 0.2 + 50 * 0.3 + 33 * 0.1) / 0.6.
    expect(flowMean(s, DAY, end, true).mean).toBeCloseTo((35 * 0.2 + 33 * 0.1) / 0.3, 9);
    expect(flowMean(s, DAY, end).mean).toBeCloseTo((35 * 0.2 + 50 * 0.3 + 33 * 0.1) / 0.6, 9);
  });

  it("rolls up weighted by each day's space-heating heat", () => {
    const row = (heating: number | null, flow: number | null, dhw = 5) =>
      ({
        hours: 24,
        heat_kwh: heating === null ? dhw : heating + dhw,
        heat_heating_kwh: heating,
        flow_mean_c: flow,
        flow_heating_mean_c: flow,
        coverage_elec_pct: 100,
        coverage_hp_pct: 100,
      }) as unknown as DailyRow;
    // 30 kWh at 32 °C and 10 kWh at 28 °C: (32 * 30 + 28 * 10) / 40 = 31; a day without heating adds nothing.
    expect(rollup([row(30, 32), row(10, 28), row(0, 45)]).flow_heating_mean_c).toBe(31);
    expect(rollup([row(null, null)]).flow_heating_mean_c).toBeNull();
  });
});
