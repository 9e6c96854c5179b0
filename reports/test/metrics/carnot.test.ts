/**
 * % of Carnot (carnot.ts) on hand-made intervals. The ideal COP, worked out by hand with a condensing
 * temperature 2 K above the flow and an evaporating one 6 K below the outside air:
 * - flow 35 °C, outside 5 °C: (35 + 2 + 273.15) K over a lift of 37 - (5 - 6) = 38 K: 310.15 / 38;
 * - flow 40 °C (the mean of 35 and 45), outside 5 °C: 315.15 / 43.
 * Each 5-minute interval at 1200 W holds 60 Shelly steps of 10 s: 100 Wh; at flow 35 / return 32 °C
 * and 1000 l/h the heat pump delivers 1000 × 1.163 × 3 = 3489 W, 290.75 Wh in 5 minutes.
 */
import { describe, expect, it } from "vitest";
import { carnotSums, idealCop } from "../../src/metrics/carnot.ts";
import { handSamples, MIN } from "../helpers/hand-samples.ts";

const o = { thresholdW: 100, maxElecGapMs: 30_000, maxHpGapMs: 15 * MIN };
const running = (t: number, over: Record<string, number> = {}) => ({
  t,
  flow_lph: 1000,
  flow_c: 35,
  return_c: 32,
  outside_c: 5,
  compressor_on: 1,
  ...over,
});
const shelly = (toMs: number, power: (t: number) => number = () => 1200) => ({ fromMs: -MIN, toMs, power });

describe("the ideal COP", () => {
  it("between the flow plus 2 K and the outside air minus 6 K", () => {
    expect(idealCop(35, 5)).toBeCloseTo(310.15 / 38, 12);
    expect(idealCop(50, -10)).toBeCloseTo(325.15 / 68, 12);
  });

  it("none where the lift is not positive: outside 8 K or more above the flow", () => {
    // flow 35: hot side 37 °C; outside 43 °C: cold side 37 °C, no lift.
    expect(idealCop(35, 43)).toBeNull();
    expect(idealCop(35, 50)).toBeNull();
    expect(idealCop(35, 42.9)).toBeCloseTo(310.15 / 0.1, 6);
  });
});

describe("carnotSums", () => {
  it("three running intervals: heat and electricity × ideal COP added up", () => {
    const s = handSamples({ shelly: shelly(15 * MIN), hp: [0, 5, 10, 15].map((m) => running(m * MIN)) });
    const c = carnotSums(s, 0, 20 * MIN, o);
    expect(c.intervals).toBe(3);
    expect(c.heatWh).toBeCloseTo(3 * 290.75, 9);
    expect(c.idealHeatWh).toBeCloseTo((3 * 100 * 310.15) / 38, 9);
  });

  it("an interval's temperatures are the means of its two ends, or the one end that has them", () => {
    // The reading at 5 minutes: flow 45 °C (return 42: 3489 W still), no outside temperature.
    const s = handSamples({
      shelly: shelly(10 * MIN),
      hp: [
        running(0),
        running(5 * MIN, { flow_c: 45, return_c: 42, outside_c: Number.NaN }),
        running(10 * MIN),
      ],
    });
    const c = carnotSums(s, 0, 20 * MIN, o);
    expect(c.intervals).toBe(2);
    // Both intervals: flow (35 + 45) / 2 = 40 °C, outside 5 °C from the one end that has it.
    expect(c.idealHeatWh).toBeCloseTo((2 * 100 * 315.15) / 43, 9);
    expect(c.heatWh).toBeCloseTo(2 * 290.75, 9);
  });

  it("intervals end inside the range: the one ending at its start counts, the one ending at its stop does not", () => {
    const s = handSamples({ shelly: shelly(15 * MIN), hp: [0, 5, 10, 15].map((m) => running(m * MIN)) });
    expect(carnotSums(s, 5 * MIN, 15 * MIN, o).intervals).toBe(2);
    expect(carnotSums(s, 5 * MIN + 1, 15 * MIN + 1, o).intervals).toBe(2);
    // The first reading ends no interval.
    expect(carnotSums(s, 0, 5 * MIN, o).intervals).toBe(0);
  });

  it("left out: a gap longer than three polls, an interval that did not run, and one without lift", () => {
    // 0-5 running; 5-25 a gap of 20 minutes; 25-30 standby at 15 W; 30-35 at 45 °C outside.
    const s = handSamples({
      shelly: shelly(35 * MIN, (t) => (t >= 25 * MIN && t <= 30 * MIN ? 15 : 1200)),
      hp: [
        running(0),
        running(5 * MIN),
        running(25 * MIN),
        running(30 * MIN, { compressor_on: 0, flow_lph: 0, outside_c: 45 }),
        running(35 * MIN, { outside_c: 45 }),
      ],
    });
    const c = carnotSums(s, 0, 40 * MIN, o);
    expect(c.intervals).toBe(1);
    expect(c.heatWh).toBeCloseTo(290.75, 9);
    // The gap is left out at 15 minutes and one millisecond, kept at exactly 15.
    const gap = handSamples({ shelly: shelly(15 * MIN), hp: [running(0), running(15 * MIN)] });
    expect(carnotSums(gap, 0, 20 * MIN, o).intervals).toBe(1);
    expect(carnotSums(gap, 0, 20 * MIN, { ...o, maxHpGapMs: 15 * MIN - 1 }).intervals).toBe(0);
  });
});
