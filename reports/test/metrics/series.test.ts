import { describe, expect, it } from "vitest";
import { seriesFromBuckets } from "../../src/metrics/series.ts";
import { copNow } from "../../src/metrics/status.ts";
import { SampleBuilder } from "../../src/store/samples.ts";
import { type DayBuckets } from "../../src/types.ts";

const MIN5 = 300_000;
const empty = () => [null, null, null, null];
const day = (startMs: number, v: Partial<DayBuckets["values"]>): DayBuckets => ({
  day: "d",
  startMs,
  values: {
    power_w: empty(),
    heat_w: empty(),
    flow_c: empty(),
    return_c: empty(),
    outside_c: empty(),
    dhw_c: empty(),
    cop: empty(),
    defrost: empty(),
    flow_lph: empty(),
    delta_t_k: empty(),
    compressor_speed_rps: empty(),
    backup_w: empty(),
    cooling: empty(),
    ...v,
  },
});

describe("series from five-minute buckets", () => {
  const a = day(0, {
    power_w: [100, null, null, 400],
    heat_w: [1000, 0, null, 500],
    cop: [3, null, null, 2.5],
  });
  const b = day(4 * MIN5, { power_w: [500, 600, null, null], flow_c: [30, null, null, 33] });
  const o = { elecIntervalMs: 10_000, hpIntervalMs: MIN5 };

  it("one point per bucket with a value, a null between points further apart than the gap limit", () => {
    const s = seriesFromBuckets([a, b], 0, 8 * MIN5, o);
    // Electric gap limit: max(3 * 10 s, 2 buckets) = 10 min; 0 -> 15 min is a gap, 15 -> 20 min is not.
    expect(s.power_w).toEqual([
      { t: 0, v: 100 },
      { t: 450_000, v: null },
      { t: 3 * MIN5, v: 400 },
      { t: 4 * MIN5, v: 500 },
      { t: 5 * MIN5, v: 600 },
    ]);
    // Heat pump gap limit: max(3 * 5 min, 2 buckets) = 15 min: 20 -> 35 min is not a gap.
    expect(s.flow_c).toEqual([
      { t: 4 * MIN5, v: 30 },
      { t: 7 * MIN5, v: 33 },
    ]);
  });

  it("COP: a null point where there was heat data but no COP (the compressor was off)", () => {
    const s = seriesFromBuckets([a], 0, 4 * MIN5, o);
    expect(s.cop).toEqual([
      { t: 0, v: 3 },
      { t: MIN5, v: null },
      { t: 3 * MIN5, v: 2.5 },
    ]);
  });

  it("only the buckets that start inside the window", () => {
    const s = seriesFromBuckets([a, b], MIN5, 5 * MIN5, o);
    expect(s.power_w!.map((p) => p.t)).toEqual([3 * MIN5, 4 * MIN5]);
  });

  it("COP now: the newest interval, none while the compressor is off", () => {
    const off = new SampleBuilder();
    for (let k = 0; k < 3; k++) {
      off.add("heatpump", {}, { flow_lph: 0, flow_c: 30, return_c: 30 }, k * MIN5);
      for (let j = 0; j < 30; j++) off.add("electric", {}, { power_w: 20 }, k * MIN5 + j * 10_000);
    }
    expect(copNow(off.finish(), 100, 10_000)).toBeNull();
    const running = new SampleBuilder();
    running.add("heatpump", {}, { flow_lph: 1000, flow_c: 35, return_c: 30 }, 0);
    running.add("heatpump", {}, { flow_lph: 1000, flow_c: 35, return_c: 30 }, MIN5);
    for (let j = 0; j <= 30; j++) running.add("electric", {}, { power_w: j % 2 ? 1000 : 1326 }, j * 10_000);
    // Sample and hold over the 30 steps: 15 at 1326 W, 15 at 1000 W, a mean of 1163 W; 5815 W of heat.
    expect(copNow(running.finish(), 100, 10_000)?.v).toBeCloseTo(5, 9);
  });

  it("the hydraulics and the backup heater's power are served like the others", () => {
    const d = day(0, {
      backup_w: [3000, null, null, 2000],
      delta_t_k: [5, null, null, -4.5],
      flow_lph: [1000, 1000, 1000, 1000],
      compressor_speed_rps: [40, null, null, null],
      cooling: [0, 0, 1, 1],
    });
    const s = seriesFromBuckets([d], 0, 4 * MIN5, o);
    // The backup heater's meter has the Shelly's gap limit (10 min): 0 -> 15 min is a gap.
    expect(s.backup_w).toEqual([
      { t: 0, v: 3000 },
      { t: 450_000, v: null },
      { t: 3 * MIN5, v: 2000 },
    ]);
    // The heat pump's (15 min): no gap.
    expect(s.delta_t_k).toEqual([
      { t: 0, v: 5 },
      { t: 3 * MIN5, v: -4.5 },
    ]);
    expect(s.flow_lph).toHaveLength(4);
    expect(s.compressor_speed_rps).toEqual([{ t: 0, v: 40 }]);
    expect(s.cooling!.map((p) => p.v)).toEqual([0, 0, 1, 1]);
  });
});
