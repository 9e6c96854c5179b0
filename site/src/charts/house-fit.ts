/**
 * The house: each day's mean space-heating power against its mean outside temperature, with the
 * line the report engine fitted through them (reports/src/house-fit.ts). Its slope is the heat loss
 * (W/K), it reaches 0 W at the balance point, and its value at the design temperature (dashed
 * extension, ring) is the design load the heat pump must cover on the coldest design day.
 */
import * as Plot from "@observablehq/plot";
import type { DailyRow, Totals } from "../../../reports/src/types.ts";
import { houseFitPoints } from "../../../reports/src/rollup/house-fit.ts";
import { num, shortDay } from "../lib/format.ts";
import { baseOptions, type ChartSpec } from "./common.ts";
import { colour } from "./palette.ts";

type Fit = Pick<Totals, "heat_loss_w_per_k" | "balance_point_c" | "design_load_w" | "house_fit_days">;

export function houseFitChart(
  rows: readonly DailyRow[],
  fit: Fit,
  designOutsideC: number,
  opts: { id: string; title?: string; indoor?: string | null },
): ChartSpec {
  const points = houseFitPoints(rows);
  const slope = fit.heat_loss_w_per_k;
  const balance = fit.balance_point_c;
  const lineAt = (o: number) => (slope !== null && balance !== null ? slope * (balance - o) : null);
  const coldest = Math.min(...points.map((p) => p.outside_c));
  // The fitted line over the days it was fitted to, extended (dashed) down to the design temperature.
  const fitted =
    slope !== null && balance !== null
      ? [
          { o: coldest, w: lineAt(coldest)! },
          { o: balance, w: 0 },
        ]
      : [];
  const design =
    slope !== null && fit.design_load_w !== null
      ? [
          { o: designOutsideC, w: fit.design_load_w },
          { o: coldest, w: lineAt(coldest)! },
        ]
      : [];
  const what =
    "One dot per day used for the fit (closed days with space heating and at least 90 % heat pump data): " +
    "mean space-heating power in W against mean outside temperature in °C.";
  return {
    id: opts.id,
    title: opts.title ?? "The house: heating power against outside temperature",
    caption:
      slope !== null
        ? `${what} The line is the least-squares fit: ${num(slope, 0)} W per kelvin colder, 0 W at ` +
          `${num(balance, 1)} °C (the balance point), ${num(fit.design_load_w, 0)} W at the design temperature ` +
          `of ${num(designOutsideC, 0)} °C (ring).` +
          (opts.indoor ? ` Indoor temperature used: ${opts.indoor}.` : "")
        : `${what} No line: a fit needs at least 14 such days (${fit.house_fit_days ?? 0} so far).`,
    options: {
      ...baseOptions(),
      // Room for the x-axis label under the tick labels; the design ring stays inside the frame.
      marginBottom: 52,
      inset: 8,
      x: { label: "Outside, daily mean (°C)", labelOffset: 46, grid: true },
      y: { label: "Space heating, daily mean (W)", ticks: 5, grid: true, zero: true },
      marks: [
        Plot.ruleY([0]),
        Plot.dot(points, { x: "outside_c", y: "heating_w", fill: colour("heating"), fillOpacity: 0.6, r: 3 }),
        ...(fitted.length
          ? [Plot.line(fitted, { x: "o", y: "w", stroke: colour("curve"), strokeWidth: 2 })]
          : []),
        ...(design.length
          ? [
              Plot.line(design, {
                x: "o",
                y: "w",
                stroke: colour("curve"),
                strokeWidth: 2,
                strokeDasharray: "6 4",
              }),
              Plot.dot(design.slice(0, 1), {
                x: "o",
                y: "w",
                stroke: colour("curve"),
                strokeWidth: 2.5,
                r: 6,
              }),
            ]
          : []),
      ],
    },
    legend: [
      { quantity: "heating", label: "Day (space heating)", style: "dot" },
      ...(fitted.length
        ? [{ quantity: "curve" as const, label: "Fitted line", style: "line" as const }]
        : []),
      ...(design.length
        ? [
            {
              quantity: "curve" as const,
              label: `Design load at ${num(designOutsideC, 0)} °C`,
              style: "ring" as const,
            },
          ]
        : []),
    ],
    table: {
      columns: ["Day", "Outside, mean (°C)", "Space heating, mean (W)"],
      rows: points.map((p) => [
        shortDay(p.day) + " " + p.day.slice(0, 4),
        num(p.outside_c),
        num(p.heating_w, 0),
      ]),
    },
    empty: points.length === 0,
  };
}
