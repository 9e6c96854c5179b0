/**
 * The dashboard's current values with their age. COP now: the COP of the newest Viessmann interval
 * (the span between the two newest heat pump samples), defined as for the `cop` series.
 */
import type { Status, StatusValue } from "../types.ts";
import type { LatestValue } from "../store/raw-source.ts";
import type { Samples } from "../store/samples.ts";
import { intervalCop, intervalEnergy } from "./interval-cop.ts";
import { round } from "./primitives.ts";

export const STATUS_FIELDS = [
  "electric.power_w",
  "heatpump.outside_c",
  "heatpump.flow_c",
  "heatpump.return_c",
  "heatpump.dhw_c",
  "heatpump.compressor_on",
  "heatpump.curve_slope",
  "heatpump.curve_shift",
] as const;

interface StatusInput {
  nowMs: number;
  tz: string;
  latest: Map<string, LatestValue>;
  /** Samples around the newest heat pump sample (for COP now). */
  recent: Samples;
  copToday: number | null;
  copTodayMs: number | null;
  elecIntervalMs: number;
  hpIntervalMs: number;
  thresholdW: number;
}

const value = (nowMs: number, unit: string, l: LatestValue | undefined, digits = 2): StatusValue => ({
  value: l ? round(l.v, digits) : null,
  unit,
  timeMs: l ? l.t : null,
  ageS: l ? Math.round((nowMs - l.t) / 1000) : null,
});

/**
 * COP now: the newest Viessmann interval's COP as the `cop` series defines it (interval-cop.ts):
 * heat delivered between the two newest heat pump samples over the Shelly electricity in the same
 * interval; null when the compressor did not run in it or a side is missing.
 */
export function copNow(
  recent: Samples,
  thresholdW: number,
  elecIntervalMs: number,
): { v: number; t: number } | null {
  const n = recent.hp.t.length;
  if (n < 2) return null;
  const x = intervalEnergy(recent, n - 1, { thresholdW, maxElecGapMs: 3 * elecIntervalMs });
  const v = intervalCop(x);
  return v === null ? null : { v, t: x.t1 };
}

/**
 * How old (s) the newest Shelly reading may be for its power to decide whether the compressor runs:
 * a minute, several Shelly polls. Older, the heat pump's own state is the fresher source.
 */
const RUNNING_FRESH_S = 60;

/** Whether the compressor runs, from the freshest source (Status.running). */
function runningState(
  nowMs: number,
  power: LatestValue | undefined,
  compressorOn: LatestValue | undefined,
  thresholdW: number,
): Status["running"] {
  const ageS = (t: number) => Math.round((nowMs - t) / 1000);
  if (power && ageS(power.t) <= RUNNING_FRESH_S)
    return { value: power.v >= thresholdW, source: "shelly", timeMs: power.t, ageS: ageS(power.t) };
  if (compressorOn)
    return {
      value: compressorOn.v >= 0.5,
      source: "viessmann",
      timeMs: compressorOn.t,
      ageS: ageS(compressorOn.t),
    };
  return { value: null, source: null, timeMs: null, ageS: null };
}

export function buildStatus(i: StatusInput): Status {
  const g = (k: (typeof STATUS_FIELDS)[number]) => i.latest.get(k);
  const cn = copNow(i.recent, i.thresholdW, i.elecIntervalMs);
  const slope = g("heatpump.curve_slope");
  const shift = g("heatpump.curve_shift");
  const power = g("electric.power_w");
  const hpTimes = ["heatpump.outside_c", "heatpump.flow_c", "heatpump.compressor_on"].map(
    (k) => i.latest.get(k)?.t ?? -Infinity,
  );
  const hpLast = Math.max(...hpTimes);
  const stale: Status["stale"] = [];
  const expected = {
    shelly: Math.round((2 * i.elecIntervalMs) / 1000),
    viessmann: Math.round((2 * i.hpIntervalMs) / 1000),
  };
  const check = (source: "shelly" | "viessmann", t: number | undefined) => {
    const ageS = t === undefined || !Number.isFinite(t) ? null : Math.round((i.nowMs - t) / 1000);
    const limitS = expected[source];
    if (ageS === null || ageS > limitS) stale.push({ source, ageS, limitS });
  };
  check("shelly", power?.t);
  check("viessmann", hpLast);
  return {
    nowMs: i.nowMs,
    tz: i.tz,
    power_w: value(i.nowMs, "W", power, 1),
    outside_c: value(i.nowMs, "°C", g("heatpump.outside_c")),
    flow_c: value(i.nowMs, "°C", g("heatpump.flow_c")),
    return_c: value(i.nowMs, "°C", g("heatpump.return_c")),
    dhw_c: value(i.nowMs, "°C", g("heatpump.dhw_c")),
    compressor_on: value(i.nowMs, "0/1", g("heatpump.compressor_on"), 0),
    cop_now: value(i.nowMs, "", cn ?? undefined),
    cop_today: {
      value: i.copToday === null ? null : round(i.copToday, 2),
      unit: "",
      timeMs: i.copToday === null ? null : i.copTodayMs,
      ageS: i.copToday === null || i.copTodayMs === null ? null : Math.round((i.nowMs - i.copTodayMs) / 1000),
    },
    running: runningState(i.nowMs, power, g("heatpump.compressor_on"), i.thresholdW),
    expected_age_s: expected,
    stale,
    curve: slope && shift ? { slope: slope.v, shift: shift.v } : null,
  };
}
