/** Heat per day split into space heating and hot water, stacked, in kWh. */
import * as Plot from "@observablehq/plot";
import type { DailyRow } from "../../../reports/src/types.ts";
import { num, shortDay } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayTicks, isNum } from "./common.ts";
import { colour } from "./palette.ts";

export function heatSplitChart(rows: readonly DailyRow[], opts: { id: string; title?: string }): ChartSpec {
  const days = rows.map((r) => r.day);
  const parts = rows.flatMap((r) => [
    ...(isNum(r.heat_heating_kwh) ? [{ day: r.day, kind: "Space heating", kwh: r.heat_heating_kwh }] : []),
    ...(isNum(r.heat_dhw_kwh) ? [{ day: r.day, kind: "Hot water", kwh: r.heat_dhw_kwh }] : []),
  ]);
  return {
    id: opts.id,
    title: opts.title ?? "Space heating and hot water",
    caption:
      "Heat per local day for space heating and for hot water, stacked, in kWh (heat pump's day counters).",
    options: {
      ...baseOptions(),
      x: { type: "band", domain: days, ...dayTicks(days), label: null, padding: 0.15 },
      y: { label: "Heat (kWh)", ticks: 5, grid: true, zero: true },
      color: { domain: ["Space heating", "Hot water"], range: [colour("heating"), colour("dhw")] },
      marks: [
        Plot.barY(parts, { x: "day", y: "kwh", fill: "kind", order: ["Space heating", "Hot water"] }),
        Plot.ruleY([0]),
      ],
    },
    legend: [
      { quantity: "heating", label: "Space heating", style: "bar" },
      { quantity: "dhw", label: "Hot water", style: "bar" },
    ],
    table: {
      columns: ["Day", "Space heating (kWh)", "Hot water (kWh)"],
      rows: rows.map((r) => [shortDay(r.day), num(r.heat_heating_kwh), num(r.heat_dhw_kwh)]),
    },
    empty: parts.length === 0,
  };
}
