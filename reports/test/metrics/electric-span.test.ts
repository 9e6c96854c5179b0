/**
 * spanStats is electricStats without the six-hour look-back: for every hour of the hand-made days
 * (a counter reset, a gap of hours, a DST day, standby and running) it must give what electricStats
 * gives over the whole arrays.
 */
import { describe, expect, it } from "vitest";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import { electricStats } from "../../src/metrics/primitives.ts";
import { spanStats } from "../../src/metrics/electric-span.ts";
import { SampleBuilder } from "../../src/store/samples.ts";
import { analyticsDay } from "../helpers/analytics-day.ts";
import { lines, march } from "../helpers/hand-data.ts";

function samples() {
  const b = new SampleBuilder();
  for (const l of lines([...march(), ...analyticsDay()]).split("\n")) {
    const p = parseLine(l);
    if (p) b.add(p.measurement, p.tags, p.fields, p.timeMs);
  }
  // Three hours without readings on the 30th, from 04:00Z: the counter step after them is long.
  const s = b.finish();
  const keep = s.elec.t.map(
    (t) => t < Date.parse("2026-03-30T04:00:00Z") || t >= Date.parse("2026-03-30T07:00:00Z"),
  );
  const pick = (a: number[]) => a.filter((_, i) => keep[i]);
  // The minute before 10:00 local on 2026-01-15 has power readings but no energy: the span from
  // 10:00 must start from the older energy reading, not from the last power reading.
  const noEnergy = (t: number) =>
    t >= Date.parse("2026-01-15T08:59:00Z") && t < Date.parse("2026-01-15T09:00:00Z");
  const energy = s.elec.energy.map((v, i) => (noEnergy(s.elec.t[i]!) ? Number.NaN : v));
  return {
    ...s,
    elec: {
      t: pick(s.elec.t),
      power: pick(s.elec.power),
      energy: pick(energy),
      ret: pick(s.elec.ret),
    },
  };
}

describe("spanStats", () => {
  it("equals electricStats for every hour and every half hour of the hand-made days", () => {
    const s = samples();
    const e = s.elec;
    let compared = 0;
    for (const [from, to, step] of [
      [Date.parse("2026-01-14T23:00:00Z"), Date.parse("2026-01-15T23:00:00Z"), 3_600_000],
      [Date.parse("2026-03-28T23:00:00Z"), Date.parse("2026-03-30T12:00:00Z"), 1_800_000],
    ] as const)
      for (let a = from; a < to; a += step) {
        const want = electricStats(e.t, e.power, e.energy, a, a + step, 100, 30_000);
        expect(spanStats(e, a, a + step, 100, 30_000), new Date(a).toISOString()).toEqual(want);
        if (want.elecWh !== null) compared++;
      }
    // Most spans have electricity (the gap and the end of the data do not).
    expect(compared).toBeGreaterThan(50);
  });
});
