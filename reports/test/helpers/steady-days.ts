/**
 * Hand-made history of "steady" local days whose energies are known exactly: on day d the heat pump
 * draws `powerW` the whole day and delivers `heatKwh`, so the day's electricity is powerW × hours
 * (23 on the spring DST day) and its heat heatKwh, with nothing to integrate or estimate.
 *
 * - `electric` every minute: power_w, and energy_wh rising by powerW × 1 min into each reading
 *   (the minute before a reading counts at the power of the reading's day, so days split exactly).
 * - `heatpump` every 5 minutes: the day counters rise by heatKwh / n into each of the day's n
 *   readings and restart at local midnight, the first reading of a day holding its first step.
 * Data stops at `untilMs` (exclusive): "now", or earlier to leave a gap.
 */
import type { Point } from "../../../core/src/data/line-protocol.ts";
import { dayRange } from "../../../core/src/time.ts";

interface SteadyDay {
  day: string;
  powerW: number;
  heatKwh: number;
}

const ELEC_STEP_MS = 60_000;
const HP_STEP_MS = 300_000;

export function steadyDays(tz: string, days: readonly SteadyDay[], untilMs = Infinity): Point[] {
  const out: Point[] = [];
  let energyWh = 100_000;
  for (const d of days) {
    const { startMs, endMs } = dayRange(tz, d.day);
    for (let t = startMs; t < endMs && t < untilMs; t += ELEC_STEP_MS) {
      energyWh += (d.powerW * ELEC_STEP_MS) / 3_600_000;
      out.push({
        measurement: "electric",
        tags: { device: "shelly-test" },
        fields: { power_w: d.powerW, energy_wh: Math.round(energyWh * 1000) / 1000 },
        timeMs: t,
      });
    }
    const n = (endMs - startMs) / HP_STEP_MS;
    for (let k = 0, t = startMs; t < endMs && t < untilMs; k++, t += HP_STEP_MS)
      out.push({
        measurement: "heatpump",
        tags: { device: "vitocal" },
        fields: {
          heat_heating_day_kwh: Math.round(((d.heatKwh * (k + 1)) / n) * 10_000) / 10_000,
          heat_dhw_day_kwh: 0,
          outside_c: 5,
          compressor_on: 1,
        },
        timeMs: t,
      });
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}
