/**
 * The compressor's speed through a day, in revolutions per second as the heat pump reports it
 * (`compressor_speed_rps`, five-minute means): a modulating compressor runs slower and longer in
 * mild weather, and short bursts at full speed show cycling that the starts count alone hides.
 */
import * as Plot from "@observablehq/plot";
import type { SeriesSet } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayTimeAxis, hhmm, hourlyTable, isNum, withGaps } from "./common.ts";
import { colour } from "./palette.ts";

/** True when the day has compressor-speed data: the chart is drawn only then. */
export const hasCompressorSpeed = (s: SeriesSet): boolean =>
  (s.compressor_speed_rps ?? []).some((p) => isNum(p.v));

export function compressorChart(
  data: { series: SeriesSet; fromMs: number; toMs: number },
  opts: { id: string; title?: string },
): ChartSpec {
  const speed = withGaps(data.series.compressor_speed_rps ?? []);
  return {
    id: opts.id,
    title: opts.title ?? "Compressor speed",
    caption:
      "Compressor speed reported by the heat pump, in revolutions per second (rps; 60 rpm each), " +
      "five-minute means, local time; 0 while it stands still. Breaks in the line are missing data.",
    options: {
      ...baseOptions(),
      x: dayTimeAxis(data.fromMs, data.toMs),
      y: { label: "Compressor speed (rps)", ticks: 5, grid: true, zero: true },
      marks: [
        Plot.ruleY([0]),
        Plot.areaY(speed, { x: "t", y: "v", fill: colour("compressor"), fillOpacity: 0.12 }),
        Plot.lineY(speed, { x: "t", y: "v", stroke: colour("compressor"), strokeWidth: 1.5 }),
      ],
    },
    legend: [{ quantity: "compressor", label: "Compressor speed (rps)", style: "line" }],
    table: hourlyTable(["Hour", "Compressor speed, mean (rps)"], [speed], (v) => num(v, 1), hhmm),
    empty: !speed.some((p) => isNum(p.v)),
  };
}
