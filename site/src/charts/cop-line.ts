/** COP through a day: thermal over electric power, as the report engine computes it per interval. */
import * as Plot from "@observablehq/plot";
import type { SeriesSet } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, hhmm, hourlyTable, isNum, withGaps } from "./common.ts";
import { colour } from "./palette.ts";

const COP_AXIS_MAX = 8;

export function copLineChart(
  data: { series: SeriesSet; fromMs: number; toMs: number },
  opts: { id: string; title?: string },
): ChartSpec {
  const cop = withGaps(data.series.cop ?? []);
  return {
    id: opts.id,
    title: opts.title ?? "COP through the day",
    caption:
      "Coefficient of performance while the heat pump runs: thermal power over electric power, local time; values above 8 (start-up transients) are drawn at 8. No line: standby or missing data.",
    options: {
      ...baseOptions(),
      x: {
        type: "time",
        domain: [new Date(data.fromMs), new Date(data.toMs)],
        tickFormat: "%H:%M",
        ticks: "4 hours",
        label: null,
      },
      // Start-up transients (little electricity, heat still flowing) give spikes of 15-20 that would
      // flatten the rest of the day: the axis stops at 8 and higher values are drawn at the top.
      y: { label: "COP", ticks: 5, grid: true, domain: [0, COP_AXIS_MAX], clamp: true },
      marks: [Plot.ruleY([0]), Plot.lineY(cop, { x: "t", y: "v", stroke: colour("cop"), strokeWidth: 1.75 })],
    },
    legend: [{ quantity: "cop", label: "COP", style: "line" }],
    table: hourlyTable(["Hour", "COP, mean"], [cop], (v) => num(v, 2), hhmm),
    empty: !cop.some((p) => isNum(p.v)),
  };
}
