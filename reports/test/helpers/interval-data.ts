/**
 * Hand-made samples for the interval tests (interval-cop.test.ts, day-buckets.test.ts): four heat
 * pump samples 5 min apart, no flow rate (heat from the day counters, 0.1 kWh steps), and a Shelly
 * every 10 s whose energy counter grows with the power held since the previous poll:
 * - interval 1 (0-5 min): 1200 W (100 Wh); heating counter 10.0 -> 10.3 kWh: COP 300 / 100 = 3
 * - interval 2 (5-10 min): 1200 W (100 Wh); hot-water counter 3.0 -> 3.2 kWh: COP 200 / 100 = 2
 * - interval 3 (10-15 min): 15 W standby, counters still: compressor off, no COP (null, not 0)
 */
import { SampleBuilder, type Samples } from "../../src/store/samples.ts";

export const MIN5 = 300_000;

export function counterDay(opts: { elec?: boolean; shellyFrom?: number; offsetMs?: number } = {}): Samples {
  const off = opts.offsetMs ?? 0;
  const b = new SampleBuilder();
  const heating = [10.0, 10.3, 10.3, 10.3];
  const dhw = [3.0, 3.0, 3.2, 3.2];
  for (let k = 0; k < 4; k++)
    b.add(
      "heatpump",
      {},
      { heat_heating_day_kwh: heating[k]!, heat_dhw_day_kwh: dhw[k]!, compressor_on: k < 3 ? 1 : 0 },
      off + k * MIN5,
    );
  if (opts.elec !== false) {
    let e = 5000;
    let prevP = Number.NaN;
    for (let t = opts.shellyFrom ?? 0; t <= 3 * MIN5; t += 10_000) {
      if (!Number.isNaN(prevP)) e += (prevP * 10_000) / 3_600_000;
      const p = t < 2 * MIN5 ? 1200 : 15;
      b.add("electric", {}, { power_w: p, energy_wh: e }, off + t);
      prevP = p;
    }
  }
  return b.finish();
}
