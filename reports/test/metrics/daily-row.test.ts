/**
 * One daily row from hand-made samples (daily.ts with day-analytics.ts), in UTC, 2026-01-15:
 * - the Shelly every 10 s: 1000 W from 01:00 to 07:00, 20 W otherwise (a 10 s step at P W is P/360 Wh);
 * - the heat pump every 5 minutes from 23:55 the evening before: running from 01:00 to 06:55 (flow 35 /
 *   return 32 °C at 1000 l/h: 3489 W, 290.75 Wh in 5 minutes), else off (30 / 30 °C, 0 l/h); the
 *   heating day counter +0.25 kWh per reading from 01:05 to 07:00 (72 readings: 18 kWh), the device's
 *   electricity +0.05 kWh per reading alike (3.6 kWh); space heating all day; outside 4 and 6 °C in turn.
 */
import { describe, expect, it } from "vitest";
import { computeDailyRow, flowMean, roomMean } from "../../src/metrics/daily.ts";
import { handSamples, MIN } from "../helpers/hand-samples.ts";

const H = 60 * MIN;
const DAY = Date.parse("2026-01-15T00:00:00Z");
const range = { day: "2026-01-15", startMs: DAY, endMs: DAY + 24 * H };
const o = { thresholdW: 100, elecIntervalMs: 10_000, hpIntervalMs: 5 * MIN };
const step = (w: number) => w / 360;

/** `power`: the Shelly's watts at t (null: no Shelly data at all). */
function samples(
  untilMs = DAY + 24 * H,
  power: ((t: number) => number) | null = (t) => (t >= DAY + H && t < DAY + 7 * H ? 1000 : 20),
) {
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
    ...(power && { shelly: { fromMs: DAY - MIN, toMs: untilMs - 10_000, power } }),
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
      flow_heating_mean_c: null,
      flow_heating_weighting: null,
      coverage_elec_pct: 0,
      coverage_hp_pct: 0,
      outliers: 0,
      viessmann_calls: null,
      carnot_pct: null,
      defrost_count: null,
    });
  });

  it("a day that ends at now is closed", () => {
    expect(computeDailyRow(samples(), range, DAY + 24 * H, o).closed).toBe(true);
    expect(computeDailyRow(samples(), range, DAY + 24 * H - 1, o).closed).toBe(false);
  });

  it("coverage by the day's own spacing of readings, not the configured one", () => {
    // Configured 5 s and 1 minute; the day's readings are 10 s and 5 minutes apart: complete.
    const r = computeDailyRow(samples(), range, DAY + 48 * H, {
      ...o,
      elecIntervalMs: 5_000,
      hpIntervalMs: MIN,
    });
    expect(r).toMatchObject({ coverage_elec_pct: 100, coverage_hp_pct: 100 });
  });

  it("a closed day whose data stops at noon: half covered", () => {
    // Shelly: the 4320 readings 00:00:00 .. 11:59:50 of 8640; heat pump: the 144 readings 00:00 .. 11:55
    // of 288 (the one at 23:55 the evening before not counted).
    const r = computeDailyRow(samples(DAY + 12 * H), range, DAY + 48 * H, o);
    expect(r).toMatchObject({ closed: true, coverage_elec_pct: 50, coverage_hp_pct: 50 });
  });

  it("heat pump readings without meter data: no electricity, no COP, no boundary", () => {
    const r = computeDailyRow(samples(DAY + 24 * H, null), range, DAY + 48 * H, o);
    expect(r).toMatchObject({
      heat_kwh: 18,
      elec_kwh: null,
      cop: null,
      cop_running: null,
      mean_run_min: null,
      boundary: null,
      cop_system: null,
    });
  });

  it("two runs: the mean run is the running time over the starts", () => {
    // 1000 W from 01:00 to 04:00 and from 05:00 to 07:00: 5 h of running, 2 starts, 300 / 2 = 150 min.
    const twoRuns = (t: number) =>
      (t >= DAY + H && t < DAY + 4 * H) || (t >= DAY + 5 * H && t < DAY + 7 * H) ? 1000 : 20;
    const r = computeDailyRow(samples(DAY + 24 * H, twoRuns), range, DAY + 48 * H, o);
    expect(r).toMatchObject({ running_hours: 5, starts: 2, mean_run_min: 150 });
  });

  it("the electricity by the clock hours of the zone given", () => {
    // Europe/Berlin is UTC+1 in January: the UTC day's hours 00..22 are its 01..23, and 23 its 00.
    const r = computeDailyRow(samples(), range, DAY + 48 * H, { ...o, tz: "Europe/Berlin" });
    const kwh = (wh: number) => Math.round(wh * 10) / 10_000;
    expect(r.elec_hourly_kwh).toEqual([
      kwh(360 * step(20)),
      kwh(360 * step(20)),
      kwh(step(20) + 359 * step(1000)),
      ...Array<number>(5).fill(1),
      kwh(step(1000) + 359 * step(20)),
      ...Array<number>(15).fill(kwh(360 * step(20))),
    ]);
  });
});

describe("a day with cooling and a pumps meter", () => {
  // The Shelly at 1000 W all day (24 kWh); the heat pump every 5 minutes, cooling (cooling_active = 1)
  // from the reading at 12:00 to the one at 14:00; the heating counter +0.25 kWh per interval closed,
  // none in the 24 cooling intervals: 0.25 * (288 - 24) = 66 kWh; the pumps' meter at 50 W (1.2 kWh).
  it("the cooling intervals' electricity (2 h at 1000 W) out of the COP and the system COP", () => {
    const hp = [];
    let heat = 0;
    for (let k = -1; k < 288; k++) {
      if (k >= 0 && !(k >= 145 && k <= 168)) heat += 0.25;
      hp.push({
        t: DAY + k * 5 * MIN,
        compressor_on: 1,
        cooling_active: k >= 144 && k < 168 ? 1 : 0,
        heat_heating_day_kwh: k < 0 ? 30 : heat,
      });
    }
    const all = { fromMs: DAY - MIN, toMs: DAY + 24 * H - 10_000 };
    const s = handSamples({
      shelly: { ...all, power: () => 1000 },
      hp,
      meters: [{ role: "pumps", ...all, power: () => 50 }],
    });
    expect(computeDailyRow(s, range, DAY + 48 * H, o)).toMatchObject({
      elec_kwh: 24,
      heat_kwh: 66,
      cooling_elec_kwh: 2,
      // 66 / (24 - 2) = 3; 66 / (24 - 2 + 1.2) = 2.84483.
      cop: 3,
      boundary: "H4",
      pumps_elec_kwh: 1.2,
      cop_system: 2.845,
    });
  });
});

describe("the flow temperature's weights (flowMean)", () => {
  const end = DAY + 24 * H;
  const at = (min: number, fields: Record<string, number>) => ({ t: DAY + min * MIN, ...fields });

  it("by thermal power, of the day's readings only (not the one before, nor the one at its end)", () => {
    // 1000 l/h and 3 K at 00:00 (35 °C) and 00:05 (39 °C), equal weights: 37 °C. The reading at 23:55
    // the evening before (50 °C, 5 K) and the one at midnight that ends the day (60 °C, 10 K) weigh not.
    const s = handSamples({
      hp: [
        at(-5, { flow_lph: 1000, flow_c: 50, return_c: 45 }),
        at(0, { flow_lph: 1000, flow_c: 35, return_c: 32 }),
        at(5, { flow_lph: 1000, flow_c: 39, return_c: 36 }),
        at(24 * 60, { flow_lph: 1000, flow_c: 60, return_c: 50 }),
      ],
    });
    expect(flowMean(s, DAY, end)).toEqual({ mean: 37, weighting: "heat" });
  });

  it("by the heat counters' steps where there is no flow rate: rollover, standstill and a missing reading", () => {
    // 23:55 the evening before 30 kWh (50 °C, before the day); 00:00 rolled over to 0.5 (step 0.5, 40 °C);
    // 00:05 still 0.5 (step 0, 60 °C); 00:10 no counter (70 °C, no weight); 00:15 1.5 (step 1 from the
    // 0.5 before the missing reading, 30 °C). (0.5 * 40 + 1 * 30) / 1.5 = 33.33 °C.
    const s = handSamples({
      hp: [
        at(-5, { heat_heating_day_kwh: 30, flow_c: 50 }),
        at(0, { heat_heating_day_kwh: 0.5, flow_c: 40 }),
        at(5, { heat_heating_day_kwh: 0.5, flow_c: 60 }),
        at(10, { flow_c: 70 }),
        at(15, { heat_heating_day_kwh: 1.5, flow_c: 30 }),
      ],
    });
    const r = flowMean(s, DAY, end);
    expect(r.weighting).toBe("heat");
    expect(r.mean).toBeCloseTo(100 / 3, 10);
  });

  it("by running time where there is no heat figure at all", () => {
    // Compressor on at 00:00 (35 °C), off at 00:05 (30 °C) and 00:10 (28 °C): 35 °C.
    const s = handSamples({
      hp: [
        at(0, { compressor_on: 1, flow_c: 35 }),
        at(5, { compressor_on: 0, flow_c: 30 }),
        at(10, { compressor_on: 0, flow_c: 28 }),
      ],
    });
    expect(flowMean(s, DAY, end)).toEqual({ mean: 35, weighting: "running" });
  });
});

describe("the day's room temperature (roomMean)", () => {
  const end = DAY + 24 * H;
  const at = (min: number, fields: Record<string, number>) => ({ t: DAY + min * MIN, ...fields });

  it("weighted by heat, hot water readings included (a room is warm whatever the heat pump heats)", () => {
    // Equal thermal power (1000 l/h, 3 K) at 00:00 (heating, room 20 °C) and 00:05 (hot water, 21 °C).
    const s = handSamples({
      hp: [
        at(0, { flow_lph: 1000, flow_c: 35, return_c: 32, dhw_active: 0, room_c: 20 }),
        at(5, { flow_lph: 1000, flow_c: 50, return_c: 47, dhw_active: 1, room_c: 21 }),
      ],
    });
    expect(roomMean(s, DAY, end)).toBe(20.5);
  });

  it("without any heat figure the plain mean of the readings, not weighted by running time", () => {
    // Room 21 °C while running, 20 and 19 °C while not: (21 + 20 + 19) / 3 = 20.
    const s = handSamples({
      hp: [
        at(0, { compressor_on: 1, room_c: 21 }),
        at(5, { compressor_on: 0, room_c: 20 }),
        at(10, { compressor_on: 0, room_c: 19 }),
      ],
    });
    expect(roomMean(s, DAY, end)).toBe(20);
  });
});
