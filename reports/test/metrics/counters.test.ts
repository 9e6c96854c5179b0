import { describe, expect, it } from "vitest";
import { counterRules, judgeCounter, judgeSamples } from "../../src/metrics/counters.ts";
import { SampleBuilder } from "../../src/store/samples.ts";

// The Shelly's energy counter (Wh) at the default MAX_POWER_W of 15 kW: in 10 s it may rise by
// 15000 W * 10 s / 3600 = 41.67 Wh, plus 1 Wh of slack.
// (Built inside each test, never at import: mutation testing sees which test reaches which code.)
const rule = () => counterRules(15_000).energyWh;
const every10s = (n: number) => Array.from({ length: n }, (_, i) => i * 10_000);
const judge = (v: number[]) => judgeCounter(every10s(v.length), v, rule());

describe("counters judged like a meter reader would", () => {
  it("a glitch to 0 that returns to the earlier level is an outlier; the step is taken from before it", () => {
    const j = judge([1000, 1001, 0, 1003]);
    expect(j.outliers).toEqual([2]);
    expect(j.cum).toEqual([0, 1, Number.NaN, 3]);
  });

  it("a drop of 100 Wh that returns, and two glitches in a row, are outliers", () => {
    expect(judge([1000, 1001, 901, 1003]).outliers).toEqual([2]);
    const two = judge([1000, 1001, 0, 0, 1004]);
    expect(two.outliers).toEqual([2, 3]);
    expect(two.cum[4]).toBe(4);
  });

  it("a spike up that returns is an outlier", () => {
    const j = judge([1000, 1001, 9999, 1003]);
    expect(j.outliers).toEqual([2]);
    expect(j.cum).toEqual([0, 1, Number.NaN, 3]);
  });

  it("a real reset (the readings go on from the new value) counts its value as increase", () => {
    const j = judge([1000, 1001, 0.5, 1.5, 2.5]);
    expect(j.outliers).toEqual([]);
    // 1 Wh, then the 0.5 Wh since the restart, then 1 and 1.
    expect(j.cum).toEqual([0, 1, 1.5, 2.5, 3.5]);
  });

  it("a new meter with its own, lower total: the step counts 0, the readings after it count", () => {
    const j = judge([100_000, 100_001, 50_000, 50_001]);
    expect(j.outliers).toEqual([]);
    expect(j.cum).toEqual([0, 1, 1, 2]);
  });

  it("a rise faster than MAX_POWER_W allows: an outlier if it returns, a level shift counted 0 if not", () => {
    // 42 Wh in 10 s is inside the band (41.67 + 1), 43 Wh is not.
    expect(judge([1000, 1042, 1043]).cum).toEqual([0, 42, 43]);
    // 43 Wh after 10 s, then 44 Wh after 20 s (inside the band by then): the one early reading is
    // left out, no energy is lost.
    const early = judge([1000, 1001, 1044, 1045]);
    expect(early.outliers).toEqual([2]);
    expect(early.cum).toEqual([0, 1, Number.NaN, 45]);
    // A jump that the readings after it keep: a level shift, its step counted 0.
    const shift = judge([1000, 1001, 5000, 5001, 5002]);
    expect(shift.outliers).toEqual([]);
    expect(shift.cum).toEqual([0, 1, 1, 2, 3]);
    // After an hour without readings, 2000 Wh (2 kW on average) is believable.
    expect(judgeCounter([0, 3_600_000], [1000, 3000], rule()).cum).toEqual([0, 2000]);
  });

  it(
    "a glitch followed by a new level: the glitch is an outlier, not a reset, " +
      "since the readings do not go on from it",
    () => {
      // 30 Wh after 1001: a drop, but the next reading (50000) does not go on from 30 (it is 49,970 Wh
      // above it, far more than 42.67 Wh in 10 s), so 30 is a glitch, not a restart from 0; 50000 and
      // the readings after it are a level shift, counted 0. No energy is made up: counting 30 as a
      // reset would add 30 Wh that never existed.
      const j = judge([1000, 1001, 30, 50_000, 50_001, 50_002]);
      expect(j.outliers).toEqual([2]);
      expect(j.cum).toEqual([0, 1, Number.NaN, 1, 2, 3]);
    },
  );

  it("a reading exactly at the band's edges is consistent: the slack below, 15 kW plus the slack above", () => {
    // 1 Wh of slack below the level; 41.67 + 1 Wh above it in 10 s (1042.67 Wh is still inside).
    expect(judge([1000, 999, 1000]).cum).toEqual([0, 0, 0]);
    const top = judgeCounter([0, 10_000, 20_000], [1000, 1000 + 15_000 / 360 + 1, 1043], rule());
    expect(top.outliers).toEqual([]);
    expect(top.cum[1]).toBeCloseTo(15_000 / 360 + 1, 9);
  });

  it(
    "the rules at 15 kW: the meter 15 kWh an hour; the heat pump's day counters 150 kWh an hour (COP 10), " +
      "two starts a minute, an hour an hour",
    () => {
      const r = counterRules(15_000);
      expect(r.energyWh).toEqual({ maxRisePerMs: 15_000 / 3_600_000, slack: 1 });
      for (const f of [
        "heat_heating_day_kwh",
        "heat_dhw_day_kwh",
        "elec_heating_day_kwh",
        "elec_dhw_day_kwh",
      ] as const) {
        expect(r.heatpump[f].maxRisePerMs * 3_600_000, f).toBeCloseTo(150, 9);
        expect(r.heatpump[f].slack, f).toBe(0.1);
      }
      expect(r.heatpump.compressor_starts.maxRisePerMs * 60_000).toBeCloseTo(2, 12);
      expect(r.heatpump.compressor_starts.slack).toBe(1);
      expect(r.heatpump.compressor_hours.maxRisePerMs * 3_600_000).toBeCloseTo(1, 12);
      expect(r.heatpump.compressor_hours.slack).toBe(1);
    },
  );

  it("a glitch is judged by the first reading after it, not a later one", () => {
    // 30 is followed by 50000 (not going on from 30) and then 31 (which would): 30 is a glitch, and so
    // is 50000; 31 is the newest reading, outside the band and undecided.
    const j = judge([1000, 1001, 30, 50_000, 31]);
    expect(j.outliers).toEqual([2, 3]);
    expect(j.cum).toEqual([0, 1, Number.NaN, Number.NaN, Number.NaN]);
  });

  it("the look-ahead is five readings, missing ones not counted", () => {
    // Five zeros then the old level: a glitch of five readings, left out.
    expect(judge([1000, 0, 0, 0, 0, 0, 1001]).outliers).toEqual([1, 2, 3, 4, 5]);
    // Six zeros: the readings went on from 0, a reset (counting 0); the jump back up is a level shift.
    const six = judge([1000, 0, 0, 0, 0, 0, 0, 1001, 1002]);
    expect(six.outliers).toEqual([]);
    expect(six.cum).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    // A missing reading is no reading: after 0 the next one is 1, which goes on from it (a reset).
    expect(judge([1000, 0, Number.NaN, 1, 2]).cum).toEqual([0, 0, Number.NaN, 1, 2]);
    // The first readings missing: nothing counted before the first one there.
    expect(judge([Number.NaN, 1000, 1001]).cum).toEqual([Number.NaN, 0, 1]);
  });

  it("a reset counts its value up to exactly the band since the level; above it, 0 (a new meter)", () => {
    // 1 unit a second and 1 of slack: 11 after 10 s is still a restart from 0, 12 is not.
    const r = { maxRisePerMs: 1 / 1000, slack: 1 };
    const t = [0, 10_000, 20_000, 30_000];
    expect(judgeCounter(t, [1000, 11, 12, 13], r).cum).toEqual([0, 11, 12, 13]);
    expect(judgeCounter(t, [1000, 12, 13, 14], r).cum).toEqual([0, 0, 1, 2]);
    // After 20 s: 21.
    expect(judgeCounter([0, 20_000, 30_000], [1000, 21, 22], r).cum).toEqual([0, 21, 22]);
    expect(judgeCounter([0, 20_000, 30_000], [1000, 22, 23], r).cum).toEqual([0, 0, 1]);
  });

  it("the newest reading outside the band is left out but not counted until the next one decides", () => {
    const j = judge([1000, 1001, 0]);
    expect(j.outliers).toEqual([]);
    expect(j.cum).toEqual([0, 1, Number.NaN]);
  });

  it("samples: the counter replaced by its continuous series, power above MAX_POWER_W left out, times listed", () => {
    const b = new SampleBuilder();
    const energy = [5000, 5001, 0, 5003, 5004];
    const power = [360, 360, 360, 99_999, 360];
    energy.forEach((e, i) => b.add("electric", {}, { energy_wh: e, power_w: power[i]! }, i * 10_000));
    b.add("heatpump", {}, { heat_heating_day_kwh: 20 }, 0);
    b.add("heatpump", {}, { heat_heating_day_kwh: 0 }, 300_000); // the device's midnight
    b.add("heatpump", {}, { heat_heating_day_kwh: 0.3 }, 600_000);
    const s = judgeSamples(b.finish(), 15_000);
    expect(s.elec.energy).toEqual([0, 1, Number.NaN, 3, 4]);
    expect(s.elec.power).toEqual([360, 360, 360, Number.NaN, 360]);
    expect(s.outliers).toEqual([20_000, 30_000]);
    // The day counter's rollover goes on from 0: a reset, counting 0 then 0.3.
    expect(s.hp.f.heat_heating_day_kwh).toEqual([0, 0, 0.3]);
  });

  it("samples: power just above MAX_POWER_W (15,001 W at 15,000 W) is left out, 15,000 W itself kept", () => {
    const b = new SampleBuilder();
    [15_000, 15_001, 14_999].forEach((p, i) => b.add("electric", {}, { power_w: p }, i * 10_000));
    const s = judgeSamples(b.finish(), 15_000);
    expect(s.elec.power).toEqual([15_000, Number.NaN, 14_999]);
    expect(s.outliers).toEqual([10_000]);
  });

  it("samples: outliers of every counter, listed by time in order", () => {
    const b = new SampleBuilder();
    // A heat pump glitch at 5 min (compressor hours back to 0 and up again), an energy glitch at 20 s.
    b.add("heatpump", {}, { compressor_hours: 100, compressor_starts: 50 }, 0);
    b.add("heatpump", {}, { compressor_hours: 0, compressor_starts: 50 }, 300_000);
    b.add("heatpump", {}, { compressor_hours: 100.1, compressor_starts: 51 }, 600_000);
    [5000, 5001, 0, 5003].forEach((e, i) => b.add("electric", {}, { energy_wh: e }, i * 10_000));
    const s = judgeSamples(b.finish(), 15_000);
    expect(s.outliers).toEqual([20_000, 300_000]);
    expect(s.hp.f.compressor_hours[2]).toBeCloseTo(0.1, 9);
    expect(s.hp.f.compressor_starts).toEqual([0, 0, 1]);
  });

  it("samples: the returned-energy counter (export) is judged by the same rule as the import counter", () => {
    const b = new SampleBuilder();
    const returned = [200, 200.5, 0, 201.5, 202];
    returned.forEach((r, i) => b.add("electric", {}, { energy_ret_wh: r }, i * 10_000));
    const s = judgeSamples(b.finish(), 15_000);
    // The glitch to 0 is left out; the steps go on from 200.5: 0.5, (left out), 1, 0.5.
    expect(s.elec.ret).toEqual([0, 0.5, Number.NaN, 1.5, 2]);
    expect(s.outliers).toEqual([20_000]);
  });

  it("samples: the other meters are judged like the heat pump's, each on its own readings", () => {
    const b = new SampleBuilder();
    // The heat pump's meter from 5000 Wh, the backup heater's from 80,000 Wh: interleaved in time, so
    // one counter judged against the other would see every reading as a jump.
    [5000, 5001, 5002, 5003].forEach((e, i) => b.add("electric", {}, { energy_wh: e }, i * 10_000));
    // A glitch to 0 at 25 s (returns to the level: an outlier) and 15,001 W at 35 s (above MAX_POWER_W).
    [80_000, 80_010, 0, 80_030].forEach((e, i) =>
      b.add(
        "electric",
        { role: "backup" },
        { energy_wh: e, power_w: i === 3 ? 15_001 : 3600 },
        5_000 + i * 10_000,
      ),
    );
    const s = judgeSamples(b.finish(), 15_000);
    expect(s.elec.energy).toEqual([0, 1, 2, 3]);
    // Steps from 80,000 Wh: 10, (left out), then 30 from 80,000.
    expect(s.meters.backup!.energy).toEqual([0, 10, Number.NaN, 30]);
    expect(s.meters.backup!.power).toEqual([3600, 3600, 3600, Number.NaN]);
    expect(s.meters.pumps).toBeUndefined();
    expect(s.outliers).toEqual([25_000, 35_000]);
  });
});
