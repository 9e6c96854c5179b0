/**
 * What every chart module shares: the spec it returns, base Plot options, and helpers for time
 * series (gaps) and day axes. A chart module is `(data, opts) -> ChartSpec`; svg.ts draws it.
 */
import * as Plot from "@observablehq/plot";
import type { PlotOptions } from "@observablehq/plot";
import { BUCKET_MS } from "../../../reports/src/metrics/day-buckets.ts";
import type { SeriesPoint, SeriesSet } from "../../../reports/src/types.ts";
import { shortDay } from "../lib/format.ts";
import { colour, type Quantity } from "./palette.ts";

export interface ChartTable {
  columns: string[];
  rows: string[][];
}

export interface ChartSpec {
  /** Stable id, used for the figure's anchor. */
  id: string;
  title: string;
  /** One sentence that says what the chart shows, with units: the figure caption. */
  caption: string;
  /** Plot options without `document` (svg.ts adds it). */
  options: PlotOptions;
  /** Quantities in the legend, in order (colours from the palette). */
  legend: {
    quantity: Quantity;
    label: string;
    /** `area`: a light band (shaded intervals, such as cooling). */
    style?: "line" | "bar" | "dot" | "ring" | "dash" | "partial" | "area";
  }[];
  /** The same numbers as text, for the <details> table. */
  table: ChartTable;
  /** True when there is nothing to draw; the figure then says so instead of an empty frame. */
  empty: boolean;
}

/** Width and height in SVG units; the SVG scales with its viewBox, so this is an aspect ratio. */
const WIDTH = 560;
const HEIGHT = 300;

export function baseOptions(): PlotOptions {
  return {
    width: WIDTH,
    height: HEIGHT,
    marginTop: 34,
    marginLeft: 56,
    marginRight: 16,
    marginBottom: 36,
    // 16 units in a 560-unit-wide SVG: still about 9 px when a phone shrinks it to its width.
    style: { fontSize: "16px", background: "transparent", overflow: "visible" },
  };
}

/**
 * The x axis of the day charts (power, temperatures, COP): local time (the build runs in REPORT_TZ),
 * one day or the last 24 hours. Every 4 hours: labels stay apart when a phone shrinks the chart.
 */
export function dayTimeAxis(fromMs: number, toMs: number): PlotOptions["x"] {
  return {
    type: "time",
    domain: [new Date(fromMs), new Date(toMs)],
    tickFormat: "%H:%M",
    ticks: "4 hours",
    label: null,
  };
}

/**
 * Breaks a series where samples are missing: a null marks a known gap; a jump of more than three
 * times the usual spacing also becomes a gap, so a line never bridges an outage.
 */
export function withGaps(points: readonly SeriesPoint[]): { t: Date; v: number | null }[] {
  if (points.length < 2) return points.map((p) => ({ t: new Date(p.t), v: p.v }));
  const steps = points
    .slice(1)
    .map((p, i) => p.t - points[i]!.t)
    .sort((a, b) => a - b);
  const usual = steps[Math.floor(steps.length / 2)]!;
  const out: { t: Date; v: number | null }[] = [];
  points.forEach((p, i) => {
    const prev = points[i - 1];
    if (prev && usual > 0 && p.t - prev.t > 3 * usual) out.push({ t: new Date(prev.t + usual), v: null });
    out.push({ t: new Date(p.t), v: p.v });
  });
  return out;
}

/** `Mon 30 Nov (so far)` for today, `Mon 30 Nov` for a day that is over; `year` adds it (`Mon 30 Nov 2026`). */
export function dayName(r: { day: string; closed: boolean }, year = false): string {
  return `${shortDay(r.day)}${year ? ` ${r.day.slice(0, 4)}` : ""}${r.closed ? "" : " (so far)"}`;
}

/** Tick labels for a band axis of days: every `step`-th day, as `Sun 29` or `29`. */
export function dayTicks(days: readonly string[]): { ticks: string[]; tickFormat: (d: string) => string } {
  if (days.length <= 8) return { ticks: [...days], tickFormat: (d) => shortDay(d).replace(/ \w+$/, "") };
  const step = days.length <= 16 ? 2 : days.length <= 40 ? 5 : 30;
  return {
    ticks: days.filter((d) => Number(d.slice(8)) === 1 || Number(d.slice(8)) % step === 0),
    tickFormat: (d) => String(Number(d.slice(8))),
  };
}

/** Clock-time table cell in the report zone (`14:05`); the build process runs in that zone. */
export function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

export const isNum = (v: number | null | undefined): v is number =>
  typeof v === "number" && Number.isFinite(v);

/**
 * A table of hourly means for the <details> fallback of a time chart (the chart itself may hold
 * hundreds of points). Hours are local (the build runs in REPORT_TZ); an hour without data is a dash.
 * `fmt` formats every column, or each series its own (a list, one per series).
 */
export function hourlyTable(
  columns: string[],
  series: { t: Date; v: number | null }[][],
  fmt: ((v: number | null) => string) | ((v: number | null) => string)[],
  label: (d: Date) => string,
): ChartTable {
  const format = (k: number) => (Array.isArray(fmt) ? fmt[k]! : fmt);
  const hours = new Map<number, { sums: number[]; counts: number[] }>();
  series.forEach((points, k) => {
    for (const p of points) {
      if (!isNum(p.v)) continue;
      const key = hourStart(p.t.getTime());
      let e = hours.get(key);
      if (!e) hours.set(key, (e = { sums: series.map(() => 0), counts: series.map(() => 0) }));
      e.sums[k]! += p.v;
      e.counts[k]! += 1;
    }
  });
  const rows = [...hours.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, e]) => [
      label(new Date(t)),
      ...e.sums.map((s, k) => format(k)(e.counts[k] ? s / e.counts[k]! : null)),
    ]);
  return { columns, rows };
}

/** Start of the local hour holding `ms` (the build runs in REPORT_TZ). */
function hourStart(ms: number): number {
  // Subtract the local minutes rather than setting them: on the 25-hour day the two 02:00 hours stay apart.
  const d = new Date(ms);
  return ms - d.getMinutes() * 60_000 - d.getSeconds() * 1000 - d.getMilliseconds();
}

/**
 * Heat, electricity and COP per local hour from the five-minute buckets of a series set: energies
 * are the buckets' power × five minutes, summed over the buckets where both are known, and the COP
 * is the ratio of those sums (never a mean of the buckets' COPs). An hour in which the compressor
 * never ran has no COP.
 */
export function hourlyEnergy(
  series: SeriesSet,
): { hourMs: number; heatKwh: number; elecKwh: number; cop: number | null }[] {
  const heat = new Map<number, number>();
  for (const p of series.heat_w ?? []) if (isNum(p.v)) heat.set(p.t, p.v);
  const ran = new Set<number>();
  for (const p of series.cop ?? []) if (isNum(p.v)) ran.add(hourStart(p.t));
  const hours = new Map<number, { heatKwh: number; elecKwh: number }>();
  const kwhPerW = BUCKET_MS / 3_600_000 / 1000;
  for (const p of series.power_w ?? []) {
    const h = heat.get(p.t);
    if (!isNum(p.v) || h === undefined) continue;
    const key = hourStart(p.t);
    let e = hours.get(key);
    if (!e) hours.set(key, (e = { heatKwh: 0, elecKwh: 0 }));
    e.heatKwh += h * kwhPerW;
    e.elecKwh += p.v * kwhPerW;
  }
  return [...hours.entries()]
    .sort(([a], [b]) => a - b)
    .map(([hourMs, e]) => ({
      hourMs,
      ...e,
      cop: ran.has(hourMs) && e.elecKwh > 0 ? e.heatKwh / e.elecKwh : null,
    }));
}

/** The page of a period drawn as a bar or dot (a day, a month), or null where it has none. */
export type PeriodLink = (id: string) => string | null;

/**
 * Bars of a period that is not over (today, this month) are drawn lighter with a dashed outline,
 * and the legend says so, so a partial day never looks like a finished one.
 */
export const PARTIAL_STYLE = { fillOpacity: 0.35, strokeWidth: 1.5, strokeDasharray: "4 3" } as const;

export const partialLegend = (quantity: Quantity): ChartSpec["legend"][number] => ({
  quantity,
  label: "So far (not over yet)",
  style: "partial",
});

/**
 * Dot options for days of a scatter: a day not over yet is a ring (its dot has no fill), so a
 * partial day never looks like a finished one.
 */
export function dayDots(colourOf: string): {
  done: Record<string, unknown>;
  partial: Record<string, unknown>;
} {
  return {
    done: { fill: colourOf, fillOpacity: 0.7, r: 3.5 },
    partial: { fill: "none", stroke: colourOf, strokeWidth: 2, r: 4.5 },
  };
}

/** How bars of periods are marked: which is still in progress, where each links, what hovering shows. */
interface BarOptions<T> {
  partial?: (d: T) => boolean;
  href?: (d: T) => string | null;
  title?: (d: T) => string;
}

/** Plot options of one bar mark, split by BarOptions into finished and partial bars. */
export function splitBars<T>(
  data: readonly T[],
  o: BarOptions<T>,
  colourOf: string,
): { data: T[]; style: Record<string, unknown> }[] {
  const channels = {
    ...(o.href ? { href: (d: T) => o.href!(d) } : {}),
    ...(o.title ? { title: (d: T) => o.title!(d) } : {}),
  };
  const partial = o.partial ?? (() => false);
  return [
    { data: data.filter((d) => !partial(d)), style: { ...channels, fill: colourOf } },
    {
      data: data.filter(partial),
      style: { ...channels, fill: colourOf, stroke: colourOf, ...PARTIAL_STYLE },
    },
  ].filter((g) => g.data.length > 0);
}

/**
 * The energy bars of the day and month charts: heat delivered as wide bars with the electricity bar
 * inside each, so the ratio (the COP) reads at a glance; `x` is the band field, `bands` their count.
 * A band without a value has no bar; each bar links to its period and names its values on hover.
 */
export function energyBars<T extends { heat_kwh: number | null; elec_kwh: number | null }>(
  data: readonly T[],
  x: keyof T & string,
  bands: number,
  o: BarOptions<T> = {},
): { marks: Plot.Markish[]; legend: ChartSpec["legend"] } {
  const band = (WIDTH - 68) / Math.max(1, bands);
  const heat = splitBars(
    data.filter((d) => isNum(d.heat_kwh)),
    o,
    colour("heat"),
  );
  const elec = splitBars(
    data.filter((d) => isNum(d.elec_kwh)),
    o,
    colour("elec"),
  );
  const anyPartial = o.partial !== undefined && data.some(o.partial);
  return {
    marks: [
      ...heat.map((g) => Plot.barY(g.data, { x, y: "heat_kwh", fillOpacity: 0.85, ...g.style })),
      ...elec.map((g) =>
        Plot.barY(g.data, { x, y: "elec_kwh", insetLeft: band * 0.25, insetRight: band * 0.25, ...g.style }),
      ),
      Plot.ruleY([0]),
    ],
    legend: [
      { quantity: "heat", label: "Heat", style: "bar" },
      { quantity: "elec", label: "Electricity", style: "bar" },
      ...(anyPartial ? [partialLegend("heat")] : []),
    ],
  };
}
