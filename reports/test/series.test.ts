import { describe, expect, it } from "vitest";
import { bucketMeans, bucketMs, buildSeries, withGaps } from "../src/series.ts";
import { SampleBuilder } from "../src/samples.ts";
import { copNow } from "../src/status.ts";

describe("series", () => {
  it("bucket means, a null where samples stop for longer than the gap limit", () => {
    const t = [0, 10_000, 20_000, 30_000, 200_000, 210_000];
    const v = [1, 3, 5, 7, 9, 11];
    const b = bucketMeans(t, v, 0, 300_000, 20_000);
    expect(b).toEqual({ t: [0, 20_000, 200_000], v: [2, 6, 10] });
    expect(withGaps(b, 60_000)).toEqual([
      { t: 0, v: 2 },
      { t: 20_000, v: 6 },
      { t: 110_000, v: null },
      { t: 200_000, v: 10 },
    ]);
    expect(bucketMs(0, 86_400_000, 800, 10_000)).toBe(108_000);
    expect(bucketMs(0, 3_600_000, 800, 10_000)).toBe(10_000);
  });

  it("thermal power and COP from flow rate and spread; no COP while standing by", () => {
    const b = new SampleBuilder();
    for (let k = 0; k < 12; k++) {
      const t = k * 300_000;
      const running = k < 6;
      b.add("heatpump", {}, { flow_lph: running ? 1000 : 0, flow_c: 35, return_c: 30, outside_c: 5 }, t);
      for (let j = 0; j < 30; j++) b.add("electric", {}, { power_w: running ? 1163 : 20 }, t + j * 10_000);
    }
    const s = b.finish();
    const set = buildSeries(s, 0, 3_600_000, 12, {
      elecIntervalMs: 10_000,
      hpIntervalMs: 300_000,
      thresholdW: 100,
    });
    // 1000 l/h * 1.163 * 5 K = 5815 W over 1163 W = COP 5.
    expect(set.heat_w![0]).toEqual({ t: 0, v: 5815 });
    // Per Viessmann interval: 5815 W over 1163 W while running (the Shelly shows it ran through the
    // sixth interval, the one ending at the first off reading); the off intervals are gaps (null), never 0.
    expect(set.cop!.map((p) => p.v)).toEqual([5, 5, 5, 5, 5, 5, null, null, null, null, null]);
    expect(set.power_w).toHaveLength(12);
    // COP now: the newest interval, as the series defines it; the compressor is off there.
    expect(copNow(s, 100, 10_000)).toBeNull();
    const running = new SampleBuilder();
    running.add("heatpump", {}, { flow_lph: 1000, flow_c: 35, return_c: 30 }, 0);
    running.add("heatpump", {}, { flow_lph: 1000, flow_c: 35, return_c: 30 }, 300_000);
    for (let j = 0; j <= 30; j++) running.add("electric", {}, { power_w: j % 2 ? 1000 : 1326 }, j * 10_000);
    // Sample and hold over the 30 steps: 15 at 1326 W, 15 at 1000 W, a mean of 1163 W.
    expect(copNow(running.finish(), 100, 10_000)?.v).toBeCloseTo(5, 9);
  });
});
