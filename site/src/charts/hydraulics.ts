/**
 * The heating circuit's hydraulics through a day: the flow rate (L/h, left axis) and the difference
 * between flow and return (K, right axis), five-minute means. Thermal power is their product (×
 * 1.163 W per L/h and K), so the pair says whether a change of power came from the pump or from the
 * spread. The two share one frame with two scales: ΔT is drawn on the flow rate's scale, mapped
 * linearly from its own nice range, and the right axis labels it in kelvin. Cooling is shaded (its
 * ΔT is negative: the return is warmer than the flow).
 */
import * as Plot from "@observablehq/plot";
import type { SeriesSet } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayTimeAxis, hhmm, hourlyTable, isNum, withGaps } from "./common.ts";
import { coolingBands, coolingLegend, coolingMarks, coolingNote } from "./cooling-bands.ts";
import { colour } from "./palette.ts";

/** A nice range holding `lo`..`hi` and 0, in about five steps of 1, 2, 2.5 or 5 × a power of ten. */
export function niceRange(lo: number, hi: number, steps = 5): { lo: number; hi: number; step: number } {
  const [a, b] = [Math.min(0, lo), Math.max(0, hi)];
  const raw = (b - a) / steps || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw - 1e-9)!;
  const low = Math.floor(a / step + 1e-9) * step;
  const high = Math.ceil(b / step - 1e-9) * step;
  return { lo: low, hi: high > low ? high : low + step, step };
}

/**
 * The map between the right scale (ΔT's range) and the left one (the frame's): ΔT is drawn in the
 * left scale's units, and the right axis labels those positions with ΔT again.
 */
export function twinScale(
  left: { lo: number; hi: number },
  right: { lo: number; hi: number },
): { toLeft: (v: number) => number; fromLeft: (y: number) => number } {
  const k = (left.hi - left.lo) / (right.hi - right.lo);
  return { toLeft: (v) => left.lo + (v - right.lo) * k, fromLeft: (y) => right.lo + (y - left.lo) / k };
}

const ticksOf = (r: { lo: number; hi: number; step: number }): number[] =>
  Array.from({ length: Math.round((r.hi - r.lo) / r.step) + 1 }, (_, i) => r.lo + i * r.step);

/** True when the day has flow-rate or flow/return-difference data: the chart is drawn only then. */
export const hasHydraulics = (s: SeriesSet): boolean =>
  (s.flow_lph ?? []).some((p) => isNum(p.v)) || (s.delta_t_k ?? []).some((p) => isNum(p.v));

export function hydraulicsChart(
  data: { series: SeriesSet; fromMs: number; toMs: number },
  opts: { id: string; title?: string },
): ChartSpec {
  const flow = withGaps(data.series.flow_lph ?? []);
  const dt = withGaps(data.series.delta_t_k ?? []);
  const hasFlow = flow.some((p) => isNum(p.v));
  const hasDt = dt.some((p) => isNum(p.v));
  const cooling = coolingBands(data.series.cooling);
  const values = (pts: typeof flow) => pts.map((p) => p.v).filter(isNum);
  const flowR = niceRange(0, Math.max(0, ...values(flow)));
  const dtR = niceRange(Math.min(0, ...values(dt)), Math.max(0, ...values(dt)));
  // Without a flow rate, ΔT has the frame (and the left axis) to itself.
  const left = hasFlow ? flowR : dtR;
  const { toLeft, fromLeft } = twinScale(left, dtR);
  const dtOnLeft = dt.map((p) => ({ t: p.t, v: isNum(p.v) ? toLeft(p.v) : null }));
  const dual = hasFlow && hasDt;
  return {
    id: opts.id,
    title: opts.title ?? "Flow rate and flow − return",
    caption:
      (hasFlow
        ? "Flow rate of the heating circuit in litres per hour (left axis)" +
          (hasDt ? " and the difference between flow and return temperature in kelvin (right axis)" : "")
        : "Difference between flow and return temperature in kelvin") +
      ", five-minute means, local time; thermal power is flow rate × difference × 1.163 W. Breaks in a " +
      "line are missing data." +
      coolingNote(cooling),
    options: {
      ...baseOptions(),
      marginRight: dual ? 52 : 16,
      x: dayTimeAxis(data.fromMs, data.toMs),
      y: { domain: [left.lo, left.hi], axis: null },
      marks: [
        ...coolingMarks(cooling),
        Plot.gridY(ticksOf(left)),
        Plot.axisY(ticksOf(left), {
          anchor: "left",
          label: hasFlow ? "Flow rate (L/h)" : "Flow − return (K)",
          tickFormat: (v: number) => num(v, 0),
          ...(dual ? { color: colour("flow_rate") } : {}),
        }),
        ...(dual
          ? [
              Plot.axisY(ticksOf(dtR).map(toLeft), {
                anchor: "right",
                label: "Flow − return (K)",
                tickFormat: (y: number) => num(fromLeft(y), 0),
                color: colour("delta_t"),
              }),
            ]
          : []),
        // ΔT's zero (below it the return is warmer: cooling) where it is not the frame's floor.
        ...(hasDt && dtR.lo < 0
          ? [Plot.ruleY([toLeft(0)], { stroke: colour("delta_t"), strokeOpacity: 0.5 })]
          : []),
        ...(hasFlow
          ? [Plot.lineY(flow, { x: "t", y: "v", stroke: colour("flow_rate"), strokeWidth: 1.75 })]
          : []),
        ...(hasDt
          ? [Plot.lineY(dtOnLeft, { x: "t", y: "v", stroke: colour("delta_t"), strokeWidth: 1.5 })]
          : []),
      ],
    },
    legend: [
      ...(hasFlow
        ? [{ quantity: "flow_rate" as const, label: "Flow rate (L/h)", style: "line" as const }]
        : []),
      ...(hasDt
        ? [{ quantity: "delta_t" as const, label: "Flow − return (K)", style: "line" as const }]
        : []),
      ...coolingLegend(cooling),
    ],
    table: hourlyTable(
      ["Hour", ...(hasFlow ? ["Flow rate, mean (L/h)"] : []), ...(hasDt ? ["Flow − return, mean (K)"] : [])],
      [...(hasFlow ? [flow] : []), ...(hasDt ? [dt] : [])],
      [
        ...(hasFlow ? [(v: number | null) => num(v, 0)] : []),
        ...(hasDt ? [(v: number | null) => num(v, 1)] : []),
      ],
      hhmm,
    ),
    empty: !hasFlow && !hasDt,
  };
}
