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
    expect(set.cop!.slice(0, 6).map((p) => p.v)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(set.cop).toHaveLength(6);
    expect(set.power_w).toHaveLength(12);
    // COP now: the newest sample with a flow reading, over the mean power since the one before.
    expect(copNow(s, 100)).toBeNull();
    const running = new SampleBuilder();
    running.add("heatpump", {}, { flow_lph: 1000, flow_c: 35, return_c: 30 }, 0);
    running.add("heatpump", {}, { flow_lph: 1000, flow_c: 35, return_c: 30 }, 300_000);
    for (let j = 0; j <= 30; j++) running.add("electric", {}, { power_w: j % 2 ? 1000 : 1326 }, j * 10_000);
    expect(copNow(running.finish(), 100)?.v).toBeCloseTo(5815 / ((16 * 1326 + 15 * 1000) / 31), 6);
  });
});
