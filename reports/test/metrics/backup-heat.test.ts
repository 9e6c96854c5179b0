/**
 * A backup heater in the flow (interval-cop.ts, carnot.ts): flow x spread is measured after the rod,
 * so the rod's energy in the interval is taken off for the heat pump's own heat. One interval of
 * 5 minutes, both readings running at 1000 l/h, flow 40 / return 35 °C: 1000 * 1.163 * 5 = 5815 W,
 * 5815 / 12 = 484.58 Wh. The heat pump's meter at 1163 W (30 steps of 1163/360 Wh = 96.92 Wh).
 */
import { describe, expect, it } from "vitest";
import { intervalCop, intervalEnergy } from "../../src/metrics/interval-cop.ts";
import { carnotSums } from "../../src/metrics/carnot.ts";
import { computeBuckets } from "../../src/metrics/day-buckets.ts";
import { handSamples, MIN } from "../helpers/hand-samples.ts";

const opts = { thresholdW: 100, maxElecGapMs: 30_000 };
const running = { flow_lph: 1000, flow_c: 40, return_c: 35, compressor_on: 1, outside_c: 0 };

function interval(
  backupW: ((t: number) => number) | null,
  backupToMs = 5 * MIN,
  hp: Record<string, number> = running,
) {
  return handSamples({
    shelly: { fromMs: 0, toMs: 5 * MIN, power: () => 1163 },
    hp: [
      { t: 0, ...hp },
      { t: 5 * MIN, ...hp },
    ],
    meters: backupW ? [{ role: "backup", fromMs: 0, toMs: backupToMs, power: backupW }] : [],
  });
}

describe("the backup heater's energy in flow x spread", () => {
  it("is taken off the interval's heat: (5815 - 3000) / 1163 = 2.420 instead of 5", () => {
    expect(intervalEnergy(interval(null), 1, opts).heatWh).toBeCloseTo(5815 / 12, 6);
    const x = intervalEnergy(
      interval(() => 3000),
      1,
      opts,
    );
    // 30 steps of 3000/360 Wh = 250 Wh of the rod's.
    expect(x.heatWh).toBeCloseTo(5815 / 12 - 250, 6);
    expect(x.elecWh).toBeCloseTo(1163 / 12, 6);
    expect(intervalCop(x)).toBeCloseTo((5815 - 3000) / 1163, 6);
  });

  it("floored at 0: a rod drawing more than the flow carries (an immersion heater) leaves 0, not less", () => {
    // 6000 W: 500 Wh, more than 484.58 Wh.
    expect(
      intervalEnergy(
        interval(() => 6000),
        1,
        opts,
      ).heatWh,
    ).toBe(0);
    // Just below: 5800 W, 483.33 Wh: 1.25 Wh left.
    expect(
      intervalEnergy(
        interval(() => 5800),
        1,
        opts,
      ).heatWh,
    ).toBeCloseTo(5815 / 12 - 5800 / 12, 6);
  });

  it("a backup meter that does not cover the interval: the heat pump's share is not known (null)", () => {
    // Readings up to 2 minutes only: more than a poll's slack short of the interval.
    expect(
      intervalEnergy(
        interval(() => 3000, 2 * MIN),
        1,
        opts,
      ).heatWh,
    ).toBeNull();
  });

  it("heat from the day counters (no flow rate) is the compressor's: nothing taken off", () => {
    const counters = { heat_heating_day_kwh: 10, heat_dhw_day_kwh: 0, compressor_on: 1 };
    const s = interval(() => 3000, 5 * MIN, counters);
    s.hp.f.heat_heating_day_kwh[1] = 10.3;
    expect(intervalEnergy(s, 1, opts).heatWh).toBeCloseTo(300, 6);
  });

  it("% of Carnot counts the heat pump's own heat", () => {
    const c = carnotSums(
      interval(() => 3000),
      1,
      5 * MIN + 1,
      { ...opts, maxHpGapMs: 15 * MIN },
    );
    // Ideal COP at 40 °C flow, 0 °C outside: (42 + 273.15) / (42 + 6) = 6.5656.
    expect(c.intervals).toBe(1);
    expect(c.heatWh).toBeCloseTo(5815 / 12 - 250, 6);
    expect(c.idealHeatWh).toBeCloseTo((1163 / 12) * (315.15 / 48), 6);
  });

  it("five-minute buckets: the rod's mean power, and the heat pump's own heat", () => {
    const range = { day: "1970-01-01", startMs: 0, endMs: 24 * 60 * MIN };
    const b = computeBuckets(
      interval(() => 3000),
      range,
      { thresholdW: 100, elecIntervalMs: 10_000, hpIntervalMs: 5 * MIN },
    );
    // (484.58 - 250) Wh in 5 minutes: 5815 - 3000 = 2815 W.
    expect(b.values.heat_w[0]).toBe(2815);
    expect(b.values.backup_w.slice(0, 3)).toEqual([3000, 3000, null]);
    expect(
      computeBuckets(interval(null), range, {
        thresholdW: 100,
        elecIntervalMs: 10_000,
        hpIntervalMs: 5 * MIN,
      }).values.backup_w[0],
    ).toBeNull();
  });
});
