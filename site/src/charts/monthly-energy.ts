/** Heat and electricity per month of a heating season, in kWh, with the monthly COP in the table. */
import * as Plot from "@observablehq/plot";
import type { Totals } from "../../../reports/src/types.ts";
import { monthName, num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, isNum, WIDTH } from "./common.ts";
import { colour } from "./palette.ts";

export function monthlyEnergyChart(
  months: readonly (Totals & { id: string })[],
  opts: { id: string; title?: string },
): ChartSpec {
  const ids = months.map((m) => m.id);
  const band = (WIDTH - 68) / Math.max(1, ids.length);
  return {
    id: opts.id,
    title: opts.title ?? "Energy per month",
    caption:
      "Heat delivered (wide bars) and electricity used (narrow bars) per month of the heating season, in kWh.",
    options: {
      ...baseOptions(),
      x: { type: "band", domain: ids, tickFormat: (m: string) => monthName(m), label: null, padding: 0.15 },
      y: { label: "Energy (kWh)", ticks: 5, grid: true, zero: true },
      marks: [
        Plot.barY(
          months.filter((m) => isNum(m.heat_kwh)),
          { x: "id", y: "heat_kwh", fill: colour("heat"), fillOpacity: 0.85 },
        ),
        Plot.barY(
          months.filter((m) => isNum(m.elec_kwh)),
          { x: "id", y: "elec_kwh", fill: colour("elec"), insetLeft: band * 0.25, insetRight: band * 0.25 },
        ),
        Plot.ruleY([0]),
      ],
    },
    legend: [
      { quantity: "heat", label: "Heat", style: "bar" },
      { quantity: "elec", label: "Electricity", style: "bar" },
    ],
    table: {
      columns: ["Month", "Heat (kWh)", "Electricity (kWh)", "COP"],
      rows: months.map((m) => [
        monthName(m.id, "long"),
        num(m.heat_kwh, 0),
        num(m.elec_kwh, 0),
        num(m.cop, 2),
      ]),
    },
    empty: !months.some((m) => isNum(m.heat_kwh) || isNum(m.elec_kwh)),
  };
}
