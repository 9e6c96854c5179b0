/** Flow, return, hot water and outside temperatures over a day or the last 24 hours, in °C. */
import * as Plot from "@observablehq/plot";
import type { SeriesName, SeriesSet } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayTimeAxis, hhmm, hourlyTable, isNum, withGaps } from "./common.ts";
import { colour, type Quantity } from "./palette.ts";

const LINES: { name: SeriesName; quantity: Quantity; label: string }[] = [
  { name: "flow_c", quantity: "flow", label: "Flow" },
  { name: "return_c", quantity: "return", label: "Return" },
  { name: "dhw_c", quantity: "dhw", label: "Hot water" },
  { name: "outside_c", quantity: "outside", label: "Outside" },
];

export function temperatureChart(
  data: { series: SeriesSet; fromMs: number; toMs: number },
  opts: { id: string; title?: string },
): ChartSpec {
  const present = LINES.map((l) => ({ ...l, points: withGaps(data.series[l.name] ?? []) })).filter((l) =>
    l.points.some((p) => isNum(p.v)),
  );
  return {
    id: opts.id,
    title: opts.title ?? "Temperatures",
    caption:
      "Temperatures reported by the heat pump, in °C, local time: flow and return of the heating circuit, " +
      "hot water cylinder, and outside. Breaks in a line are missing data.",
    options: {
      ...baseOptions(),
      x: dayTimeAxis(data.fromMs, data.toMs),
      y: { label: "Temperature (°C)", ticks: 5, grid: true },
      marks: [
        Plot.ruleY([0], { strokeOpacity: 0.4 }),
        ...present.map((l) =>
          Plot.lineY(l.points, { x: "t", y: "v", stroke: colour(l.quantity), strokeWidth: 1.75 }),
        ),
      ],
    },
    legend: present.map((l) => ({ quantity: l.quantity, label: l.label, style: "line" as const })),
    table: hourlyTable(
      ["Hour", ...present.map((l) => `${l.label}, mean (°C)`)],
      present.map((l) => l.points),
      (v) => num(v, 1),
      hhmm,
    ),
    empty: present.length === 0,
  };
}
