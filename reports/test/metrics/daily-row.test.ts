/**
 * One daily row from hand-made samples (daily.ts with day-analytics.ts), in UTC, 2026-01-15:
 * - the Shelly every 10 s: 1000 W from 01:00 to 07:00, 20 W otherwise (a 10 s step at P W is P/360 Wh);
 * - the heat pump every 5 minutes from 23:55 the evening before: running from 01:00 to 06:55 (flow 35 /
 *   return 32 °C at 1000 l/h: 3489 W, 290.75 Wh in 5 minutes), else off (30 / 30 °C, 0 l/h); the
 *   heating day counter +0.25 kWh per reading from 01:05 to 07:00 (72 readings: 18 kWh), the device's
 *   electricity +0.05 kWh per reading alike (3.6 kWh); space heating all day; outside 4 and 6 °C in turn.
 */
import { describe, expect, it } from "vitest";
import { computeDailyRow } from "../../src/metrics/daily.ts";
import { handSamples, MIN } from "../helpers/hand-samples.ts";

const H = 60 * MIN;
const DAY = Date.parse("2026-01-15T00:00:00Z");
const range = { day: "2026-01-15", startMs: DAY, endMs: DAY + 24 * H };
const o = { thresholdW: 100, elecIntervalMs: 10_000, hpIntervalMs: 5 * MIN };
const step = (w: number) => w / 360;

function samples(untilMs = DAY + 24 * H) {
  const hp = [];
  for (let k = -1; DAY + k * 5 * MIN < untilMs; k++) {
    const on = k >= 12 && k < 84;
    const n = Math.min(72, Math.max(0, k - 12));
    hp.push({
      t: DAY + k * 5 * MIN,
      compressor_on: on ? 1 : 0,
      flow_c: on ? 35 : 30,
      return_c: on ? 32 : 30,
      flow_lph: on ? 1000 : 0,
      outside_c: k % 2 === 0 ? 4 : 6,
      dhw_active: 0,
      defrosting: 0,
      // The evening before: yesterday's totals; from midnight, today's.
      heat_heating_day_kwh: k < 0 ? 30 : 0.25 * n,
      heat_dhw_day_kwh: k < 0 ? 5 : 0,
      elec_heating_day_kwh: k < 0 ? 8 : 0.05 * n,
      elec_dhw_day_kwh: k < 0 ? 1 : 0,
      compressor_starts: k < 12 ? 100 : 101,
    });
  }
  const s = handSamples({
    shelly: {
      fromMs: DAY - MIN,
      toMs: untilMs - 10_000,
      power: (t) => (t >= DAY + H && t < DAY + 7 * H ? 1000 : 20),
    },
    hp,
    calls: [
      { t: DAY - H, v: 90 },
      { t: DAY + H, v: 10 },
      { t: DAY + 12 * H, v: 42 },
    ],
  });
  // One outlier inside the day, two outside it.
  return { ...s, outliers: [DAY - 1, DAY + 5, DAY + 24 * H] };
}

describe("a daily row from hand-made samples", () => {
  it("electricity, heat, COPs, running, starts, temperatures, coverage", () => {
    const r = computeDailyRow(samples(), range, DAY + 48 * H, o);
    // Running: the 2160 steps ending 01:00:10 .. 07:00:00 at 1000 W (6 kWh); standby: the other
    // 6480 steps at 20 W (0.36 kWh).
    expect(r).toMatchObject({
      day: "2026-01-15",
      start: "2026-01-15T00:00:00.000Z",
      end: "2026-01-16T00:00:00.000Z",
      hours: 24,
      closed: true,
      elec_kwh: 6.36,
      elec_method: "counter",
      heat_kwh: 18,
      heat_heating_kwh: 18,
      heat_dhw_kwh: 0,
      elec_vendor_kwh: 3.6,
      elec_vendor_heating_kwh: 3.6,
      elec_vendor_dhw_kwh: 0,
      // 18 / 6.36 = 2.8302; 18 / 3.6; 18 / 6.
      cop: 2.83,
      cop_vendor: 5,
      running_elec_kwh: 6,
      standby_elec_kwh: 0.36,
      running_hours: 6,
      cop_running: 3,
      starts: 1,
      mean_run_min: 360,
      starts_vendor: 1,
      outside_mean_c: 5,
      // Weighted by thermal power: only the running readings (35 °C) weigh.
      flow_mean_c: 35,
      flow_weighting: "heat",
      flow_heating_mean_c: 35,
      flow_heating_weighting: "heat",
      coverage_elec_pct: 100,
      coverage_hp_pct: 100,
      outliers: 1,
      viessmann_calls: 42,
    });
  });

  it("analytics: all space heating, no defrost, no export, electricity by hour, % of Carnot", () => {
    const r = computeDailyRow(samples(), range, DAY + 48 * H, o);
    expect(r).toMatchObject({
      elec_heating_kwh: 6,
      elec_dhw_kwh: 0,
      cop_heating: 3,
      cop_dhw: null,
      cop_heating_vendor: 5,
      cop_dhw_vendor: null,
      defrost_count: 0,
      defrost_min: 0,
      defrost_heat_kwh: 0,
      export_kwh: null,
    });
    // 00: 360 steps at 20 W; 01: the step from 00:59:50 at 20 W, 359 at 1000 W; 02-06: 1000 W;
    // 07: the step from 06:59:50 at 1000 W, 359 at 20 W; 08-23: 20 W.
    const kwh = (wh: number) => Math.round(wh * 10) / 10_000;
    expect(r.elec_hourly_kwh).toEqual([
      kwh(360 * step(20)),
      kwh(step(20) + 359 * step(1000)),
      ...Array<number>(5).fill(1),
      kwh(step(1000) + 359 * step(20)),
      ...Array<number>(16).fill(kwh(360 * step(20))),
    ]);
    // Carnot: the 71 intervals 01:00-06:55 with both ends running, 290.75 Wh of heat over 83.333 Wh
    // at flow 35 °C (ideal COP 310.15 K / 38 K); 00:55-01:00 ran (the 01:00 reading is 1000 W) but for
    // no time (heat 0, 1.6667 Wh at 20 W), and 06:55-07:00 ran its 5 minutes with one running end
    // (290.75 Wh over 83.333 Wh); both at a mean flow of 32.5 °C (307.65 K / 35.5 K).
    const heat = 72 * 290.75;
    const ideal =
      ((71 * (300_000 * 1000)) / 3_600_000) * (310.15 / 38) + (300 / 3600) * (20 + 1000) * (307.65 / 35.5);
    expect(r.carnot_heat_kwh).toBe(Math.round(heat * 10) / 10_000);
    expect(r.carnot_ideal_heat_kwh).toBeCloseTo(ideal / 1000, 4);
    expect(r.carnot_pct).toBe(Math.round((10_000 * heat) / ideal) / 100);
  });

  it("a day in progress: not closed, coverage of the time so far", () => {
    // Now 12:00, data up to then.
    const r = computeDailyRow(samples(DAY + 12 * H), range, DAY + 12 * H, o);
    expect(r).toMatchObject({
      closed: false,
      hours: 24,
      coverage_elec_pct: 100,
      coverage_hp_pct: 100,
      heat_kwh: 18,
    });
  });

  it("no data: every figure unknown, coverage 0", () => {
    const r = computeDailyRow(handSamples({}), range, DAY + 48 * H, o);
    expect(r).toMatchObject({
      elec_kwh: null,
      heat_kwh: null,
      cop: null,
      running_hours: null,
      starts: null,
      mean_run_min: null,
      outside_mean_c: null,
      flow_mean_c: null,
      flow_weighting: null,
      coverage_elec_pct: 0,
      coverage_hp_pct: 0,
      outliers: 0,
      viessmann_calls: null,
      carnot_pct: null,
      defrost_count: null,
    });
  });
});
