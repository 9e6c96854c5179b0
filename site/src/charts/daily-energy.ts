/**
 * Heat delivered and electricity used per day, in kWh: a wide heat bar with the electricity bar
 * inside it, so the ratio (the COP) reads at a glance. A day without data has no bar; today's bar is
 * marked as partial; each bar links to its day and names its values on hover.
 */
import type { DailyRow } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import {
  baseOptions,
  type ChartSpec,
  dayName,
  dayTicks,
  energyBars,
  isNum,
  type PeriodLink,
} from "./common.ts";

export function dailyEnergyChart(
  rows: readonly DailyRow[],
  opts: { id: string; title?: string; link?: PeriodLink },
): ChartSpec {
  const days = rows.map((r) => r.day);
  const bars = energyBars(rows, "day", days.length, {
    partial: (r) => !r.closed,
    ...(opts.link ? { href: (r: DailyRow) => opts.link!(r.day) } : {}),
    title: (r) =>
      `${dayName(r)}: heat ${num(r.heat_kwh)} kWh, electricity ${num(r.elec_kwh)} kWh, COP ${num(r.cop, 2)}`,
  });
  return {
    id: opts.id,
    title: opts.title ?? "Energy per day",
    caption:
      "Heat delivered (wide bars) and electricity used (narrow bars) per local day, in kWh. Heat from the " +
      "heat pump's day counters, electricity from the Shelly meter.",
    options: {
      ...baseOptions(),
      x: { type: "band", domain: days, ...dayTicks(days), label: null, padding: 0.15 },
      y: { label: "Energy (kWh)", ticks: 5, grid: true, zero: true },
      marks: bars.marks,
    },
    legend: bars.legend,
    table: {
      columns: ["Day", "Heat (kWh)", "Electricity (kWh)", "COP"],
      rows: rows.map((r) => [dayName(r), num(r.heat_kwh), num(r.elec_kwh), num(r.cop, 2)]),
    },
    empty: !rows.some((r) => isNum(r.heat_kwh) || isNum(r.elec_kwh)),
  };
}
