/**
 * Hand-written history in Europe/Berlin with values chosen so every metric can be computed by hand
 * (see the expected numbers in engine.test.ts):
 * - 2026-03-29 (23 h, DST starts): 1200 W for 2 h from local midnight and 1 h from 05:00Z, 60 W
 *   otherwise; the energy counter resets at 12:00Z; heat day counters roll over at local midnight.
 *   The returned-energy counter (`energy_ret_wh`, from 100 Wh) rises 1 Wh per poll from 10:00Z to
 *   11:00Z: 360 Wh of export.
 * - 2026-03-30: electricity until 10:00Z only (a gap), no heat pump data at all.
 * - 2026-10-25 (25 h, DST ends): zero electricity, 1 kWh of heat.
 */
import { encodePoint, type Point } from "../../../core/src/data/line-protocol.ts";

const Z = (s: string) => Date.parse(s);
const step = 10_000;

function electric(
  from: number,
  to: number,
  power: (t: number) => number,
  startWh: number,
  resetAt?: number,
  returned?: (t: number) => number,
): Point[] {
  const out: Point[] = [];
  let e = startWh;
  let prevP = Number.NaN;
  for (let t = from; t < to; t += step) {
    if (!Number.isNaN(prevP)) e += (prevP * step) / 3_600_000;
    // A reset: the counter restarts at 0 just after the previous poll, so it now holds one step.
    if (t === resetAt) e = (prevP * step) / 3_600_000;
    const p = power(t);
    out.push({
      measurement: "electric",
      tags: { device: "shelly-test" },
      fields: { power_w: p, energy_wh: e, ...(returned ? { energy_ret_wh: returned(t) } : {}) },
      timeMs: t,
    });
    prevP = p;
  }
  return out;
}

export function march(): Point[] {
  const dayStart = Z("2026-03-28T23:00:00Z");
  const power = (t: number) =>
    (t >= dayStart && t < Z("2026-03-29T01:00:00Z")) ||
    (t >= Z("2026-03-29T05:00:00Z") && t < Z("2026-03-29T06:00:00Z"))
      ? 1200
      : 60;
  // From 22:00Z the evening before (standby) to 10:00Z on the 30th: 22:00Z..10:00Z the next day.
  const pts = electric(
    Z("2026-03-28T22:00:00Z"),
    Z("2026-03-30T10:00:00Z"),
    power,
    1_000_000,
    Z("2026-03-29T12:00:00Z"),
    // 100 Wh, then 1 Wh more at every poll after 10:00Z up to 11:00Z (360 polls).
    (t) => 100 + Math.min(360, Math.max(0, (t - Z("2026-03-29T10:00:00Z")) / step)),
  );
  // Heat pump: baseline sample the evening before, then every 300 s through the 23-hour day.
  pts.push({
    measurement: "heatpump",
    tags: { device: "vitocal" },
    fields: {
      heat_heating_day_kwh: 20,
      heat_dhw_day_kwh: 3,
      elec_heating_day_kwh: 5,
      elec_dhw_day_kwh: 1.5,
      compressor_starts: 100,
      outside_c: 4,
    },
    timeMs: Z("2026-03-28T22:55:00Z"),
  });
  for (let k = 0; k < 276; k++) {
    const heating = 0.2 * Math.min(k, 24) + 0.2 * Math.max(0, Math.min(k, 84) - 72);
    const dhw = k >= 100 ? 1 : 0;
    const stepping = (k >= 1 && k <= 24) || (k >= 73 && k <= 84);
    pts.push({
      measurement: "heatpump",
      tags: { device: "vitocal" },
      fields: {
        heat_heating_day_kwh: Math.round(heating * 10) / 10,
        heat_dhw_day_kwh: dhw,
        elec_heating_day_kwh: Math.round(heating * 10) / 40,
        elec_dhw_day_kwh: dhw / 2,
        compressor_starts: k >= 60 ? 102 : 101,
        outside_c: k % 2 === 0 ? 4 : 6,
        flow_c: k === 100 ? 50 : stepping ? 40 : 30,
        return_c: 28,
        compressor_on: stepping ? 1 : 0,
        curve_slope: 0.6,
        curve_shift: 2,
      },
      timeMs: dayStart + k * 300_000,
    });
  }
  for (const [t, v] of [
    ["2026-03-29T00:00:00Z", 10],
    ["2026-03-29T12:00:00Z", 42],
    ["2026-03-29T21:00:00Z", 40],
  ] as const)
    pts.push({
      measurement: "collector",
      tags: { source: "viessmann" },
      fields: { calls_today: v, budget: 1400 },
      timeMs: Z(t),
    });
  return pts;
}

export function october(): Point[] {
  const pts = electric(Z("2026-10-24T22:00:00Z"), Z("2026-10-25T23:00:00Z"), () => 0, 5000);
  for (let k = 0; k < 300; k++) {
    pts.push({
      measurement: "heatpump",
      tags: { device: "vitocal" },
      fields: {
        heat_dhw_day_kwh: Math.round((k / 299) * 1000) / 1000,
        outside_c: 10,
        curve_slope: 0.6,
        curve_shift: 2,
      },
      timeMs: Z("2026-10-24T22:00:00Z") + k * 300_000,
    });
  }
  return pts;
}

export const lines = (pts: Point[]) => pts.map(encodePoint).join("\n") + "\n";
