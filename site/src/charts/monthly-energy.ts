/** Heat and electricity per month of a heating season, in kWh, with the monthly COP in the table. */
import type { Totals } from "../../../reports/src/types.ts";
import { monthName, num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, energyBars, isNum } from "./common.ts";

export function monthlyEnergyChart(
  months: readonly (Totals & { id: string })[],
  opts: { id: string; title?: string },
): ChartSpec {
  const ids = months.map((m) => m.id);
  const bars = energyBars(months, "id", ids.length);
  return {
    id: opts.id,
    title: opts.title ?? "Energy per month",
    caption:
      "Heat delivered (wide bars) and electricity used (narrow bars) per month of the heating season, in kWh.",
    options: {
      ...baseOptions(),
      x: { type: "band", domain: ids, tickFormat: (m: string) => monthName(m), label: null, padding: 0.15 },
      y: { label: "Energy (kWh)", ticks: 5, grid: true, zero: true },
      marks: bars.marks,
    },
    legend: bars.legend,
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
