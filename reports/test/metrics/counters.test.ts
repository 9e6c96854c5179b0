import { describe, expect, it } from "vitest";
import { counterRules, judgeCounter, judgeSamples } from "../../src/metrics/counters.ts";
import { SampleBuilder } from "../../src/store/samples.ts";

// The Shelly's energy counter (Wh) at the default MAX_POWER_W of 15 kW: in 10 s it may rise by
// 15000 W * 10 s / 3600 = 41.67 Wh, plus 1 Wh of slack.
const rule = counterRules(15_000).energyWh;
const every10s = (n: number) => Array.from({ length: n }, (_, i) => i * 10_000);
const judge = (v: number[]) => judgeCounter(every10s(v.length), v, rule);

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
    expect(judgeCounter([0, 3_600_000], [1000, 3000], rule).cum).toEqual([0, 2000]);
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

  it("samples: the returned-energy counter (export) is judged by the same rule as the import counter", () => {
    const b = new SampleBuilder();
    const returned = [200, 200.5, 0, 201.5, 202];
    returned.forEach((r, i) => b.add("electric", {}, { energy_ret_wh: r }, i * 10_000));
    const s = judgeSamples(b.finish(), 15_000);
    // The glitch to 0 is left out; the steps go on from 200.5: 0.5, (left out), 1, 0.5.
    expect(s.elec.ret).toEqual([0, 0.5, Number.NaN, 1.5, 2]);
    expect(s.outliers).toEqual([20_000]);
  });
});
