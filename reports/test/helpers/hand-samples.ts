/**
 * Small hand-made samples for the unit tests of the metrics (carnot, defrost, mode split): a Shelly
 * every 10 s whose energy counter grows by the power held since the previous poll (a 10 s step at
 * P watts is P / 360 Wh), and heat pump readings with exactly the fields a test names. Other meters
 * (role `backup`, `pumps`, `house`) alike, each with its own counter.
 */
import type { FieldValue } from "../../../core/src/data/line-protocol.ts";
import { SampleBuilder, type Samples } from "../../src/store/samples.ts";

export const MIN = 60_000;

export interface HandSamples {
  /** Shelly readings every 10 s in [fromMs, toMs] at power(t) W. */
  shelly?: { fromMs: number; toMs: number; power: (t: number) => number };
  /** Heat pump readings: time and fields. */
  hp?: { t: number; [field: string]: FieldValue }[];
  /** Viessmann calls used today, as the collector reports them. */
  calls?: { t: number; v: number }[];
  /** Other meters by role, every 10 s like the Shelly above (counter from 50,000 Wh). */
  meters?: { role: string; fromMs: number; toMs: number; power: (t: number) => number }[];
}

export function handSamples(o: HandSamples): Samples {
  const b = new SampleBuilder();
  const meter = (m: NonNullable<HandSamples["shelly"]>, tags: Record<string, string>, startWh: number) => {
    let e = startWh;
    let prevP = Number.NaN;
    for (let t = m.fromMs; t <= m.toMs; t += 10_000) {
      if (!Number.isNaN(prevP)) e += prevP / 360;
      const p = m.power(t);
      b.add("electric", tags, { power_w: p, energy_wh: e }, t);
      prevP = p;
    }
  };
  if (o.shelly) meter(o.shelly, {}, 10_000);
  for (const m of o.meters ?? []) meter(m, { role: m.role }, 50_000);
  for (const { t, ...fields } of o.hp ?? []) b.add("heatpump", {}, fields, t);
  for (const { t, v } of o.calls ?? []) b.add("collector", { source: "viessmann" }, { calls_today: v }, t);
  return b.finish();
}
