/**
 * COP per mode (mode-split.ts): each reading's mode holds to the next reading, at most three polls
 * (15 minutes) into a gap of the heat pump data. The Shelly draws 1200 W throughout: 20 Wh a minute.
 */
import { describe, expect, it } from "vitest";
import { modeElectricity, modeRuns } from "../../src/metrics/mode-split.ts";
import { handSamples, MIN } from "../helpers/hand-samples.ts";

const GAP = 15 * MIN;
const o = { thresholdW: 100, maxElecGapMs: 30_000, maxHpGapMs: GAP };
const mode = (m: number, dhw: number) => ({ t: m * MIN, dhw_active: dhw });

describe("modes across a gap of the heat pump data", () => {
  // Hot water from 5 minutes before the range; heating from 5 and 10; no reading from 10 to 70; hot
  // water from 70. The range: 0 to 80 minutes.
  const hp = [mode(-5, 1), mode(5, 0), mode(10, 0), mode(70, 1)];
  // Built in each test, not here: mutation testing sees which test reaches which code.
  const samples = () => handSamples({ shelly: { fromMs: -10 * MIN, toMs: 90 * MIN, power: () => 1200 }, hp });

  it("runs: the mode from before the range carries in; a mode holds 15 minutes into a gap, not across it", () => {
    expect(modeRuns(samples(), 0, 80 * MIN, GAP)).toEqual([
      { fromMs: 0, toMs: 5 * MIN, dhw: true },
      // 5 to 10 and 10 to 25 (10 + 15) merged: one run of heating.
      { fromMs: 5 * MIN, toMs: 25 * MIN, dhw: false },
      { fromMs: 70 * MIN, toMs: 80 * MIN, dhw: true },
    ]);
  });

  it(
    "electricity: heating 20 minutes (400 Wh), hot water 5 + 10 minutes (300 Wh); " +
      "the gap's 45 minutes in neither",
    () => {
      const e = modeElectricity(samples(), 0, 80 * MIN, o);
      expect(e.heatingWh).toBeCloseTo(400, 9);
      expect(e.dhwWh).toBeCloseTo(300, 9);
    },
  );

  it("exactly three polls after a reading its mode still holds; the next reading ends it sooner", () => {
    const two = handSamples({ hp: [mode(0, 0), mode(15, 1)] });
    expect(modeRuns(two, 0, 40 * MIN, GAP)).toEqual([
      { fromMs: 0, toMs: 15 * MIN, dhw: false },
      { fromMs: 15 * MIN, toMs: 30 * MIN, dhw: true },
    ]);
  });
});

describe("modes without a mode", () => {
  it("readings without dhw_active are skipped; a reading older than six hours is not looked back to", () => {
    const hp = [mode(-7 * 60, 1), { t: 0, flow_c: 35 }, mode(10, 0)];
    const s = handSamples({ hp });
    expect(modeRuns(s, 0, 30 * MIN, GAP)).toEqual([{ fromMs: 10 * MIN, toMs: 25 * MIN, dhw: false }]);
  });

  it("no mode known, or no electricity in the runs: both null, never 0", () => {
    const none = handSamples({
      shelly: { fromMs: 0, toMs: 30 * MIN, power: () => 1200 },
      hp: [{ t: 0, flow_c: 35 }],
    });
    expect(modeElectricity(none, 0, 30 * MIN, o)).toEqual({ heatingWh: null, dhwWh: null });
    const dark = handSamples({ hp: [mode(0, 1)] });
    expect(modeElectricity(dark, 0, 30 * MIN, o)).toEqual({ heatingWh: null, dhwWh: null });
  });

  it("only hot water: heating is 0 (known), not null", () => {
    const s = handSamples({
      shelly: { fromMs: -MIN, toMs: 30 * MIN, power: () => 1200 },
      hp: [mode(0, 1), mode(5, 1)],
    });
    const e = modeElectricity(s, 0, 10 * MIN, o);
    expect(e.heatingWh).toBe(0);
    expect(e.dhwWh).toBeCloseTo(200, 9);
  });
});
