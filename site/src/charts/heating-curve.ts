/**
 * The measured heating curve (each day's heat-weighted mean flow temperature during space heating,
 * hot-water and defrost samples left out, against its mean outside temperature) with the configured
 * curve drawn over it. Hot-water cycles run at ~50 °C and would lift the dots above the curve.
 */
import * as Plot from "@observablehq/plot";
import type { DailyRow } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayDots, dayName, isNum, type PeriodLink } from "./common.ts";
import { colour } from "./palette.ts";

/** Room set point the Viessmann curve is anchored on, °C (the device's normal room temperature). */
const ROOM_C = 20;

/**
 * Viessmann's heating curve: flow = room + shift − slope · Δ · (1.4347 + 0.021 · Δ + 247.9e-6 · Δ²),
 * with Δ = outside − room (°C). This is the formula published in Viessmann's service manuals.
 */
export function curveFlow(outsideC: number, slope: number, shift: number): number {
  const d = outsideC - ROOM_C;
  return ROOM_C + shift - slope * d * (1.4347 + 0.021 * d + 247.9e-6 * d * d);
}

export function heatingCurveChart(
  rows: readonly DailyRow[],
  curve: { slope: number; shift: number } | null | undefined,
  opts: { id: string; title?: string; link?: PeriodLink },
): ChartSpec {
  const points = rows.filter((r) => isNum(r.flow_heating_mean_c) && isNum(r.outside_mean_c));
  const style = dayDots(colour("flow"));
  const channels = {
    x: "outside_mean_c",
    y: "flow_heating_mean_c",
    title: (r: DailyRow) =>
      `${dayName(r, true)}: flow ${num(r.flow_heating_mean_c)} °C at ${num(r.outside_mean_c)} °C outside`,
    ...(opts.link ? { href: (r: DailyRow) => opts.link!(r.day) } : {}),
  };
  // Today, not over yet, is a ring.
  const today = points.filter((r) => !r.closed);
  const what =
    "One dot per day: mean flow temperature during space heating only (samples while making hot water or " +
    "defrosting left out; weighted by heat where known) against mean outside temperature, in °C.";
  const line = curve
    ? Array.from({ length: 36 }, (_, i) => -15 + i).map((o) => ({
        o,
        f: curveFlow(o, curve.slope, curve.shift),
      }))
    : [];
  return {
    id: opts.id,
    title: opts.title ?? "Heating curve",
    caption: curve
      ? `${what} The line is the configured curve (slope ${num(curve.slope, 1)}, shift ` +
        `${num(curve.shift, 0)} K, room set point ${ROOM_C} °C).`
      : `${what} The configured curve is not known.`,
    options: {
      ...baseOptions(),
      // Room for the x-axis label under the tick labels.
      marginBottom: 52,
      x: { label: "Outside, daily mean (°C)", labelOffset: 46, grid: true },
      y: { label: "Flow temperature (°C)", ticks: 5, grid: true },
      marks: [
        Plot.dot(
          points.filter((r) => r.closed),
          { ...channels, ...style.done },
        ),
        ...(today.length ? [Plot.dot(today, { ...channels, ...style.partial })] : []),
        ...(line.length
          ? [
              Plot.line(line, {
                x: "o",
                y: "f",
                stroke: colour("curve"),
                strokeWidth: 2,
                strokeDasharray: "6 4",
              }),
            ]
          : []),
      ],
    },
    legend: [
      { quantity: "flow", label: "Measured, space heating (daily)", style: "dot" },
      ...(today.length ? [{ quantity: "flow" as const, label: "Today so far", style: "ring" as const }] : []),
      ...(curve ? [{ quantity: "curve" as const, label: "Configured curve", style: "dash" as const }] : []),
    ],
    table: {
      columns: [
        "Day",
        "Outside, mean (°C)",
        "Flow, space heating (°C)",
        ...(curve ? ["Configured flow (°C)"] : []),
      ],
      rows: points.map((r) => [
        dayName(r, true),
        num(r.outside_mean_c),
        num(r.flow_heating_mean_c),
        ...(curve ? [num(curveFlow(r.outside_mean_c!, curve.slope, curve.shift))] : []),
      ]),
    },
    empty: points.length === 0,
  };
}
