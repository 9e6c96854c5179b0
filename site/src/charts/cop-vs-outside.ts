/** Daily COP against the day's mean outside temperature: how efficiency falls as it gets colder. */
import * as Plot from "@observablehq/plot";
import type { DailyRow } from "../../../reports/src/types.ts";
import { num, shortDay } from "../lib/format.ts";
import { baseOptions, type ChartSpec, isNum } from "./common.ts";
import { colour } from "./palette.ts";

export function copVsOutsideChart(
  rows: readonly DailyRow[],
  opts: { id: string; title?: string },
): ChartSpec {
  const points = rows.filter((r) => isNum(r.cop) && isNum(r.outside_mean_c));
  return {
    id: opts.id,
    title: opts.title ?? "COP against outside temperature",
    caption:
      "One dot per day: the day's COP (heat / Shelly electricity) against its mean outside temperature in °C. Days without both values are left out.",
    options: {
      ...baseOptions(),
      // Room for the x-axis label under the tick labels.
      marginBottom: 52,
      x: { label: "Outside, daily mean (°C)", labelOffset: 46, grid: true },
      y: { label: "COP", ticks: 5, grid: true, zero: true },
      marks: [
        Plot.dot(points, { x: "outside_mean_c", y: "cop", fill: colour("cop"), fillOpacity: 0.7, r: 3.5 }),
      ],
    },
    legend: [{ quantity: "cop", label: "Daily COP", style: "dot" }],
    table: {
      columns: ["Day", "Outside, mean (°C)", "COP"],
      rows: points.map((r) => [
        shortDay(r.day) + " " + r.day.slice(0, 4),
        num(r.outside_mean_c),
        num(r.cop, 2),
      ]),
    },
    empty: points.length === 0,
  };
}
