import { describe, expect, it } from "vitest";
import { intervalCop, intervalEnergy } from "../../src/metrics/interval-cop.ts";
import { SampleBuilder } from "../../src/store/samples.ts";
import { copNow } from "../../src/metrics/status.ts";
import { counterDay, MIN5 } from "../helpers/interval-data.ts";
const opts = { thresholdW: 100, maxElecGapMs: 30_000 };

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
