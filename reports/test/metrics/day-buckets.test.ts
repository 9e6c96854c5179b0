import { describe, expect, it } from "vitest";
import { computeBuckets } from "../../src/metrics/day-buckets.ts";
import { emptySamples, SampleBuilder } from "../../src/store/samples.ts";
import { counterDay, MIN5 } from "../helpers/interval-data.ts";
import { dayRange } from "../../../core/src/time.ts";

const o = { thresholdW: 100, elecIntervalMs: 10_000, hpIntervalMs: MIN5 };
const range = (buckets: number) => ({ day: "test", startMs: 0, endMs: buckets * MIN5 });

describe("five-minute buckets of a day", () => {
  it("heat from the day counters in W (not kW), COP per bucket, standby heat 0 and no COP, no data null", () => {
    const b = computeBuckets(counterDay(), range(4), o);
    // 300 Wh and 200 Wh delivered in 5 min: 300 / (5/60) = 3600 W and 2400 W; then the compressor is off.
    expect(b.values.heat_w).toEqual([3600, 2400, 0, null]);
    // Heat over the Shelly's 100 Wh in each of the first two buckets.
    expect(b.values.cop).toEqual([3, 2, null, null]);
    // 30 readings of 1200 W, 30 of 1200 W, 30 of 15 W, and the last reading (15 W) alone.
    expect(b.values.power_w).toEqual([1200, 1200, 15, 15]);
    expect(b.values.flow_c).toEqual([null, null, null, null]);
  });

  it("an interval that straddles buckets is spread over them by time, so no heat is lost", () => {
    // The same data 150 s later: every Viessmann interval covers half of two buckets.
    const b = computeBuckets(counterDay({ offsetMs: 150_000 }), range(5), o);
    // 300 Wh -> 150 + 150; 200 Wh -> 100 + 100; the off interval -> 0 + 0. In W: Wh / (5/60 h).
    expect(b.values.heat_w).toEqual([1800, 3000, 1200, 0, null]);
    const heatWh = b.values.heat_w.reduce<number>((a, w) => a + ((w ?? 0) * MIN5) / 3_600_000, 0);
    expect(heatWh).toBeCloseTo(500, 6);
    // Bucket 0: the Shelly starts halfway, so its electricity is unknown: no COP.
    // Bucket 1: 250 Wh over 300 s at 1200 W (100 Wh). Bucket 2: 100 Wh over 150 s at 1200 W and
    // 150 s at 15 W (50 + 0.625 Wh): 1.975..., shown as 1.98.
    expect(b.values.cop).toEqual([null, 2.5, 1.98, null, null]);
  });

  it("thermal power from flow rate and spread; temperatures as bucket means", () => {
    const s = new SampleBuilder();
    for (let k = 0; k < 12; k++) {
      const t = k * MIN5;
      const running = k < 6;
      s.add(
        "heatpump",
        {},
        { flow_lph: running ? 1000 : 0, flow_c: 35, return_c: 30, outside_c: 5 + (k % 2) },
        t,
      );
      for (let j = 0; j < 30; j++) s.add("electric", {}, { power_w: running ? 1163 : 20 }, t + j * 10_000);
    }
    const b = computeBuckets(s.finish(), range(12), o);
    // 1000 l/h * 1.163 * 5 K = 5815 W while running (the Shelly shows it ran through the sixth
    // interval, the one ending at the first off reading); 0 afterwards; the last bucket has no interval.
    expect(b.values.heat_w).toEqual([5815, 5815, 5815, 5815, 5815, 5815, 0, 0, 0, 0, 0, null]);
    // 5815 W over 1163 W.
    expect(b.values.cop).toEqual([5, 5, 5, 5, 5, 5, null, null, null, null, null, null]);
    expect(b.values.power_w).toEqual([1163, 1163, 1163, 1163, 1163, 1163, 20, 20, 20, 20, 20, 20]);
    expect(b.values.outside_c).toEqual([5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6]);
    expect(b.values.return_c!.every((v) => v === 30)).toBe(true);
  });

  /**
   * Heat pump readings (flow rate and spread) at `hpFrom` + 0, 5, 10, 15 min: the compressor off at
   * the first, running at the others (1000 l/h, 5 K: 5815 W). The Shelly every 10 s from 0: 15 W
   * standby until 300 s, 1163 W from the reading at 300 s on.
   */
  function runStartsAt300s(hpFrom: number) {
    const s = new SampleBuilder();
    for (let k = 0; k < 4; k++) {
      const on = k > 0;
      s.add(
        "heatpump",
        {},
        { flow_lph: on ? 1000 : 0, flow_c: 35, return_c: 30, compressor_on: on ? 1 : 0 },
        hpFrom + k * MIN5,
      );
    }
    for (let t = 0; t <= 4 * MIN5; t += 10_000) s.add("electric", {}, { power_w: t < MIN5 ? 15 : 1163 }, t);
    return s.finish();
  }

  it("a bucket that delivered no heat has no COP, never 0: the run starts at its very end", () => {
    // Interval 0-5 min: its last reading (300 s) is above the threshold, so the interval "ran", but
    // for 0 s: no heat. Standby electricity over no heat is no COP (it was drawn as 0).
    const b = computeBuckets(runStartsAt300s(0), range(4), o);
    expect(b.values.heat_w).toEqual([0, 5815, 5815, null]);
    expect(b.values.cop).toEqual([null, 5, 5, null]);
  });

  it("a bucket in which the compressor did not run has no COP, though the interval around it did", () => {
    // Interval 150-450 s ran from 300 s on: 5815 W for 150 s, spread over both buckets by time. The
    // first bucket holds half that heat but only standby electricity (15 W): no COP (it was 97).
    const b = computeBuckets(runStartsAt300s(150_000), range(3), o);
    expect(b.values.cop[0]).toBeNull();
    // Second bucket: half of 5815 W x 150 s plus half of 5815 W x 300 s, over 1163 W x 300 s:
    // 5 x 225 / 300 = 3.75.
    expect(b.values.cop[1]).toBe(3.75);
  });

  it("two readings in one bucket are averaged", () => {
    const s = new SampleBuilder();
    s.add("heatpump", {}, { flow_c: 30, dhw_c: 48 }, 10_000);
    s.add("heatpump", {}, { flow_c: 33, dhw_c: 49 }, 200_000);
    const b = computeBuckets(s.finish(), range(2), o);
    expect(b.values.flow_c).toEqual([31.5, null]);
    expect(b.values.dhw_c).toEqual([48.5, null]);
  });

  it("DST days have 276 and 300 buckets from local midnight", () => {
    const spring = computeBuckets(emptySamples(), dayRange("Europe/Berlin", "2026-03-29"), o);
    expect(spring.startMs).toBe(Date.parse("2026-03-28T23:00:00Z"));
    expect(spring.values.power_w).toHaveLength(23 * 12);
    expect(
      computeBuckets(emptySamples(), dayRange("Europe/Berlin", "2026-10-25"), o).values.cop,
    ).toHaveLength(25 * 12);
    expect(spring.values.heat_w.every((v) => v === null)).toBe(true);
  });
});
