/** One daily row from raw samples: the unit everything rolls up from. */
import type { DailyRow } from "../types.ts";
import { dayAnalytics } from "./day-analytics.ts";
import { coolingStats } from "./cooling.ts";
import { systemFigures } from "./system.ts";
import { type Samples, LOOKBACK_MS } from "../store/samples.ts";
import {
  counterIncrease,
  round,
  coveragePct,
  electricStats,
  maxOf,
  meanOf,
  medianSpacing,
  ratio,
  sumOrNull,
  thermalW,
  weightedMean,
} from "./primitives.ts";
import { type DayRange } from "../../../core/src/time.ts";
import { lowerBound } from "../../../core/src/sorted.ts";

export interface DailyOptions {
  /** Zone of the local clock hours the electricity is kept by (hourly.ts); default UTC. */
  tz?: string;
  thresholdW: number;
  /** Configured sample spacing (ms), used when a day has too few samples to infer it. */
  elecIntervalMs: number;
  hpIntervalMs: number;
}

const kwh = (wh: number | null) => round(wh === null ? null : wh / 1000, 4);

export function computeDailyRow(s: Samples, range: DayRange, nowMs: number, o: DailyOptions): DailyRow {
  const { startMs, endMs } = range;
  const closed = endMs <= nowMs;
  const observedMs = Math.max(0, Math.min(endMs, nowMs) - startMs);

  // Electricity (Shelly).
  const e = s.elec;
  const e0 = lowerBound(e.t, startMs);
  const e1 = lowerBound(e.t, endMs);
  const elecInterval = medianSpacing(e.t, e0, e1) ?? o.elecIntervalMs;
  const es = electricStats(e.t, e.power, e.energy, startMs, endMs, o.thresholdW, 3 * elecInterval);

  // Heat pump (Viessmann).
  const h = s.hp;
  const f = h.f;
  const h0 = lowerBound(h.t, startMs);
  const h1 = lowerBound(h.t, endMs);
  const hpInterval = medianSpacing(h.t, h0, h1) ?? o.hpIntervalMs;
  const heatHeating = counterIncrease(h.t, f.heat_heating_day_kwh, startMs, endMs);
  const heatDhw = counterIncrease(h.t, f.heat_dhw_day_kwh, startMs, endMs);
  const heat = sumOrNull(heatHeating, heatDhw);
  const vendorHeating = counterIncrease(h.t, f.elec_heating_day_kwh, startMs, endMs);
  const vendorDhw = counterIncrease(h.t, f.elec_dhw_day_kwh, startMs, endMs);
  const vendor = sumOrNull(vendorHeating, vendorDhw);
  const startsVendor = counterIncrease(h.t, f.compressor_starts, startMs, endMs);
  const flow = flowMean(s, startMs, endMs);
  const flowHeating = flowMean(s, startMs, endMs, true);
  const room = roomMean(s, startMs, endMs);

  // Cooling (cooling.ts): elec_kwh stays the whole meter; the heating COPs leave cooling out.
  const cooling = coolingStats(s, startMs, endMs, {
    thresholdW: o.thresholdW,
    maxElecGapMs: 3 * elecInterval,
    maxHpGapMs: 3 * hpInterval,
  });
  const coolingElecKwh = kwh(cooling.elecWh);
  const elecKwh = es.elecWh === null ? null : es.elecWh / 1000;
  const runningKwh = es.runningWh === null ? null : es.runningWh / 1000;
  const heatingElecKwh = elecKwh === null ? null : elecKwh - (cooling.elecWh ?? 0) / 1000;
  const heatingRunningKwh = runningKwh === null ? null : runningKwh - (cooling.runningWh ?? 0) / 1000;
  const runningH = es.runningMs === null ? null : es.runningMs / 3_600_000;
  const c0 = lowerBound(s.calls.t, startMs);
  const c1 = lowerBound(s.calls.t, endMs);

  return {
    day: range.day,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    hours: (endMs - startMs) / 3_600_000,
    closed,
    elec_kwh: kwh(es.elecWh),
    elec_method: es.method,
    heat_kwh: round(heat, 4),
    heat_heating_kwh: round(heatHeating, 4),
    heat_dhw_kwh: round(heatDhw, 4),
    elec_vendor_kwh: round(vendor, 4),
    elec_vendor_heating_kwh: round(vendorHeating, 4),
    elec_vendor_dhw_kwh: round(vendorDhw, 4),
    cop: round(ratio(heat, heatingElecKwh), 3),
    cop_vendor: round(ratio(heat, vendor), 3),
    running_elec_kwh: kwh(es.runningWh),
    standby_elec_kwh: kwh(es.standbyWh),
    running_hours: round(runningH, 4),
    cop_running: round(ratio(heat, heatingRunningKwh), 3),
    starts: es.starts,
    // starts and runningH are null alike (no power step), and with 0 starts round() makes x / 0 null.
    // Stryker disable next-line LogicalOperator: equivalent, see above
    mean_run_min: round(es.starts && runningH !== null ? (runningH * 60) / es.starts : null, 2),
    starts_vendor: round(startsVendor, 0),
    ...systemFigures(s, startMs, endMs, {
      thresholdW: o.thresholdW,
      elecIntervalMs: o.elecIntervalMs,
      heatKwh: heat,
      elecKwh,
      coolingElecKwh: cooling.elecWh === null ? null : cooling.elecWh / 1000,
      backupVendorKwh: sumOrNull(
        counterIncrease(h.t, f.heating_rod_heating_day_kwh, startMs, endMs),
        counterIncrease(h.t, f.heating_rod_dhw_day_kwh, startMs, endMs),
      ),
    }),
    cooling_kwh: kwh(cooling.coolingWh),
    cooling_elec_kwh: coolingElecKwh,
    cooling_running_elec_kwh: kwh(cooling.runningWh),
    eer: round(cooling.eer, 3),
    room_mean_c: round(room, 2),
    outside_mean_c: round(meanOf(f.outside_c, h0, h1), 2),
    flow_mean_c: round(flow.mean, 2),
    flow_weighting: flow.mean === null ? null : flow.weighting,
    flow_heating_mean_c: round(flowHeating.mean, 2),
    flow_heating_weighting: flowHeating.mean === null ? null : flowHeating.weighting,
    coverage_elec_pct: round(coveragePct(es.samples, observedMs, elecInterval), 1) ?? 0,
    coverage_hp_pct: round(coveragePct(h1 - h0, observedMs, hpInterval), 1) ?? 0,
    outliers: lowerBound(s.outliers, endMs) - lowerBound(s.outliers, startMs),
    viessmann_calls: maxOf(s.calls.v, c0, c1),
    ...dayAnalytics(s, range, {
      tz: o.tz ?? "UTC",
      thresholdW: o.thresholdW,
      elecIntervalMs: elecInterval,
      hpIntervalMs: hpInterval,
      elecMethod: es.method,
      heatHeatingKwh: heatHeating,
      heatDhwKwh: heatDhw,
      vendorHeatingKwh: vendorHeating,
      vendorDhwKwh: vendorDhw,
    }),
  };
}

/**
 * The day's room temperature (`room_c`) weighted like flow_mean_c, by heat per sample; a plain mean
 * of the readings where the day has no heat (a summer day); null without readings.
 */
export function roomMean(s: Samples, startMs: number, endMs: number): number | null {
  const weighted = flowMean(s, startMs, endMs, false, "room_c");
  if (weighted.weighting === "heat" && weighted.mean !== null) return weighted.mean;
  return meanOf(s.hp.f.room_c, lowerBound(s.hp.t, startMs), lowerBound(s.hp.t, endMs));
}

/**
 * Mean flow temperature weighted by heat per sample where it is known (thermal power from flow rate
 * and spread, else the heat day counters' step into the sample), else by running time (compressor
 * on). Days on which the heat pump produced nothing have no heat-weighted flow: null.
 * `heatingOnly`: space heating only, the measured heating curve. Samples taken while hot water was
 * made (`dhw_active` = 1, flow ~50 °C) or while defrosting (`defrosting` = 1) are left out, and the
 * counter weight is the step of the heating counter alone. `column`: the temperature averaged
 * (the room's, roomMean), weighted alike.
 */
export function flowMean(
  s: Samples,
  startMs: number,
  endMs: number,
  heatingOnly = false,
  column: "flow_c" | "room_c" = "flow_c",
): { mean: number | null; weighting: "heat" | "running" } {
  const { t, f } = s.hp;
  const i0 = lowerBound(t, startMs);
  const i1 = lowerBound(t, endMs);
  const values: number[] = [];
  const thermal: number[] = [];
  const counter: number[] = [];
  const running: number[] = [];
  let hasThermal = false;
  let hasCounter = false;
  // Stryker disable next-line BooleanLiteral: with no compressor_on reading all running weights are 0: mean null
  let hasRunning = false;
  let prev = Number.NaN;
  for (let i = lowerBound(t, startMs - LOOKBACK_MS); i < i1; i++) {
    const hh = f.heat_heating_day_kwh[i]!;
    const hd = heatingOnly ? Number.NaN : f.heat_dhw_day_kwh[i]!;
    const c =
      Number.isNaN(hh) && Number.isNaN(hd)
        ? Number.NaN
        : (Number.isNaN(hh) ? 0 : hh) + (Number.isNaN(hd) ? 0 : hd);
    const step = Number.isNaN(c) || Number.isNaN(prev) ? Number.NaN : c >= prev ? c - prev : c;
    if (!Number.isNaN(c)) prev = c;
    if (i < i0 || Number.isNaN(f[column][i]!)) continue;
    if (heatingOnly && (f.dhw_active[i] === 1 || f.defrosting[i] === 1)) continue;
    values.push(f[column][i]!);
    const w = thermalW(f.flow_lph[i]!, f.flow_c[i]!, f.return_c[i]!);
    thermal.push(Number.isNaN(w) ? 0 : Math.max(0, w));
    if (!Number.isNaN(w)) hasThermal = true;
    counter.push(Number.isNaN(step) ? 0 : step);
    if (!Number.isNaN(step)) hasCounter = true;
    running.push(f.compressor_on[i]! > 0 ? 1 : 0);
    if (!Number.isNaN(f.compressor_on[i]!)) hasRunning = true;
  }
  if (hasThermal) return { mean: weightedMean(values, thermal), weighting: "heat" };
  if (hasCounter) return { mean: weightedMean(values, counter), weighting: "heat" };
  return { mean: hasRunning ? weightedMean(values, running) : null, weighting: "running" };
}
