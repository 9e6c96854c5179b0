/**
 * COP through a day, per five-minute bucket as the report engine defines it (reports/src/metrics/day-buckets.ts):
 * the heat delivered in the bucket over the Shelly electricity in the same five minutes. A bucket in
 * which the compressor did not run or no heat was delivered has no COP: a gap, never 0. Dots mark
 * the buckets, so a run of one bucket (no line segment) still shows.
 *
 * The bucket still in progress (it ends after now) is not drawn: its heat comes from the heat pump's
 * last reading while its electricity runs up to now, so it reads far too low. The table keeps it,
 * as the day's CSV does: an hour's row is the ratio of all of its buckets so far.
 * Defrosts the heat pump's readings saw are marked as on the power chart, and only then does the
 * caption say that a dip is one.
 */
import * as Plot from "@observablehq/plot";
import { BUCKET_MS } from "../../../reports/src/metrics/day-buckets.ts";
import type { SeriesPoint, SeriesSet } from "../../../reports/src/types.ts";
import { num } from "../lib/format.ts";
import { baseOptions, type ChartSpec, dayTimeAxis, hhmm, hourlyEnergy, isNum, withGaps } from "./common.ts";
import { colour } from "./palette.ts";

interface CopLineData {
  series: SeriesSet;
  fromMs: number;
  toMs: number;
  /**
   * Now (ms since the epoch) on a day in progress: buckets that end after it are not drawn. At
   * most the real now (a bucket in progress is never drawn); absent for a day that is over.
   */
  nowMs?: number | null;
}

/** The COP of the buckets that are over at `nowMs` (all of them without it). */
function finishedCop(series: SeriesSet, nowMs: number | null | undefined): SeriesPoint[] {
  const cop = series.cop ?? [];
  return nowMs === null || nowMs === undefined ? cop : cop.filter((p) => p.t + BUCKET_MS <= nowMs);
}

export function copLineChart(data: CopLineData, opts: { id: string; title?: string }): ChartSpec {
  const series = data.series;
  const cop = withGaps(finishedCop(series, data.nowMs));
  // A defrost is marked in the middle of the five-minute bucket whose reading saw it (as on the power chart).
  const defrosts = (series.defrost ?? [])
    .filter((p) => p.v === 1)
    .map((p) => ({ t: new Date(p.t + BUCKET_MS / 2) }));
  const defrostNote =
    defrosts.length > 0
      ? ` Dips are defrosts where a dashed line marks one (${defrosts.map((d) => hhmm(d.t)).join(", ")}, ` +
        `seen by the heat pump's five-minute readings): heat drawn from the water, none delivered.`
      : "";
  return {
    id: opts.id,
    title: opts.title ?? "COP through the day",
    caption:
      "Coefficient of performance per five minutes, local time: the heat delivered (each Viessmann " +
      "interval's heat, flow rate × 1.163 × flow–return spread for the time the compressor ran, else the " +
      "device's heat counters, spread over the five minutes it covers) over the electricity the Shelly " +
      "metered in the same five minutes." +
      defrostNote +
      " No line: the compressor did not run, it delivered no heat, or data is missing." +
      (isNum(data.nowMs) ? " The five minutes in progress are drawn once they are over." : ""),
    options: {
      ...baseOptions(),
      x: dayTimeAxis(data.fromMs, data.toMs),
      // Heat and electricity of the same interval: no start-up spikes to hide, so no axis cap.
      y: { label: "COP", ticks: 5, grid: true },
      marks: [
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
        Plot.lineY(cop, { x: "t", y: "v", stroke: colour("cop"), strokeWidth: 1.75 }),
        Plot.dot(
          cop.filter((p) => isNum(p.v)),
          // Each dot names its interval and value on hover (the line itself carries no titles).
          {
            x: "t",
            y: "v",
            fill: colour("cop"),
            r: 1.5,
            title: (p: { t: Date; v: number }) => `${hhmm(p.t)}: COP ${num(p.v, 2)}`,
          },
        ),
      ],
    },
    legend: [
      { quantity: "cop", label: "COP", style: "line" },
      ...(defrosts.length
        ? [{ quantity: "defrost" as const, label: "Defrost", style: "dash" as const }]
        : []),
    ],
    // Per hour, the COP is that hour's heat over its electricity: the ratio of the sums beside it.
    table: {
      columns: ["Hour", "Heat (kWh)", "Electricity (kWh)", "COP"],
      rows: hourlyEnergy(series).map((h) => [
        hhmm(new Date(h.hourMs)),
        num(h.heatKwh, 2),
        num(h.elecKwh, 2),
        num(h.cop, 2),
      ]),
    },
    empty: !cop.some((p) => isNum(p.v)),
  };
}
