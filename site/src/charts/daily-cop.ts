/** COP per day (heat / Shelly electricity) as bars, with the heat pump's own estimate as dots. */
import * as Plot from "@observablehq/plot";
import type { DailyRow } from "../../../reports/src/types.ts";
import { num, shortDay } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayTicks, isNum } from "./common.ts";
import { colour } from "./palette.ts";

export function dailyCopChart(rows: readonly DailyRow[], opts: { id: string; title?: string }): ChartSpec {
  const days = rows.map((r) => r.day);
  const cop = rows.filter((r) => isNum(r.cop));
  const vendor = rows.filter((r) => isNum(r.cop_vendor));
  return {
    id: opts.id,
    title: opts.title ?? "COP per day",
    caption:
      "Coefficient of performance per local day: heat delivered divided by electricity measured by the Shelly (bars), and divided by the heat pump's own electricity estimate (dots). No bar: not enough data that day.",
    options: {
      ...baseOptions(),
      x: { type: "band", domain: days, ...dayTicks(days), label: null, padding: 0.2 },
      y: { label: "COP", ticks: 5, grid: true, zero: true },
      marks: [
        Plot.barY(cop, { x: "day", y: "cop", fill: colour("cop") }),
        Plot.dot(vendor, {
          x: "day",
          y: "cop_vendor",
          stroke: colour("cop_vendor"),
          fill: "var(--bg)",
          r: 4,
          strokeWidth: 2,
        }),
        Plot.ruleY([0]),
      ],
    },
    legend: [
      { quantity: "cop", label: "COP (Shelly)", style: "bar" },
      { quantity: "cop_vendor", label: "COP (heat pump's estimate)", style: "ring" },
    ],
    table: {
      columns: ["Day", "COP", "COP (heat pump's estimate)"],
      rows: rows.map((r) => [shortDay(r.day), num(r.cop, 2), num(r.cop_vendor, 2)]),
    },
    empty: cop.length === 0 && vendor.length === 0,
  };
}
