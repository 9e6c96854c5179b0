/** The daily row's analytics (types.ts DayAnalytics) from the day's samples, for both stores alike. */
import type { DayAnalytics } from "../types.ts";
import { carnotSums } from "./carnot.ts";
import { defrostStats } from "./defrost.ts";
import { hourlyElectricity } from "./hourly.ts";
import { counterIncrease, ratio, round } from "./primitives.ts";
import { modeElectricity } from "./mode-split.ts";
import type { Samples } from "../store/samples.ts";
import { type DayRange } from "../../../core/src/time.ts";

interface DayAnalyticsInput {
  tz: string;
  thresholdW: number;
  /** The day's Shelly and heat pump poll intervals (ms), measured or configured. */
  elecIntervalMs: number;
  hpIntervalMs: number;
  /** How the day's electricity was measured (electricStats' method). */
  elecMethod: "counter" | "power" | null;
  heatHeatingKwh: number | null;
  heatDhwKwh: number | null;
  vendorHeatingKwh: number | null;
  vendorDhwKwh: number | null;
}

const kwh = (wh: number | null, digits = 4) => round(wh === null ? null : wh / 1000, digits);

export function dayAnalytics(s: Samples, range: DayRange, o: DayAnalyticsInput): DayAnalytics {
  const { startMs, endMs } = range;
  const maxElecGapMs = 3 * o.elecIntervalMs;
  const maxHpGapMs = 3 * o.hpIntervalMs;
  const modes = modeElectricity(s, startMs, endMs, { thresholdW: o.thresholdW, maxElecGapMs, maxHpGapMs });
  const heatingKwh = modes.heatingWh === null ? null : modes.heatingWh / 1000;
  const dhwKwh = modes.dhwWh === null ? null : modes.dhwWh / 1000;
  const carnot = carnotSums(s, startMs, endMs, { thresholdW: o.thresholdW, maxElecGapMs, maxHpGapMs });
  const defrost = defrostStats(s, startMs, endMs, o.hpIntervalMs);
  const exported = counterIncrease(s.elec.t, s.elec.ret, startMs, endMs);
  const hourly = hourlyElectricity(s, range, o.tz, {
    thresholdW: o.thresholdW,
    maxElecGapMs,
    method: o.elecMethod,
  });
  return {
    elec_heating_kwh: round(heatingKwh, 4),
    elec_dhw_kwh: round(dhwKwh, 4),
    cop_heating: round(ratio(o.heatHeatingKwh, heatingKwh), 3),
    cop_dhw: round(ratio(o.heatDhwKwh, dhwKwh), 3),
    cop_heating_vendor: round(ratio(o.heatHeatingKwh, o.vendorHeatingKwh), 3),
    cop_dhw_vendor: round(ratio(o.heatDhwKwh, o.vendorDhwKwh), 3),
    carnot_pct: round(carnot.intervals > 0 ? ratio(100 * carnot.heatWh, carnot.idealHeatWh) : null, 2),
    carnot_heat_kwh: carnot.intervals > 0 ? kwh(carnot.heatWh) : null,
    carnot_ideal_heat_kwh: carnot.intervals > 0 ? kwh(carnot.idealHeatWh) : null,
    defrost_count: defrost.count,
    defrost_min: round(defrost.minutes, 2),
    defrost_heat_kwh: kwh(defrost.heatWh),
    export_kwh: kwh(exported),
    elec_hourly_kwh: hourly.map((wh) => kwh(wh)),
  };
}
