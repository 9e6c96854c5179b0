/**
 * COP per day (heat / Shelly electricity) as bars, with the heat pump's own estimate as dots; today's
 * bar marked as partial, bars and dots linking to their day.
 */
import * as Plot from "@observablehq/plot";
import type { DailyRow } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import {
  baseOptions,
  type ChartSpec,
  dayName,
  dayTicks,
  isNum,
  partialLegend,
  type PeriodLink,
  splitBars,
} from "./common.ts";
import { colour } from "./palette.ts";

export function dailyCopChart(
  rows: readonly DailyRow[],
  opts: { id: string; title?: string; link?: PeriodLink },
): ChartSpec {
  const days = rows.map((r) => r.day);
  const cop = rows.filter((r) => isNum(r.cop));
  const vendor = rows.filter((r) => isNum(r.cop_vendor));
  const href = opts.link ? { href: (r: DailyRow) => opts.link!(r.day) } : {};
  const bars = splitBars(
    cop,
    {
      partial: (r) => !r.closed,
      ...href,
      title: (r) =>
        `${dayName(r)}: COP ${num(r.cop, 2)} (${num(r.heat_kwh)} kWh heat / ${num(r.elec_kwh)} kWh electricity)`,
    },
    colour("cop"),
  );
  return {
    id: opts.id,
    title: opts.title ?? "COP per day",
    caption:
      "Coefficient of performance per local day: heat delivered divided by electricity measured by the " +
      "Shelly (bars), and divided by the heat pump's own electricity estimate (dots). No bar: not enough " +
      "data that day.",
    options: {
      ...baseOptions(),
      x: { type: "band", domain: days, ...dayTicks(days), label: null, padding: 0.2 },
      y: { label: "COP", ticks: 5, grid: true, zero: true },
      marks: [
        ...bars.map((g) => Plot.barY(g.data, { x: "day", y: "cop", ...g.style })),
        Plot.dot(vendor, {
          x: "day",
          y: "cop_vendor",
          stroke: colour("cop_vendor"),
          fill: "var(--bg)",
          r: 4,
          strokeWidth: 2,
          title: (r: DailyRow) => `${dayName(r)}: heat pump's estimate ${num(r.cop_vendor, 2)}`,
          ...href,
        }),
        Plot.ruleY([0]),
      ],
    },
    legend: [
      { quantity: "cop", label: "COP (Shelly)", style: "bar" },
      { quantity: "cop_vendor", label: "COP (heat pump's estimate)", style: "ring" },
      ...(rows.some((r) => !r.closed && isNum(r.cop)) ? [partialLegend("cop")] : []),
    ],
    table: {
      columns: ["Day", "COP", "COP (heat pump's estimate)"],
      rows: rows.map((r) => [dayName(r), num(r.cop, 2), num(r.cop_vendor, 2)]),
    },
    empty: cop.length === 0 && vendor.length === 0,
  };
}
