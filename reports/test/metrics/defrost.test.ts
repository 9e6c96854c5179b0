/**
 * Defrosts (defrost.ts) on hand-made readings 5 minutes apart. A defrosting reading shows flow 28 /
 * return 30 °C at 1000 l/h: 1000 × 1.163 × (30 - 28) = 2326 W drawn back, 2326 / 12 = 193.8333 Wh
 * over the 5 minutes it holds.
 */
import { describe, expect, it } from "vitest";
import { defrostStats } from "../../src/metrics/defrost.ts";
import { type HandSamples, handSamples, MIN } from "../helpers/hand-samples.ts";

const POLL = 5 * MIN;
const reading = (m: number, defrosting: number, over: Record<string, number> = {}) =>
  defrosting === 1
    ? { t: m * MIN, defrosting, flow_lph: 1000, flow_c: 28, return_c: 30, ...over }
    : { t: m * MIN, defrosting, flow_lph: 1000, flow_c: 35, return_c: 32, ...over };
const stats = (hp: NonNullable<HandSamples["hp"]>, fromMin: number, toMin: number) =>
  defrostStats(handSamples({ hp }), fromMin * MIN, toMin * MIN, POLL);

describe("defrostStats", () => {
  it("two runs of defrosting readings: two defrosts, each reading holding 5 minutes", () => {
    const hp = [reading(0, 0), reading(5, 1), reading(10, 1), reading(15, 0), reading(20, 1), reading(25, 0)];
    const d = stats(hp, 0, 30);
    expect(d.count).toBe(2);
    expect(d.minutes).toBe(15);
    expect(d.heatWh).toBeCloseTo(3 * (2326 / 12), 9);
  });

  it("a reading holds until the next one; before a gap of more than three polls and at the end, one poll", () => {
    // 0: defrosting, next reading 15 min later (three polls: held 15); 15: defrosting, next 35 min
    // later (a gap: held 5); 50: defrosting, the last reading (held 5).
    const d = stats([reading(0, 1), reading(15, 1), reading(50, 1)], 0, 60);
    expect(d.minutes).toBe(25);
    // 0 and 15 are one defrost (no gap between them); 50 comes after a gap: a new one.
    expect(d.count).toBe(2);
    expect(d.heatWh).toBeCloseTo((2326 * 25) / 60, 9);
  });

  it("a defrost that began before the range counts there, not again; one after a gap counts anew", () => {
    const hp = [reading(0, 1), reading(5, 1), reading(10, 0)];
    const d = stats(hp, 5, 15);
    expect(d).toMatchObject({ count: 0, minutes: 5 });
    // The reading before the range 20 minutes earlier: more than three polls, so a new defrost.
    const late = stats([reading(0, 1), reading(20, 1), reading(25, 0)], 10, 30);
    expect(late).toMatchObject({ count: 1, minutes: 5 });
    // Exactly three polls earlier still continues it.
    expect(stats([reading(0, 1), reading(15, 1), reading(20, 0)], 10, 30).count).toBe(0);
    // A reading before the range that was not defrosting: the defrost starts in the range.
    expect(stats([reading(0, 0), reading(5, 1), reading(10, 0)], 5, 15).count).toBe(1);
  });

  it("readings with no defrosting field are skipped, and only readings inside the range count", () => {
    const hp = [
      reading(0, 0),
      { t: 5 * MIN, flow_lph: 1000, flow_c: 35, return_c: 32 },
      reading(10, 1),
      reading(15, 0),
    ];
    // 10 holds until 15: the field-less reading at 5 neither ends nor starts anything.
    expect(stats(hp, 0, 20)).toMatchObject({ count: 1, minutes: 5 });
    expect(stats(hp, 11, 20)).toMatchObject({ count: 0, minutes: 0, heatWh: 0 });
    expect(stats(hp, 0, 10)).toMatchObject({ count: 0, minutes: 0 });
  });

  it("no defrost: heat 0 with a flow sensor, unknown without; no defrosting readings: all unknown", () => {
    expect(stats([reading(0, 0), reading(5, 0)], 0, 10)).toEqual({ count: 0, minutes: 0, heatWh: 0 });
    const noFlow = [
      { t: 0, defrosting: 0 },
      { t: 5 * MIN, defrosting: 0 },
    ];
    expect(defrostStats(handSamples({ hp: noFlow }), 0, 10 * MIN, POLL)).toEqual({
      count: 0,
      minutes: 0,
      heatWh: null,
    });
    expect(stats([], 0, 10)).toEqual({ count: null, minutes: null, heatWh: null });
    const fieldless = handSamples({ hp: [{ t: 0, flow_c: 35 }] });
    expect(defrostStats(fieldless, 0, 10 * MIN, POLL)).toEqual({ count: null, minutes: null, heatWh: null });
  });

  it("a defrosting reading without a flow rate makes the heat unknown; flow above return draws nothing back", () => {
    const d = stats([reading(0, 1, { flow_lph: Number.NaN }), reading(5, 1), reading(10, 0)], 0, 15);
    expect(d).toMatchObject({ count: 1, minutes: 10, heatWh: null });
    // A defrosting reading with flow 35 / return 32 (heat going out, not back): 0 Wh drawn back.
    const out = stats([reading(0, 1, { flow_c: 35, return_c: 32 }), reading(5, 0)], 0, 10);
    expect(out).toEqual({ count: 1, minutes: 5, heatWh: 0 });
  });
});
