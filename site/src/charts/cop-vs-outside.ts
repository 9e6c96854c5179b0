/**
 * Daily COP against the day's mean outside temperature: how efficiency falls as it gets colder. Each
 * dot links to its day and names it on hover; today's, not over yet, is a ring.
 */
import * as Plot from "@observablehq/plot";
import type { DailyRow } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayDots, dayName, isNum, type PeriodLink } from "./common.ts";
import { colour } from "./palette.ts";

export function copVsOutsideChart(
  rows: readonly DailyRow[],
  opts: { id: string; title?: string; link?: PeriodLink },
): ChartSpec {
  const points = rows.filter((r) => isNum(r.cop) && isNum(r.outside_mean_c));
  const style = dayDots(colour("cop"));
  const channels = {
    x: "outside_mean_c",
    y: "cop",
    title: (r: DailyRow) => `${dayName(r, true)}: COP ${num(r.cop, 2)} at ${num(r.outside_mean_c)} °C`,
    ...(opts.link ? { href: (r: DailyRow) => opts.link!(r.day) } : {}),
  };
  const today = points.filter((r) => !r.closed);
  return {
    id: opts.id,
    title: opts.title ?? "COP against outside temperature",
    caption:
      "One dot per day: the day's COP (heat / Shelly electricity) against its mean outside temperature in " +
      "°C. Days without both values are left out.",
    options: {
      ...baseOptions(),
      // Room for the x-axis label under the tick labels.
      marginBottom: 52,
      x: { label: "Outside, daily mean (°C)", labelOffset: 46, grid: true },
      y: { label: "COP", ticks: 5, grid: true, zero: true },
      marks: [
        Plot.dot(
          points.filter((r) => r.closed),
          { ...channels, ...style.done },
        ),
        ...(today.length ? [Plot.dot(today, { ...channels, ...style.partial })] : []),
      ],
    },
    legend: [
      { quantity: "cop", label: "Daily COP", style: "dot" },
      ...(today.length ? [{ quantity: "cop" as const, label: "Today so far", style: "ring" as const }] : []),
    ],
    table: {
      columns: ["Day", "Outside, mean (°C)", "COP"],
      rows: points.map((r) => [dayName(r, true), num(r.outside_mean_c), num(r.cop, 2)]),
    },
    empty: points.length === 0,
  };
}
