/**
 * Heat and electricity per month of a heating season, in kWh, with the monthly COP in the table; the
 * month in progress marked as partial, each month's bars linking to its page. Months before
 * monitoring began (`since`) are left out: they are not months without data.
 */
import type { Totals } from "../../../reports/src/types.ts";
import { longDay, monthName, num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, energyBars, isNum, type PeriodLink } from "./common.ts";

export function monthlyEnergyChart(
  all: readonly (Totals & { id: string })[],
  opts: { id: string; title?: string; link?: PeriodLink; open?: string | null; since?: string | null },
): ChartSpec {
  const since = opts.since ?? null;
  const months = since === null ? all : all.filter((m) => m.id >= since.slice(0, 7));
  const ids = months.map((m) => m.id);
  const name = (m: { id: string }) => `${monthName(m.id, "long")}${m.id === opts.open ? " (so far)" : ""}`;
  const bars = energyBars(months, "id", ids.length, {
    partial: (m) => m.id === opts.open,
    ...(opts.link ? { href: (m: { id: string }) => opts.link!(m.id) } : {}),
    title: (m) =>
      `${name(m)}: heat ${num(m.heat_kwh, 0)} kWh, electricity ${num(m.elec_kwh, 0)} kWh, COP ${num(m.cop, 2)}`,
  });
  return {
    id: opts.id,
    title: opts.title ?? "Energy per month",
    caption:
      "Heat delivered (wide bars) and electricity used (narrow bars) per month of the heating season, in kWh." +
      (since === null
        ? ""
        : ` From ${monthName(since.slice(0, 7), "long")}: monitoring began on ${longDay(since)}.`),
    options: {
      ...baseOptions(),
      x: { type: "band", domain: ids, tickFormat: (m: string) => monthName(m), label: null, padding: 0.15 },
      y: { label: "Energy (kWh)", ticks: 5, grid: true, zero: true },
      marks: bars.marks,
    },
    legend: bars.legend,
    table: {
      columns: ["Month", "Heat (kWh)", "Electricity (kWh)", "COP"],
      rows: months.map((m) => [name(m), num(m.heat_kwh, 0), num(m.elec_kwh, 0), num(m.cop, 2)]),
    },
    empty: !months.some((m) => isNum(m.heat_kwh) || isNum(m.elec_kwh)),
  };
}
