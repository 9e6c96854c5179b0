/**
 * COP through a day, per Viessmann interval as the report engine defines it (reports/src/interval-cop.ts):
 * the heat delivered between two heat pump readings over the Shelly electricity in the same interval.
 * Intervals in which the compressor did not run are gaps. Dots mark the intervals, so a run of one
 * interval (no line segment) still shows.
 */
import * as Plot from "@observablehq/plot";
import type { SeriesSet } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayTimeAxis, hhmm, hourlyEnergy, isNum, withGaps } from "./common.ts";
import { colour } from "./palette.ts";

export function copLineChart(
  data: { series: SeriesSet; fromMs: number; toMs: number },
  opts: { id: string; title?: string },
): ChartSpec {
  const cop = withGaps(data.series.cop ?? []);
  return {
    id: opts.id,
    title: opts.title ?? "COP through the day",
    caption:
      "Coefficient of performance per five minutes, local time: the heat delivered (each Viessmann " +
      "interval's heat, flow rate × 1.163 × flow–return spread for the time the compressor ran, else the " +
      "device's heat counters, spread over the five minutes it covers) over the electricity the Shelly " +
      "metered in the same five minutes. Dips are defrosts (heat drawn from the water). No line: the " +
      "compressor did not run, or data is missing.",
    options: {
      ...baseOptions(),
      x: dayTimeAxis(data.fromMs, data.toMs),
      // Heat and electricity of the same interval: no start-up spikes to hide, so no axis cap.
      y: { label: "COP", ticks: 5, grid: true },
      marks: [
        Plot.ruleY([0]),
        Plot.lineY(cop, { x: "t", y: "v", stroke: colour("cop"), strokeWidth: 1.75 }),
        Plot.dot(
          cop.filter((p) => isNum(p.v)),
          // Each dot names its interval and value on hover (the line itself carries no titles).
          {
            x: "t",
            y: "v",
            fill: colour("cop"),
            r: 1.5,
            title: (p: { t: Date; v: number }) => `${hhmm(p.t)}: COP ${num(p.v, 2)}`,
          },
        ),
      ],
    },
    legend: [{ quantity: "cop", label: "COP", style: "line" }],
    // Per hour, the COP is that hour's heat over its electricity: the ratio of the sums beside it.
    table: {
      columns: ["Hour", "Heat (kWh)", "Electricity (kWh)", "COP"],
      rows: hourlyEnergy(data.series).map((h) => [
        hhmm(new Date(h.hourMs)),
        num(h.heatKwh, 2),
        num(h.elecKwh, 2),
        num(h.cop, 2),
      ]),
    },
    empty: !cop.some((p) => isNum(p.v)),
  };
}
