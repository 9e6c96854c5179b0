/**
 * Heat per day split into space heating and hot water, stacked, in kWh; today's bars marked as
 * partial, each linking to its day.
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
  PARTIAL_STYLE,
  type PeriodLink,
} from "./common.ts";
import { colour } from "./palette.ts";

interface Part {
  day: string;
  kind: "Space heating" | "Hot water";
  kwh: number;
  row: DailyRow;
}

export function heatSplitChart(
  rows: readonly DailyRow[],
  opts: { id: string; title?: string; link?: PeriodLink },
): ChartSpec {
  const days = rows.map((r) => r.day);
  const parts: Part[] = rows.flatMap((r) => [
    ...(isNum(r.heat_heating_kwh)
      ? [{ day: r.day, kind: "Space heating" as const, kwh: r.heat_heating_kwh, row: r }]
      : []),
    ...(isNum(r.heat_dhw_kwh)
      ? [{ day: r.day, kind: "Hot water" as const, kwh: r.heat_dhw_kwh, row: r }]
      : []),
  ]);
  const channels = {
    x: "day",
    y: "kwh",
    fill: "kind",
    order: ["Space heating", "Hot water"],
    title: (p: Part) => `${dayName(p.row)}: ${p.kind.toLowerCase()} ${num(p.kwh)} kWh`,
    ...(opts.link ? { href: (p: Part) => opts.link!(p.day) } : {}),
  };
  const done = parts.filter((p) => p.row.closed);
  const partial = parts.filter((p) => !p.row.closed);
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
        ...(done.length ? [Plot.barY(done, channels)] : []),
        ...(partial.length ? [Plot.barY(partial, { ...channels, stroke: "kind", ...PARTIAL_STYLE })] : []),
        Plot.ruleY([0]),
      ],
    },
    legend: [
      { quantity: "heating", label: "Space heating", style: "bar" },
      { quantity: "dhw", label: "Hot water", style: "bar" },
      ...(partial.length ? [partialLegend("heating")] : []),
    ],
    table: {
      columns: ["Day", "Space heating (kWh)", "Hot water (kWh)"],
      rows: rows.map((r) => [dayName(r), num(r.heat_heating_kwh), num(r.heat_dhw_kwh)]),
    },
    empty: parts.length === 0,
  };
}
