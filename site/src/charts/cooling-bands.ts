/**
 * Cooling intervals of a day as shaded bands behind a time chart: the five-minute buckets whose
 * `cooling` series is 1 (the device in cooling mode, or heat flowing the other way while the
 * compressor runs), merged where they follow each other so a cooling afternoon is one band.
 */
import * as Plot from "@observablehq/plot";
import { BUCKET_MS } from "../../../reports/src/metrics/day-buckets.ts";
import type { SeriesPoint } from "../../../reports/src/types.ts";
import type { ChartSpec } from "./common.ts";
import { hhmm } from "./common.ts";
import { colour } from "./palette.ts";

export interface Band {
  from: Date;
  to: Date;
}

/** Runs of cooling buckets as [start of the first, end of the last) intervals. */
export function coolingBands(points: readonly SeriesPoint[] | undefined): Band[] {
  const bands: { from: number; to: number }[] = [];
  for (const p of points ?? []) {
    if (p.v !== 1) continue;
    const last = bands.at(-1);
    if (last && last.to === p.t) last.to = p.t + BUCKET_MS;
    else bands.push({ from: p.t, to: p.t + BUCKET_MS });
  }
  return bands.map((b) => ({ from: new Date(b.from), to: new Date(b.to) }));
}

/** The bands as a mark spanning the frame's height (light, behind the lines drawn after it). */
export function coolingMarks(bands: readonly Band[]): Plot.Markish[] {
  if (bands.length === 0) return [];
  return [Plot.rect(bands, { x1: "from", x2: "to", fill: colour("cooling"), fillOpacity: 0.14 })];
}

export const coolingLegend = (bands: readonly Band[]): ChartSpec["legend"] =>
  bands.length > 0 ? [{ quantity: "cooling", label: "Cooling", style: "area" }] : [];

/** ` Shaded: cooling 13:00–17:05, kept out of the heating COP.`, or nothing without cooling. */
export function coolingNote(bands: readonly Band[]): string {
  if (bands.length === 0) return "";
  const spans = bands.map((b) => `${hhmm(b.from)}–${hhmm(b.to)}`).join(", ");
  return ` Shaded: cooling (${spans}), kept out of the heating COP.`;
}
