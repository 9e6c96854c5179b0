/**
 * Heat delivered and electricity used per day, in kWh: a wide heat bar with the electricity bar
 * inside it, so the ratio (the COP) reads at a glance. A day without data has no bar.
 */
import type { DailyRow } from "../../../reports/src/types.ts";
import { num, shortDay } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayTicks, energyBars, isNum } from "./common.ts";

export function dailyEnergyChart(rows: readonly DailyRow[], opts: { id: string; title?: string }): ChartSpec {
  const days = rows.map((r) => r.day);
  const bars = energyBars(rows, "day", days.length);
  return {
    id: opts.id,
    title: opts.title ?? "Energy per day",
    caption:
      "Heat delivered (wide bars) and electricity used (narrow bars) per local day, in kWh. Heat from the heat pump's day counters, electricity from the Shelly meter.",
    options: {
      ...baseOptions(),
      x: { type: "band", domain: days, ...dayTicks(days), label: null, padding: 0.15 },
      y: { label: "Energy (kWh)", ticks: 5, grid: true, zero: true },
      marks: bars.marks,
    },
    legend: bars.legend,
    table: {
      columns: ["Day", "Heat (kWh)", "Electricity (kWh)", "COP"],
      rows: rows.map((r) => [shortDay(r.day), num(r.heat_kwh), num(r.elec_kwh), num(r.cop, 2)]),
    },
    empty: !rows.some((r) => isNum(r.heat_kwh) || isNum(r.elec_kwh)),
  };
}
