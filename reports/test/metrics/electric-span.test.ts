/**
 * spanStats is electricStats without the six-hour look-back: over hours and half hours of the
 * hand-made days (a counter reset, a gap of hours, a minute without energy readings, standby and
 * running) it gives the electricity worked out by hand from the days' powers (helpers/analytics-day.ts,
 * helpers/hand-data.ts): a 10 s step at P watts is P / 360 Wh.
 */
import { describe, expect, it } from "vitest";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
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

/** Wh of one 10 s step at a power (W). */
const step = (w: number) => w / 360;
const H = 3_600_000;

describe("spanStats", () => {
  // The samples are built once, by the first span asked in a test (not while the tests are collected).
  let s: ReturnType<typeof samples> | undefined;
  const span = (from: string, ms: number) =>
    spanStats((s ??= samples()).elec, Date.parse(from), Date.parse(from) + ms, 100, 30_000);
  /** elecWh, runningWh and standbyWh to 6 decimals. */
  const energies = (x: ReturnType<typeof spanStats>) =>
    [x.elecWh, x.runningWh, x.standbyWh].map((v) => (v === null ? null : Math.round(v * 1e6) / 1e6));
  const wh = (...xs: (number | null)[]) => xs.map((v) => (v === null ? null : Math.round(v * 1e6) / 1e6));

  it("the winter day, local hour by hour: 1000 W to 06:00, 1500 W to 07:00, 20 W after", () => {
    // 2026-01-15 in Berlin starts at 23:00Z. A step counts in the hour of the reading that ends it.
    const hour = (h: number) => span(new Date(Date.parse("2026-01-14T23:00:00Z") + h * H).toISOString(), H);
    for (let h = 0; h < 6; h++) {
      // 360 steps at 1000 W (the first from 23:59:50 the evening before, also 1000 W): all running.
      expect(energies(hour(h)), `hour ${h}`).toEqual(wh(360 * step(1000), 360 * step(1000), 0));
      expect(hour(h)).toMatchObject({ samples: 360, method: "counter", runningMs: H, starts: 0 });
    }
    // 06: one step at 1000 W, 359 at 1500 W.
    expect(energies(hour(6))).toEqual(wh(step(1000) + 359 * step(1500), step(1000) + 359 * step(1500), 0));
    // 07: the step from 06:59:50 (1500 W) runs, 359 at 20 W stand by.
    expect(energies(hour(7))).toEqual(wh(step(1500) + 359 * step(20), step(1500), 359 * step(20)));
    expect(hour(7)).toMatchObject({ runningMs: 10_000, starts: 0 });
    expect(energies(hour(8))).toEqual(wh(360 * step(20), 0, 360 * step(20)));
    // 09:59:00-09:59:50 have power but no energy reading: hour 09 has 354 counter steps; the step
    // ending 10:00:00 reaches back 70 s to the older energy reading (not to the last power reading),
    // counts in 10's electricity, and is a gap (over 30 s) for the running/standby split.
    expect(energies(hour(9))).toEqual(wh(354 * step(20), 0, 354 * step(20)));
    expect(energies(hour(10))).toEqual(wh(7 * step(20) + 359 * step(20), 0, 359 * step(20)));
    expect(hour(10)).toMatchObject({ samples: 360, runningMs: 0, starts: 0 });
  });

  it("the March days: a start, a counter reset, a gap of hours, the end of the data", () => {
    const HALF = H / 2;
    // Local midnight of 29 March (23:00Z): 1200 W begins; the step ending 23:00:00 is still 60 W.
    const start = span("2026-03-28T23:00:00Z", HALF);
    expect(energies(start)).toEqual(wh(step(60) + 179 * step(1200), 179 * step(1200), step(60)));
    expect(start).toMatchObject({ samples: 180, starts: 1, runningMs: 179 * 10_000 });
    // The counter restarts at 12:00Z holding one step: that step still counts 60 W for 10 s.
    expect(energies(span("2026-03-29T12:00:00Z", HALF))).toEqual(wh(180 * step(60), 0, 180 * step(60)));
    // No readings from 04:00Z to 07:00Z on the 30th: nothing in the gap; after it, the counter step
    // over 3 h 10 s at 60 W (180.1667 Wh) counts in the electricity but in neither running nor standby.
    expect(span("2026-03-30T04:00:00Z", HALF)).toMatchObject({ samples: 0, elecWh: null, runningWh: null });
    const after = span("2026-03-30T07:00:00Z", HALF);
    expect(energies(after)).toEqual(wh(((3 * H + 10_000) * 60) / H + 179 * step(60), 0, 179 * step(60)));
    expect(after).toMatchObject({ runningMs: 0, starts: 0 });
    // The data ends at 10:00Z.
    expect(span("2026-03-30T10:00:00Z", HALF)).toMatchObject({ samples: 0, elecWh: null, method: null });
  });

  it("a reading older than the six-hour look-back does not start the first step", () => {
    const t0 = Date.parse("2026-03-01T12:00:00Z");
    const e = {
      t: [t0 - 7 * H, t0 + 10_000, t0 + 20_000],
      power: [100, 100, 100],
      energy: [0, 100, 101],
      ret: [],
    };
    // Only the step from t0 + 10 s to t0 + 20 s: 1 Wh, running (100 W is the threshold).
    expect(spanStats(e, t0, t0 + H, 100, 30_000)).toEqual({
      samples: 2,
      elecWh: 1,
      method: "counter",
      runningWh: 1,
      standbyWh: 0,
      runningMs: 10_000,
      starts: 0,
    });
  });
});
