/**
 * Cooling (cooling.ts) on a hand-made summer day, UTC, 2026-07-15, outside 25 °C all day:
 * - the heat pump every 5 minutes from 23:55 the evening before: hot water from 06:00 to 07:00
 *   (dhw_active 1, running, flow 50 / return 45 °C at 1000 l/h); cooling from 12:00 to 14:00 (the
 *   24 readings 12:00 .. 13:55: running, flow 18 / return 23 °C at 1200 l/h, 1200 * 1.163 * 5 =
 *   6978 W of cooling, compressor at 40 rps); off otherwise (25 / 25 °C, 0 l/h). The hot-water day
 *   counter 3 the evening before, 0 at midnight, +0.5 kWh at each reading 06:05 .. 07:00: 6 kWh.
 * - the Shelly every 10 s: 1500 W from 06:00 to 07:00, 2000 W from 12:00 to 14:00, 20 W otherwise;
 *   a 10 s step at P W is P / 360 Wh, counted into the reading that ends it at the power before it.
 *   The day: 360 steps at 1500 W, 720 at 2000 W, 7560 at 20 W = 2,131,200 / 360 = 5920 Wh.
 *   The cooling span 12:00-14:00: the step into 12:00 at 20 W and 719 at 2000 W = 3994.5 Wh, its
 *   running part 719 * 2000 / 360 = 3994.44 Wh.
 */
import { describe, expect, it } from "vitest";
import { computeDailyRow } from "../../src/metrics/daily.ts";
import {
  coolingAt,
  COOLING_DEAD_BAND_K,
  coolingIntervals,
  coolingSpans,
  coolingStats,
  withoutSpans,
} from "../../src/metrics/cooling.ts";
import { carnotSums } from "../../src/metrics/carnot.ts";
import { computeBuckets } from "../../src/metrics/day-buckets.ts";
import { houseFitPoints } from "../../src/rollup/house-fit.ts";
import { SampleBuilder, type Samples } from "../../src/store/samples.ts";
import type { DailyRow } from "../../src/types.ts";
import { handSamples, MIN } from "../helpers/hand-samples.ts";

const H = 60 * MIN;
const DAY = Date.parse("2026-07-15T00:00:00Z");
const range = { day: "2026-07-15", startMs: DAY, endMs: DAY + 24 * H };
const o = { thresholdW: 100, elecIntervalMs: 10_000, hpIntervalMs: 5 * MIN };
const at = (h: number, m = 0) => DAY + h * H + m * MIN;

/** `reported`: whether the device reports cooling_active (else the cooling is inferred). */
function summerDay(reported = true): Samples {
  const hp = [];
  for (let k = -1; k < 288; k++) {
    const t = DAY + k * 5 * MIN;
    const dhw = t >= at(6) && t < at(7);
    const cooling = t >= at(12) && t < at(14);
    hp.push({
      t,
      outside_c: 25,
      flow_c: dhw ? 50 : cooling ? 18 : 25,
      return_c: dhw ? 45 : cooling ? 23 : 25,
      flow_lph: dhw ? 1000 : cooling ? 1200 : 0,
      compressor_on: dhw || cooling ? 1 : 0,
      dhw_active: dhw ? 1 : 0,
      defrosting: 0,
      ...(reported ? { cooling_active: cooling ? 1 : 0 } : {}),
      ...(cooling ? { compressor_speed_rps: 40 } : {}),
      heat_heating_day_kwh: 0,
      heat_dhw_day_kwh: k < 0 ? 3 : 0.5 * Math.min(12, Math.max(0, k - 72)),
    });
  }
  return handSamples({
    shelly: {
      fromMs: DAY - MIN,
      toMs: DAY + 24 * H - 10_000,
      power: (t) => (t >= at(6) && t < at(7) ? 1500 : t >= at(12) && t < at(14) ? 2000 : 20),
    },
    hp,
  });
}

describe("cooling", () => {
  it("its energy, electricity and EER; the heating COPs leave it out, elec_kwh keeps it", () => {
    const r = computeDailyRow(summerDay(), range, DAY + 48 * H, o);
    expect(r).toMatchObject({
      // 24 intervals of 5 minutes at 6978 W: 13,956 Wh.
      cooling_kwh: 13.956,
      cooling_elec_kwh: 3.9945,
      cooling_running_elec_kwh: 3.9944,
      // 13.956 / 3.9945 = 3.4938.
      eer: 3.494,
      // What the meter measured.
      elec_kwh: 5.92,
      heat_kwh: 6,
      // 6 / (5.92 - 3.9945) = 3.1161 (6 / 5.92 = 1.01 with the cooling in it).
      cop: 3.116,
      // Running 5500 Wh less cooling's 3994.44: 1505.56 Wh; 6 / 1.50556 = 3.985.
      running_elec_kwh: 5.5,
      cop_running: 3.985,
      // Hot water: 359 running steps at 1500 W from 06:00:10 (the step into 06:00 is standby).
      elec_dhw_kwh: 1.4958,
      // Space heating: the two steps after a run ends (into 07:00 at 1500 W, into 14:00 at 2000 W),
      // 3500 / 360 Wh; the cooling span's 3994.44 Wh are no heating.
      elec_heating_kwh: 0.0097,
    });
  });

  it("inferred where the device does not report cooling_active: the same day, the same figures", () => {
    const r = computeDailyRow(summerDay(false), range, DAY + 48 * H, o);
    expect(r).toMatchObject({ cooling_kwh: 13.956, cooling_elec_kwh: 3.9945, eer: 3.494, cop: 3.116 });
  });

  it("an interval a span starts inside counts for its share of time, as a day's first one at midnight", () => {
    const io = { thresholdW: 100, maxElecGapMs: 30_000, maxHpGapMs: 15 * MIN };
    // From 12:02:30 to 13:00: half of the interval 12:00-12:05, then 11 whole ones: 11.5 * 6978 / 12.
    const c = coolingStats(summerDay(), at(12, 2.5), at(13), io);
    expect(c.coolingWh).toBeCloseTo((11.5 * 6978) / 12, 6);
  });

  it("a bucket two intervals touch is cooling when either cools", () => {
    const b = new SampleBuilder();
    b.add("heatpump", {}, { cooling_active: 1, flow_c: 18, return_c: 23 }, DAY);
    b.add("heatpump", {}, { cooling_active: 0, flow_c: 25, return_c: 25 }, DAY + 150_000);
    b.add("heatpump", {}, { cooling_active: 0, flow_c: 25, return_c: 25 }, DAY + 5 * MIN);
    b.add("heatpump", {}, { cooling_active: 0, flow_c: 25, return_c: 25 }, DAY + 10 * MIN);
    // 0-2.5 min cooling, 2.5-5 min not: the bucket 0-5 min is marked; 5-10 min is not; then no data.
    expect(computeBuckets(b.finish(), range, o).values.cooling.slice(0, 3)).toEqual([1, 0, null]);
  });

  it("a day without cooling has none: null, never 0", () => {
    const r = computeDailyRow(summerDay(), { ...range, startMs: at(0), endMs: at(11) }, DAY + 48 * H, o);
    expect(r).toMatchObject({
      cooling_kwh: null,
      cooling_elec_kwh: null,
      cooling_running_elec_kwh: null,
      eer: null,
    });
  });

  it("% of Carnot leaves cooling intervals out", () => {
    // 12:05 .. 14:00 closes the 24 cooling intervals; at 18 °C flow and 25 °C outside the ideal COP
    // would be 293.15 / (20 - 19) and count.
    const c = carnotSums(summerDay(), at(12, 5), at(14) + 1, {
      thresholdW: 100,
      maxElecGapMs: 30_000,
      maxHpGapMs: 15 * MIN,
    });
    expect(c.intervals).toBe(0);
  });

  it("buckets: the cooling flag, flow rate, flow - return while running, compressor speed", () => {
    const b = computeBuckets(summerDay(), range, o);
    const v = b.values;
    // Bucket 143 is 11:55-12:00, 144 12:00-12:05, 167 13:55-14:00, 168 14:00-14:05.
    expect(v.cooling.slice(143, 145)).toEqual([0, 1]);
    expect(v.cooling.slice(167, 169)).toEqual([1, 0]);
    expect(v.delta_t_k.slice(143, 145)).toEqual([null, -5]);
    // Hot water at 06:00: 50 - 45.
    expect(v.delta_t_k[72]).toBe(5);
    expect(v.flow_lph.slice(143, 145)).toEqual([0, 1200]);
    expect(v.compressor_speed_rps.slice(143, 145)).toEqual([null, 40]);
    expect(v.backup_w[144]).toBeNull();
    // A cooling interval delivers no heat to the house.
    expect(v.heat_w[144]).toBe(0);
  });

  it("a day that cooled leaves the house fit", () => {
    const day = { closed: true, hours: 24, coverage_hp_pct: 100, outside_mean_c: 5, heat_heating_kwh: 20 };
    const rows = [
      day,
      { ...day, cooling_kwh: 1, cooling_elec_kwh: 0.3 },
      { ...day, cooling_kwh: null, cooling_elec_kwh: 0.1 },
    ];
    expect(houseFitPoints(rows as DailyRow[])).toHaveLength(1);
  });
});

describe("which interval is cooling", () => {
  /** One heat pump reading with these fields. */
  const reading = (fields: Record<string, number>) => {
    const b = new SampleBuilder();
    b.add("heatpump", {}, fields, 0);
    return b.finish().hp.f;
  };
  const running = { compressor_on: 1, flow_c: 20, dhw_active: 0, defrosting: 0 };

  it("the device's cooling_active, 0 trusted even with return above flow", () => {
    expect(coolingAt(reading({ cooling_active: 1 }), 0)).toBe(true);
    expect(coolingAt(reading({ ...running, return_c: 25, cooling_active: 0 }), 0)).toBe(false);
  });

  it("without it: the compressor running and return above flow by more than the dead band", () => {
    expect(COOLING_DEAD_BAND_K).toBe(0.5);
    expect(coolingAt(reading({ ...running, return_c: 20.5 }), 0)).toBe(false);
    expect(coolingAt(reading({ ...running, return_c: 20.51 }), 0)).toBe(true);
    expect(coolingAt(reading({ ...running, compressor_on: 0, return_c: 25 }), 0)).toBe(false);
    expect(coolingAt(reading({ ...running, compressor_on: Number.NaN, return_c: 25 }), 0)).toBe(false);
  });

  it("never while defrosting or making hot water", () => {
    expect(coolingAt(reading({ ...running, return_c: 25, defrosting: 1 }), 0)).toBe(false);
    expect(coolingAt(reading({ ...running, return_c: 25, dhw_active: 1, cooling_active: 1 }), 0)).toBe(false);
  });

  it("spans cut out of others", () => {
    const runs = [{ fromMs: 0, toMs: 100, dhw: false }];
    expect(
      withoutSpans(runs, [
        { fromMs: -5, toMs: 10 },
        { fromMs: 50, toMs: 60 },
        { fromMs: 90, toMs: 120 },
      ]),
    ).toEqual([
      { fromMs: 10, toMs: 50, dhw: false },
      { fromMs: 60, toMs: 90, dhw: false },
    ]);
    expect(withoutSpans(runs, [])).toEqual(runs);
  });

  it("spans cut out of others: a cut from a run's start or to its end leaves no empty piece", () => {
    const runs = [{ fromMs: 0, toMs: 100, dhw: true }];
    expect(withoutSpans(runs, [{ fromMs: 0, toMs: 10 }])).toEqual([{ fromMs: 10, toMs: 100, dhw: true }]);
    expect(withoutSpans(runs, [{ fromMs: 90, toMs: 100 }])).toEqual([{ fromMs: 0, toMs: 90, dhw: true }]);
    expect(withoutSpans(runs, [{ fromMs: 0, toMs: 100 }])).toEqual([]);
    // Nothing to cut: the runs themselves, not copies.
    expect(withoutSpans(runs, [])[0]).toBe(runs[0]);
  });
});

/**
 * A few heat pump readings 5 minutes apart from DAY (reading k at DAY + k * 5 min), and where given
 * a Shelly every 10 s from a minute before the first reading to a minute after the last.
 */
function few(readings: Record<string, number>[], shellyW?: (t: number) => number): Samples {
  const hp = readings.map((f, k) => ({ t: at(0, 5 * k), ...f }));
  const shelly = shellyW && { fromMs: at(0, -1), toMs: at(0, 5 * readings.length - 4), power: shellyW };
  return handSamples({ hp, ...(shelly ? { shelly } : {}) });
}

/** Cooling, running: 18 °C flow, 23 °C return at 1200 l/h: 1200 * 1.163 * 5 = 6978 W taken out. */
const COOL = { cooling_active: 1, compressor_on: 1, flow_c: 18, return_c: 23, flow_lph: 1200 };
/** 6978 W for a whole 5-minute interval: 6978 / 12 = 581.5 Wh. */
const INTERVAL_WH = 581.5;
const io = { thresholdW: 100, maxElecGapMs: 30_000, maxHpGapMs: 15 * MIN };

describe("cooling intervals and spans", () => {
  // Readings at 0, 5, 10, 15, 30 and 35 min, all cooling: 15 -> 30 is a gap of 15 minutes.
  const b = new SampleBuilder();
  for (const m of [0, 5, 10, 15, 30, 35]) b.add("heatpump", {}, { cooling_active: 1 }, at(0, m));
  const s = b.finish();

  it("the intervals by their closing reading; a gap of exactly maxHpGapMs still counts, longer ones not", () => {
    // From the first reading on, past the last one: every interval, none after the last reading.
    expect(coolingIntervals(s, at(0), at(1), 15 * MIN)).toEqual([1, 2, 3, 4, 5]);
    // Starting before the first reading alike.
    expect(coolingIntervals(s, at(0, -10), at(1), 15 * MIN)).toEqual([1, 2, 3, 4, 5]);
    // The gap 15 -> 30 (closing reading 4) is one ms longer than allowed.
    expect(coolingIntervals(s, at(0), at(1), 15 * MIN - 1)).toEqual([1, 2, 3, 5]);
  });

  it("an interval ending at the start or starting at the stop is outside", () => {
    // [5 min, 10 min): only 5-10 (closing reading 2); 0-5 ends at the start, 10-15 starts at the stop.
    expect(coolingIntervals(s, at(0, 5), at(0, 10), 15 * MIN)).toEqual([2]);
  });

  it("spans: neighbours merged, a non-cooling interval between splits, cut at start and stop", () => {
    // Cooling 0-5, 5-10 and 15-20; 10-15 not (its first reading says 0).
    const c = few([COOL, COOL, { ...COOL, cooling_active: 0 }, COOL, COOL]);
    expect(coolingSpans(c, at(0), at(1), 15 * MIN)).toEqual([
      { fromMs: at(0), toMs: at(0, 10) },
      { fromMs: at(0, 15), toMs: at(0, 20) },
    ]);
    expect(coolingSpans(c, at(0, 2.5), at(0, 17.5), 15 * MIN)).toEqual([
      { fromMs: at(0, 2.5), toMs: at(0, 10) },
      { fromMs: at(0, 15), toMs: at(0, 17.5) },
    ]);
  });
});

describe("cooling energy of an interval", () => {
  it("without power readings: the whole interval at the mean of the ends; no electricity, null not 0", () => {
    const c = coolingStats(few([COOL, COOL]), at(0), at(0, 5), io);
    // 6978 W * 5 min = 581.5 Wh.
    expect(c).toMatchObject({ elecWh: null, runningWh: null, eer: null });
    expect(c.coolingWh).toBeCloseTo(INTERVAL_WH, 9);
  });

  it("for the time the Shelly shows the compressor ran", () => {
    // 2000 W for the first 150 s, 20 W after: 15 steps of 10 s at 2000 W run; 6978 * 150 / 3600.
    const c = coolingStats(
      few([COOL, COOL], (t) => (t >= at(0) && t < at(0, 2.5) ? 2000 : 20)),
      at(0),
      at(0, 5),
      io,
    );
    expect(c.coolingWh).toBeCloseTo(290.75, 9);
  });

  it("a reading taken while defrosting is left out of the mean", () => {
    // The closing reading defrosts (return 2 K above flow, 2791.2 W): the interval is 6978 W alone.
    const c = coolingStats(few([COOL, { ...COOL, return_c: 20, defrosting: 1 }]), at(0), at(0, 5), io);
    expect(c.coolingWh).toBeCloseTo(INTERVAL_WH, 9);
  });

  it("without compressor_on: an end ran where it took heat out (above 0 W, not at 0)", () => {
    const unknown = { cooling_active: 1, flow_c: 18, return_c: 23, flow_lph: 1200 };
    // The closing reading: no flow, 0 W: not running. The first alone: 581.5 Wh.
    const c = coolingStats(few([unknown, { ...unknown, flow_lph: 0 }]), at(0), at(0, 5), io);
    expect(c.coolingWh).toBeCloseTo(INTERVAL_WH, 9);
  });

  it("cooling mode standing by: 0; a run neither reading saw: null", () => {
    const standby = { ...COOL, compressor_on: 0 };
    const readings = [standby, standby];
    // No power readings: nothing known ran, 0.
    expect(coolingStats(few(readings), at(0), at(0, 5), io).coolingWh).toBe(0);
    // The Shelly at 20 W: it did not run, 0.
    expect(
      coolingStats(
        few(readings, () => 20),
        at(0),
        at(0, 5),
        io,
      ).coolingWh,
    ).toBe(0);
    // The Shelly at 2000 W: it ran, but no reading saw it.
    expect(
      coolingStats(
        few(readings, () => 2000),
        at(0),
        at(0, 5),
        io,
      ).coolingWh,
    ).toBeNull();
  });

  it("an interval without a flow rate makes the cooling null, whatever follows", () => {
    // 0-5 has no flow rate at its first reading; 5-10 would be 581.5 Wh.
    const s = few([{ ...COOL, flow_lph: Number.NaN }, COOL, COOL]);
    expect(coolingStats(s, at(0), at(0, 5), io).coolingWh).toBeNull();
    expect(coolingStats(s, at(0), at(0, 10), io).coolingWh).toBeNull();
    expect(coolingStats(s, at(0, 5), at(0, 10), io).coolingWh).toBeCloseTo(INTERVAL_WH, 9);
  });

  it("the electricity of two cooling spans added up, and the EER of both", () => {
    // Cooling 0-5 and 10-15, 2000 W throughout: each span 30 steps of 10 s at 2000 W = 30 * 2000 / 360
    // = 166.667 Wh, all running; 333.333 Wh for both. Cooling 2 * 581.5 = 1163 Wh; 1163 / 333.333 = 3.489.
    const s = few([COOL, { ...COOL, cooling_active: 0 }, COOL, COOL], () => 2000);
    const c = coolingStats(s, at(0), at(0, 20), io);
    expect(c.coolingWh).toBeCloseTo(1163, 9);
    expect(c.elecWh).toBeCloseTo(1000 / 3, 6);
    expect(c.runningWh).toBeCloseTo(1000 / 3, 6);
    expect(c.eer).toBeCloseTo(3.489, 3);
  });
});
