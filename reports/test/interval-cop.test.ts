import { describe, expect, it } from "vitest";
import { intervalCop, intervalEnergy } from "../src/interval-cop.ts";
import { copSeries } from "../src/series.ts";
import { SampleBuilder } from "../src/samples.ts";
import { copNow } from "../src/status.ts";

const MIN5 = 300_000;
const opts = { thresholdW: 100, maxElecGapMs: 30_000 };

/**
 * Four heat pump samples 5 min apart, no flow rate (heat from the day counters, 0.1 kWh steps), and
 * a Shelly every 10 s whose energy counter grows with the power held since the previous poll:
 * - interval 1 (0-5 min): 1200 W (100 Wh); heating counter 10.0 -> 10.3 kWh: COP 300 / 100 = 3
 * - interval 2 (5-10 min): 1200 W (100 Wh); hot-water counter 3.0 -> 3.2 kWh: COP 200 / 100 = 2
 * - interval 3 (10-15 min): 15 W standby, counters still: compressor off, no COP (null, not 0)
 */
function counterDay(opts2: { elec?: boolean; shellyFrom?: number } = {}) {
  const b = new SampleBuilder();
  const heating = [10.0, 10.3, 10.3, 10.3];
  const dhw = [3.0, 3.0, 3.2, 3.2];
  for (let k = 0; k < 4; k++)
    b.add(
      "heatpump",
      {},
      { heat_heating_day_kwh: heating[k]!, heat_dhw_day_kwh: dhw[k]!, compressor_on: k < 3 ? 1 : 0 },
      k * MIN5,
    );
  if (opts2.elec !== false) {
    let e = 5000;
    let prevP = Number.NaN;
    for (let t = opts2.shellyFrom ?? 0; t <= 3 * MIN5; t += 10_000) {
      if (!Number.isNaN(prevP)) e += (prevP * 10_000) / 3_600_000;
      const p = t < 2 * MIN5 ? 1200 : 15;
      b.add("electric", {}, { power_w: p, energy_wh: e }, t);
      prevP = p;
    }
  }
  return b.finish();
}

describe("interval COP", () => {
  it("heat from the day counters' steps over the Shelly counter's increase", () => {
    const s = counterDay();
    const x1 = intervalEnergy(s, 1, opts);
    expect(x1.heatWh).toBeCloseTo(300, 6);
    expect(x1.elecWh).toBeCloseTo(100, 6);
    expect(intervalCop(x1)).toBeCloseTo(3, 6);
    expect(intervalCop(intervalEnergy(s, 2, opts))).toBeCloseTo(2, 6);
    const off = intervalEnergy(s, 3, opts);
    expect(off.running).toBe(false);
    expect(intervalCop(off)).toBeNull();
  });

  it("the series: one point per interval, off intervals null; wider buckets add heat and electricity up", () => {
    const s = counterDay();
    const o = { elecIntervalMs: 10_000, hpIntervalMs: MIN5, thresholdW: 100 };
    expect(copSeries(s, 0, 4 * MIN5, MIN5, 3 * MIN5, o)).toEqual([
      { t: 0, v: 3 },
      { t: MIN5, v: 2 },
      { t: 2 * MIN5, v: null },
    ]);
    // 10-minute buckets: (300 + 200) Wh / (100 + 100) Wh = 2.5, never the mean of 3 and 2.
    expect(copSeries(s, 0, 4 * MIN5, 2 * MIN5, 6 * MIN5, o)).toEqual([
      { t: 0, v: 2.5 },
      { t: 2 * MIN5, v: null },
    ]);
  });

  it("no electricity, or electricity covering only part of the interval: null, never Infinity", () => {
    const none = counterDay({ elec: false });
    const x = intervalEnergy(none, 1, opts);
    expect(x.elecWh).toBeNull();
    // Without power readings the device's compressor state says whether it ran.
    expect(x.running).toBe(true);
    expect(intervalCop(x)).toBeNull();
    const late = counterDay({ shellyFrom: 200_000 });
    expect(intervalEnergy(late, 1, opts).elecWh).toBeNull();
    expect(intervalCop(intervalEnergy(late, 2, opts))).toBeCloseTo(2, 6);
  });

  it("a Shelly counter reset inside the interval and the heat counters' midnight rollover", () => {
    const b = new SampleBuilder();
    b.add("heatpump", {}, { heat_heating_day_kwh: 41.9, heat_dhw_day_kwh: 6.0 }, 0);
    // After midnight both day counters restart: 0.3 + 0.0 kWh since then.
    b.add("heatpump", {}, { heat_heating_day_kwh: 0.3, heat_dhw_day_kwh: 0 }, MIN5);
    let e = 900;
    for (let t = 0; t <= MIN5; t += 10_000) {
      if (t > 0) e += (1200 * 10_000) / 3_600_000;
      // The counter restarts at 150 s: it then holds one step's energy.
      if (t === 150_000) e = (1200 * 10_000) / 3_600_000;
      b.add("electric", {}, { power_w: 1200, energy_wh: e }, t);
    }
    const x = intervalEnergy(b.finish(), 1, opts);
    expect(x.heatWh).toBeCloseTo(300, 6);
    expect(x.elecWh).toBeCloseTo(100, 6);
  });

  it("a run that stops 30 s into the interval counts its heat for 30 s: no stop spike", () => {
    const b = new SampleBuilder();
    b.add("heatpump", {}, { flow_lph: 1000, flow_c: 35, return_c: 30, compressor_on: 1 }, 0);
    b.add("heatpump", {}, { flow_lph: 0, flow_c: 34, return_c: 31, compressor_on: 0 }, MIN5);
    for (let t = 0; t <= MIN5; t += 10_000) b.add("electric", {}, { power_w: t < 30_000 ? 1163 : 20 }, t);
    const x = intervalEnergy(b.finish(), 1, opts);
    // Heat: 5815 W (the reading where it ran) for 30 s; electricity: 1163 W for 30 s + 20 W for 270 s.
    expect(x.heatWh).toBeCloseTo((5815 * 30) / 3600, 6);
    expect(x.elecWh).toBeCloseTo((1163 * 30 + 20 * 270) / 3600, 6);
    expect(intervalCop(x)).toBeCloseTo((5815 * 30) / (1163 * 30 + 20 * 270), 6);
    // (The old instantaneous ratio, half of 5815 W over the whole interval, gave about 21.6.)
    expect(intervalCop(x)).toBeLessThan(5);
  });

  it("COP now is the newest interval's COP", () => {
    const s = counterDay();
    expect(copNow(s, 100, 10_000)).toBeNull();
    const b = counterDay();
    const upToTen = new SampleBuilder();
    for (let i = 0; i < 3; i++)
      upToTen.add(
        "heatpump",
        {},
        {
          heat_heating_day_kwh: b.hp.f.heat_heating_day_kwh[i]!,
          heat_dhw_day_kwh: b.hp.f.heat_dhw_day_kwh[i]!,
        },
        b.hp.t[i]!,
      );
    for (let k = 0; k < b.elec.t.length && b.elec.t[k]! <= 2 * MIN5; k++)
      upToTen.addElectric(b.elec.t[k]!, b.elec.power[k]!, b.elec.energy[k]!);
    expect(copNow(upToTen.finish(), 100, 10_000)).toEqual({ v: expect.closeTo(2, 6) as number, t: 2 * MIN5 });
  });
});
