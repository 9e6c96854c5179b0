/**
 * One hand-made winter day for the analytics checks (analytics.test.ts computes every expected value
 * by hand from what is written here). Europe/Berlin, 2026-01-15 (24 hours, local midnight 23:00Z):
 *
 * - Shelly every 10 s from 22:00Z the evening before: 1000 W until 06:00 local (space heating),
 *   1500 W from 06:00 to 07:00 (one hour of hot water), 20 W standby after. The energy counter
 *   grows by the power held since the previous poll. The returned-energy counter (from 50 Wh)
 *   grows 0.5 Wh a poll from 12:00 to 13:00 local: 360 polls, 180 Wh of export.
 * - Heat pump every 5 min from 23:00 local the evening before, outside always 5 °C:
 *   - heating until 06:00: compressor on, dhw_active 0, flow 35 / return 32 °C at 1000 l/h
 *     (1000 * 1.163 * 3 = 3489 W); two defrosts, one seen by the reading at 02:00, a longer one by
 *     the readings at 04:00 and 04:05: defrosting 1, flow 28 / return 30 °C (1000 * 1.163 * -2 =
 *     -2326 W);
 *   - hot water from 06:00 to 07:00: dhw_active 1, flow 50 / return 45 °C (5815 W);
 *   - off from 07:00: compressor off, dhw_active 0, flow = return = 50 °C, 0 l/h.
 *   - Day counters roll over to 0 at local midnight; then heating +0.3 kWh per reading up to 06:00
 *     (72 readings: 21.6 kWh), hot water +0.5 kWh per reading from 06:05 to 07:00 (12: 6.0 kWh);
 *     the device's electricity estimate +0.075 kWh (heating, 5.4 kWh) and +0.1 kWh (hot water,
 *     1.2 kWh) per reading alike.
 */
import type { Point } from "../../../core/src/data/line-protocol.ts";

export const DAY = "2026-01-15";
/** Local midnight starting the day. */
const L0 = Date.parse("2026-01-14T23:00:00Z");
/** Local time on the day (hours may be negative: the evening before). */
const local = (h: number, m = 0) => L0 + (h * 60 + m) * 60_000;

const POLL = 10_000;
const MIN5 = 300_000;

const power = (t: number) => (t < local(6) ? 1000 : t < local(7) ? 1500 : 20);

function electric(): Point[] {
  const out: Point[] = [];
  let e = 2_000_000;
  let prevP = Number.NaN;
  for (let t = local(-1); t < local(24); t += POLL) {
    if (!Number.isNaN(prevP)) e += (prevP * POLL) / 3_600_000;
    const returned = 50 + 0.5 * Math.min(360, Math.max(0, (t - local(12)) / POLL));
    out.push({
      measurement: "electric",
      tags: { device: "shelly-test" },
      fields: { power_w: power(t), energy_wh: e, energy_ret_wh: returned },
      timeMs: t,
    });
    prevP = power(t);
  }
  return out;
}

function heatpump(): Point[] {
  const out: Point[] = [];
  for (let t = local(-1); t < local(24); t += MIN5) {
    const k = Math.round((t - L0) / MIN5); // readings since local midnight (negative: the evening before)
    const heating = t < local(6);
    const dhw = !heating && t < local(7);
    const defrost = t === local(2) || t === local(4) || t === local(4, 5);
    const clamp = (x: number, hi: number) => Math.min(hi, Math.max(0, x));
    const counters =
      k < 0
        ? // The evening before: yesterday's totals, still rising.
          {
            heat_heating_day_kwh: 30 + 0.3 * (k + 12),
            heat_dhw_day_kwh: 5,
            elec_heating_day_kwh: 8 + 0.075 * (k + 12),
            elec_dhw_day_kwh: 1,
          }
        : {
            heat_heating_day_kwh: 0.3 * clamp(k, 72),
            heat_dhw_day_kwh: 0.5 * clamp(k - 72, 12),
            elec_heating_day_kwh: 0.075 * clamp(k, 72),
            elec_dhw_day_kwh: 0.1 * clamp(k - 72, 12),
          };
    out.push({
      measurement: "heatpump",
      tags: { device: "vitocal" },
      fields: {
        outside_c: 5,
        flow_c: defrost ? 28 : heating ? 35 : 50,
        return_c: defrost ? 30 : heating ? 32 : dhw ? 45 : 50,
        flow_lph: heating || dhw ? 1000 : 0,
        compressor_on: heating || dhw ? 1 : 0,
        dhw_active: dhw ? 1 : 0,
        defrosting: defrost ? 1 : 0,
        ...counters,
      },
      timeMs: t,
    });
  }
  return out;
}

export const analyticsDay = (): Point[] => [...electric(), ...heatpump()];
