/**
 * Electric power (and thermal power where known) over a day or the last 24 hours, in W, with the
 * defrosts the heat pump's readings saw marked as dashed lines; where a backup heater is metered its
 * power is a line of its own, and cooling intervals are shaded.
 */
import * as Plot from "@observablehq/plot";
import type { SeriesSet } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import { BUCKET_MS } from "../../../reports/src/metrics/day-buckets.ts";
import { baseOptions, type ChartSpec, dayTimeAxis, hhmm, hourlyTable, isNum, withGaps } from "./common.ts";
import { coolingBands, coolingLegend, coolingMarks, coolingNote } from "./cooling-bands.ts";
import { colour } from "./palette.ts";

interface PowerData {
  series: SeriesSet;
  fromMs: number;
  toMs: number;
}

export function powerChart(data: PowerData, opts: { id: string; title?: string }): ChartSpec {
  const power = withGaps(data.series.power_w ?? []);
  const heat = withGaps(data.series.heat_w ?? []);
  const hasHeat = heat.some((p) => isNum(p.v));
  // The backup heater's own meter (a heating rod or immersion heater): drawn only where there is one.
  const backup = withGaps(data.series.backup_w ?? []);
  const hasBackup = backup.some((p) => isNum(p.v));
  const cooling = coolingBands(data.series.cooling);
  const empty = !power.some((p) => isNum(p.v)) && !hasHeat && !hasBackup;
  // A defrost is marked in the middle of the five-minute bucket whose reading saw it.
  const defrosts = (data.series.defrost ?? [])
    .filter((p) => p.v === 1)
    .map((p) => ({ t: new Date(p.t + BUCKET_MS / 2) }));
  const defrostNote =
    defrosts.length > 0
      ? ` Dashed lines: ${defrosts.length} defrost${defrosts.length > 1 ? "s" : ""} seen by the heat pump's ` +
        `five-minute readings (${defrosts.map((d) => hhmm(d.t)).join(", ")}); a short one between two ` +
        `readings is not seen.`
      : "";
  return {
    id: opts.id,
    title: opts.title ?? "Power",
    caption:
      (hasHeat
        ? "Electric power drawn by the heat pump (Shelly) and thermal power delivered (flow × spread), in " +
          "watts, local time. Breaks in a line are missing data."
        : "Electric power drawn by the heat pump, measured by the Shelly, in watts, local time. Breaks in the " +
          "line are missing data.") +
      (hasBackup ? " The backup heater's electric power, from its own meter, is a line of its own." : "") +
      defrostNote +
      coolingNote(cooling),
    options: {
      ...baseOptions(),
      x: dayTimeAxis(data.fromMs, data.toMs),
      y: { label: "Power (W)", ticks: 5, grid: true, zero: true },
      marks: [
        ...coolingMarks(cooling),
        Plot.ruleY([0]),
        ...(defrosts.length
          ? [
              Plot.ruleX(defrosts, {
                x: "t",
                stroke: colour("defrost"),
                strokeWidth: 1.5,
                strokeDasharray: "3 3",
              }),
            ]
          : []),
        ...(hasHeat ? [Plot.lineY(heat, { x: "t", y: "v", stroke: colour("heat"), strokeWidth: 1.5 })] : []),
        Plot.areaY(power, { x: "t", y: "v", fill: colour("elec"), fillOpacity: 0.15 }),
        Plot.lineY(power, { x: "t", y: "v", stroke: colour("elec"), strokeWidth: 1.5 }),
        ...(hasBackup
          ? [Plot.lineY(backup, { x: "t", y: "v", stroke: colour("backup"), strokeWidth: 1.75 })]
          : []),
      ],
    },
    legend: [
      { quantity: "elec", label: "Electric power", style: "line" },
      ...(hasHeat ? [{ quantity: "heat" as const, label: "Thermal power", style: "line" as const }] : []),
      ...(defrosts.length
        ? [{ quantity: "defrost" as const, label: "Defrost", style: "dash" as const }]
        : []),
      ...(hasBackup ? [{ quantity: "backup" as const, label: "Backup heater", style: "line" as const }] : []),
      ...coolingLegend(cooling),
    ],
    table: hourlyTable(
      [
        "Hour",
        "Electric power, mean (W)",
        ...(hasHeat ? ["Thermal power, mean (W)"] : []),
        ...(hasBackup ? ["Backup heater, mean (W)"] : []),
      ],
      [power, ...(hasHeat ? [heat] : []), ...(hasBackup ? [backup] : [])],
      (v) => num(v, 0),
      hhmm,
    ),
    empty,
  };
}
