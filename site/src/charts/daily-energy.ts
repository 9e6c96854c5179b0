/**
 * Heat delivered and electricity used per day, in kWh: a wide heat bar with the electricity bar
 * inside it, so the ratio (the COP) reads at a glance. A day without data has no bar.
 */
import * as Plot from "@observablehq/plot";
import type { DailyRow } from "../../../reports/src/types.ts";
import { num, shortDay } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayTicks, isNum, WIDTH } from "./common.ts";
import { colour } from "./palette.ts";

export function dailyEnergyChart(rows: readonly DailyRow[], opts: { id: string; title?: string }): ChartSpec {
  const days = rows.map((r) => r.day);
  const heat = rows.filter((r) => isNum(r.heat_kwh));
  const elec = rows.filter((r) => isNum(r.elec_kwh));
  const band = (WIDTH - 68) / Math.max(1, days.length);
  const ticks = dayTicks(days);
  return {
    id: opts.id,
    title: opts.title ?? "Energy per day",
    caption:
      "Heat delivered (wide bars) and electricity used (narrow bars) per local day, in kWh. Heat from the heat pump's day counters, electricity from the Shelly meter.",
    options: {
      ...baseOptions(),
      x: { type: "band", domain: days, ...ticks, label: null, padding: 0.15 },
      y: { label: "Energy (kWh)", ticks: 5, grid: true, zero: true },
      marks: [
        Plot.barY(heat, { x: "day", y: "heat_kwh", fill: colour("heat"), fillOpacity: 0.85 }),
        Plot.barY(elec, {
          x: "day",
          y: "elec_kwh",
          fill: colour("elec"),
          insetLeft: band * 0.25,
          insetRight: band * 0.25,
        }),
        Plot.ruleY([0]),
      ],
    },
    legend: [
      { quantity: "heat", label: "Heat", style: "bar" },
      { quantity: "elec", label: "Electricity", style: "bar" },
    ],
    table: {
      columns: ["Day", "Heat (kWh)", "Electricity (kWh)", "COP"],
      rows: rows.map((r) => [shortDay(r.day), num(r.heat_kwh), num(r.elec_kwh), num(r.cop, 2)]),
    },
    empty: heat.length === 0 && elec.length === 0,
  };
}
