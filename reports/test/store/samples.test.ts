/**
 * The samples both stores hand to the metrics (samples.ts): points in any order become sorted
 * columns, points of one time merge field by field, what a point lacks is NaN, and a slice of
 * [start, stop) keeps exactly the points inside it.
 */
import { describe, expect, it } from "vitest";
import { emptySamples, SampleBuilder, sliceSamples } from "../../src/store/samples.ts";
import { lowerBound } from "../../../core/src/sorted.ts";

const N = Number.NaN;

describe("SampleBuilder", () => {
  it("electric points: power, imported and returned energy; a missing field is NaN, booleans are 0/1", () => {
    const b = new SampleBuilder();
    b.add("electric", {}, { power_w: 500, energy_wh: 1000 }, 10_000);
    b.add("electric", {}, { energy_ret_wh: 7, voltage_a_v: 230 }, 20_000);
    // A point with none of the three fields is no electric sample at all.
    b.add("electric", {}, { voltage_a_v: 231 }, 30_000);
    const s = b.finish();
    expect(s.elec).toEqual({ t: [10_000, 20_000], power: [500, N], energy: [1000, N], ret: [N, 7] });
    expect(s.outliers).toEqual([]);

    const hp = new SampleBuilder();
    hp.add("heatpump", {}, { compressor_on: true, flow_c: 35.5 }, 0);
    hp.add("heatpump", {}, { compressor_on: false, flow_c: "35" as unknown as number }, 300_000);
    const f = hp.finish().hp.f;
    expect(f.compressor_on).toEqual([1, 0]);
    // A string is no number: NaN, never a parsed value.
    expect(f.flow_c).toEqual([35.5, N]);
    expect(f.outside_c).toEqual([N, N]);
  });

  it("only the electric, heat pump and collector measurements; of the collector, the Viessmann calls", () => {
    const b = new SampleBuilder();
    b.add("weather", {}, { power_w: 1, calls_today: 5 }, 0);
    b.add("collector", { source: "viessmann" }, { calls_today: 17 }, 1000);
    b.add("collector", { source: "shelly" }, { calls_today: 99 }, 2000);
    b.add("collector", {}, { calls_today: 18 }, 3000);
    b.add("collector", { source: "viessmann" }, { polls_ok: 5 }, 4000);
    const s = b.finish();
    expect(s.elec.t).toEqual([]);
    expect(s.hp.t).toEqual([]);
    expect(s.calls).toEqual({ t: [1000, 3000], v: [17, 18] });
  });

  it("sorts by time; points sharing a time merge field by field, the later write winning", () => {
    const b = new SampleBuilder();
    b.add("electric", {}, { power_w: 300 }, 30_000);
    b.add("electric", {}, { power_w: 100, energy_wh: 1 }, 10_000);
    b.add("electric", {}, { power_w: 200, energy_wh: 2 }, 20_000);
    // A second write of 10 s: a new power, no energy (the first write's energy stays).
    b.add("electric", {}, { power_w: 150 }, 10_000);
    b.add("heatpump", {}, { flow_c: 40, return_c: 35 }, 600_000);
    b.add("heatpump", {}, { flow_c: 30 }, 0);
    b.add("heatpump", {}, { return_c: 33, flow_c: 41 }, 600_000);
    const s = b.finish();
    expect(s.elec).toEqual({
      t: [10_000, 20_000, 30_000],
      power: [150, 200, 300],
      energy: [1, 2, N],
      ret: [N, N, N],
    });
    expect(s.hp.t).toEqual([0, 600_000]);
    expect(s.hp.f.flow_c).toEqual([30, 41]);
    expect(s.hp.f.return_c).toEqual([N, 33]);
  });

  it("keeps points already in order as they are; two at one time in order are merged too", () => {
    const b = new SampleBuilder();
    b.addElectric(0, 100, 10);
    b.addElectric(10_000, 200, 11);
    b.addElectric(10_000, 250, Number.NaN);
    const s = b.finish();
    expect(s.elec).toEqual({ t: [0, 10_000], power: [100, 250], energy: [10, 11], ret: [N, N] });
  });

  it("the Viessmann calls keep every reading, even two at one time", () => {
    const b = new SampleBuilder();
    b.add("collector", { source: "viessmann" }, { calls_today: 5 }, 2000);
    b.add("collector", { source: "viessmann" }, { calls_today: 3 }, 1000);
    b.add("collector", { source: "viessmann" }, { calls_today: 4 }, 1000);
    expect(b.finish().calls).toEqual({ t: [1000, 1000, 2000], v: [3, 4, 5] });
  });

  it("empty samples: every column empty, every heat pump field there", () => {
    const s = emptySamples();
    expect(s.elec).toEqual({ t: [], power: [], energy: [], ret: [] });
    expect(s.hp.t).toEqual([]);
    expect(s.hp.f.flow_c).toEqual([]);
    expect(s.hp.f.dhw_active).toEqual([]);
    expect(s.calls).toEqual({ t: [], v: [] });
    expect(s.meters).toEqual({});
  });

  it("each meter by its role tag, apart: no role is the heat pump's, an unknown role is left out", () => {
    const b = new SampleBuilder();
    // Interleaved in time, as the collector writes two meters polled together.
    b.add("electric", { role: "heatpump" }, { power_w: 1000, energy_wh: 5000 }, 10_000);
    b.add("electric", { role: "backup" }, { power_w: 3000, energy_wh: 200 }, 10_000);
    b.add("electric", {}, { power_w: 1100, energy_wh: 5003 }, 20_000);
    b.add("electric", { role: "backup" }, { power_w: 2900, energy_wh: 208.3 }, 20_000);
    b.add("electric", { role: "" }, { power_w: 1200 }, 30_000);
    b.add("electric", { role: "house" }, { energy_wh: 9 }, 5_000);
    b.add("electric", { role: "garage" }, { power_w: 7, energy_wh: 7 }, 15_000);
    b.addElectric(25_000, 60, 70, Number.NaN, 2); // METER_ROLES[2]: pumps
    const s = b.finish();
    // The heat pump meter's counter never sees the backup's 200 Wh between its 5000 and 5003.
    expect(s.elec).toEqual({
      t: [10_000, 20_000, 30_000],
      power: [1000, 1100, 1200],
      energy: [5000, 5003, N],
      ret: [N, N, N],
    });
    expect(s.meters).toEqual({
      backup: { t: [10_000, 20_000], power: [3000, 2900], energy: [200, 208.3], ret: [N, N] },
      pumps: { t: [25_000], power: [60], energy: [70], ret: [N] },
      house: { t: [5_000], power: [N], energy: [9], ret: [N] },
    });
  });
});

describe("lowerBound and sliceSamples", () => {
  it("lowerBound: the first index at or after x", () => {
    const t = [10, 20, 20, 30];
    expect([0, 10, 11, 20, 21, 30, 31].map((x) => lowerBound(t, x))).toEqual([0, 0, 1, 1, 3, 3, 4]);
    expect(lowerBound([], 5)).toBe(0);
  });

  it("sliceSamples: [start, stop) of every column, outliers too", () => {
    const b = new SampleBuilder();
    for (const t of [0, 10, 20, 30]) b.addElectric(t, t + 1, t + 2, t + 3);
    for (const t of [5, 15, 25]) b.add("heatpump", {}, { flow_c: t }, t);
    for (const t of [9, 10, 29, 30]) b.add("collector", { source: "viessmann" }, { calls_today: t }, t);
    const s = { ...b.finish(), outliers: [0, 10, 25, 30] };
    const part = sliceSamples(s, 10, 30);
    expect(part.elec).toEqual({ t: [10, 20], power: [11, 21], energy: [12, 22], ret: [13, 23] });
    expect(part.hp.t).toEqual([15, 25]);
    expect(part.hp.f.flow_c).toEqual([15, 25]);
    expect(part.hp.f.outside_c).toEqual([N, N]);
    expect(part.calls).toEqual({ t: [10, 29], v: [10, 29] });
    expect(part.outliers).toEqual([10, 25]);
    // Copies: the slice's columns are not the samples' own.
    part.elec.power[0] = -1;
    expect(s.elec.power[1]).toBe(11);
  });

  it("sliceSamples: each meter like elec; a meter without a point in the slice is not in it", () => {
    const b = new SampleBuilder();
    for (const t of [0, 10, 20, 30])
      b.add("electric", { role: "backup" }, { power_w: t, energy_wh: t / 10 }, t);
    b.add("electric", { role: "house" }, { power_w: 5 }, 40);
    const part = sliceSamples(b.finish(), 10, 30);
    // The same as the slice read alone: [10, 30) holds the backup's 10 and 20, and no house point.
    expect(part.meters).toEqual({ backup: { t: [10, 20], power: [10, 20], energy: [1, 2], ret: [N, N] } });
    const alone = new SampleBuilder();
    for (const t of [10, 20]) alone.add("electric", { role: "backup" }, { power_w: t, energy_wh: t / 10 }, t);
    expect(part).toEqual(alone.finish());
  });
});
