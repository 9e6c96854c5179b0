/**
 * The day page's hydraulics charts (flow rate with flow − return on two scales; compressor speed),
 * the backup heater's line in the power chart and the shaded cooling intervals: drawn from the
 * whole-system fake, and absent where the heat pump alone is metered.
 */
import { describe, expect, it } from "vitest";
import type { SeriesSet } from "../../../reports/src/types.ts";
import { compressorChart, hasCompressorSpeed } from "../../src/charts/compressor.ts";
import { coolingBands, coolingNote } from "../../src/charts/cooling-bands.ts";
import { hasHydraulics, hydraulicsChart, niceRange, twinScale } from "../../src/charts/hydraulics.ts";
import { powerChart } from "../../src/charts/power.ts";
import { chartSvg } from "../../src/charts/svg.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";
import { daySeries, TZ } from "./support.ts";

const system = createFakeReports({ tz: TZ, first: "2025-07-01", last: "2026-11-01", system: true });
const MIN5 = 300_000;

async function systemDay(day: string, next: string) {
  const fromMs = localMidnight(day, TZ);
  const toMs = localMidnight(next, TZ);
  return { series: await system.series(fromMs, toMs), fromMs, toMs };
}

/** The texts of the tick labels of every y axis, in the order drawn (left axis first). */
function yTickLabels(svg: string): string[][] {
  return [...svg.matchAll(/aria-label="y-axis tick label"[^>]*>(.*?)<\/g>/g)].map((m) =>
    [...m[1]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]!),
  );
}

describe("niceRange and twinScale", () => {
  it("a range of about five nice steps that holds 0, and the map between two of them", () => {
    // 1230 L/h: 1230 / 5 = 246 -> a step of 250 (the first of 100, 200, 250 at or above it), top 1250.
    expect(niceRange(0, 1230)).toEqual({ lo: 0, hi: 1250, step: 250 });
    // −3..6 K: 9 / 5 = 1.8 -> a step of 2, from floor(−3/2)·2 = −4 to ceil(6/2)·2 = 6.
    expect(niceRange(-3, 6)).toEqual({ lo: -4, hi: 6, step: 2 });
    // All zeros still make a frame: one step.
    expect(niceRange(0, 0)).toEqual({ lo: 0, hi: 1, step: 1 });
    // 10 K of ΔT over 1250 L/h: 125 L/h per kelvin, 0 K at (0 + 4) · 125 = 500 L/h, 5 K at 1125.
    const { toLeft, fromLeft } = twinScale({ lo: 0, hi: 1250 }, { lo: -4, hi: 6 });
    expect(toLeft(0)).toBe(500);
    expect(toLeft(5)).toBe(1125);
    expect(toLeft(-4)).toBe(0);
    expect(fromLeft(1250)).toBe(6);
  });
});

describe("hydraulicsChart", () => {
  it("flow rate on the left, flow − return on the right, hourly means in the table", () => {
    const t0 = localMidnight("2026-01-20", TZ) + 10 * 3_600_000; // 10:00 local
    const series: SeriesSet = {
      flow_lph: [
        { t: t0, v: 1000 },
        { t: t0 + MIN5, v: 1230 },
        { t: t0 + 2 * MIN5, v: null },
      ],
      delta_t_k: [
        { t: t0, v: 5 },
        { t: t0 + MIN5, v: -3 },
        { t: t0 + 2 * MIN5, v: 6 },
      ],
    };
    const spec = hydraulicsChart(
      { series, fromMs: localMidnight("2026-01-20", TZ), toMs: localMidnight("2026-01-21", TZ) },
      { id: "h" },
    );
    const svg = chartSvg(spec);
    // Left: 0..1250 L/h in steps of 250; right: −4..6 K in steps of 2, on the same six grid lines.
    expect(yTickLabels(svg)).toEqual([
      ["0", "250", "500", "750", "1,000", "1,250"],
      ["\u22124", "\u22122", "0", "2", "4", "6"],
    ]);
    expect(svg).toContain("Flow rate (L/h)");
    expect(svg).toContain("Flow \u2212 return (K)");
    expect(spec.legend.map((l) => l.label)).toEqual(["Flow rate (L/h)", "Flow \u2212 return (K)"]);
    // 10:00: flow (1000 + 1230) / 2 = 1115 L/h (the null left out), ΔT (5 − 3 + 6) / 3 = 2.67 K.
    expect(spec.table).toEqual({
      columns: ["Hour", "Flow rate, mean (L/h)", "Flow \u2212 return, mean (K)"],
      rows: [["10:00", "1,115", "2.7"]],
    });
    expect(spec.empty).toBe(false);
  });

  it("without a flow rate, ΔT has the frame and the left axis to itself", () => {
    const t0 = localMidnight("2026-01-20", TZ);
    const spec = hydraulicsChart(
      { series: { delta_t_k: [{ t: t0, v: 4.5 }] }, fromMs: t0, toMs: t0 + 86_400_000 },
      { id: "h" },
    );
    // 4.5 K: 4.5 / 5 = 0.9 -> a step of 1, 0..5 K.
    expect(yTickLabels(chartSvg(spec))).toEqual([["0", "1", "2", "3", "4", "5"]]);
    expect(spec.legend.map((l) => l.label)).toEqual(["Flow \u2212 return (K)"]);
  });

  it("a cooling day: the cooling afternoon shaded, its negative ΔT below the right axis' zero", async () => {
    const data = await systemDay("2025-07-17", "2025-07-18");
    expect(hasHydraulics(data.series)).toBe(true);
    const spec = hydraulicsChart(data, { id: "hydraulics" });
    const svg = chartSvg(spec);
    // The fake cools 12:00-16:00 UTC: 14:00-18:00 CEST, one band.
    expect(spec.caption).toContain("Shaded: cooling (14:00\u201318:00), kept out of the heating COP.");
    expect(svg.match(/fill="var\(--c-cooling\)"/g)).toHaveLength(1);
    expect(spec.legend.map((l) => l.label)).toContain("Cooling");
    await expect(svg).toMatchFileSnapshot("../__snapshots__/hydraulics-2025-07-17.svg");
  });

  it("the heat pump alone (no flow rate, no ΔT series): no chart", async () => {
    const plain = await daySeries("2026-03-29", "2026-03-30");
    expect(hasHydraulics(plain.series)).toBe(false);
    expect(hasCompressorSpeed(plain.series)).toBe(false);
    expect(hasHydraulics({ flow_lph: [{ t: 0, v: null }] })).toBe(false);
  });
});

describe("compressorChart", () => {
  it("the compressor's speed in rps, 0 while it stands still", async () => {
    const data = await systemDay("2026-01-20", "2026-01-21");
    expect(hasCompressorSpeed(data.series)).toBe(true);
    const spec = compressorChart(data, { id: "compressor" });
    const svg = chartSvg(spec);
    expect(svg).toContain("Compressor speed (rps)");
    expect(svg).toContain("var(--c-compressor)");
    expect(spec.table.rows).toHaveLength(24);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/compressor-2026-01-20.svg");
  });

  it("an hour's mean of 40 and 50 rps is 45.0", () => {
    const t0 = localMidnight("2026-01-20", TZ) + 3 * 3_600_000;
    const spec = compressorChart(
      {
        series: {
          compressor_speed_rps: [
            { t: t0, v: 40 },
            { t: t0 + MIN5, v: 50 },
          ],
        },
        fromMs: t0,
        toMs: t0 + 3_600_000,
      },
      { id: "c" },
    );
    expect(spec.table.rows).toEqual([["03:00", "45.0"]]);
  });
});

describe("the power chart with a backup heater and cooling", () => {
  it("draws the backup heater's power as a line of its own, with its hourly mean", () => {
    const t0 = localMidnight("2026-01-20", TZ) + 4 * 3_600_000; // 04:00 local
    const spec = powerChart(
      {
        series: {
          power_w: [
            { t: t0, v: 1400 },
            { t: t0 + MIN5, v: 1200 },
          ],
          backup_w: [
            { t: t0, v: 3000 },
            { t: t0 + MIN5, v: 0 },
          ],
        },
        fromMs: t0,
        toMs: t0 + 3_600_000,
      },
      { id: "p" },
    );
    const svg = chartSvg(spec);
    expect(svg).toContain('stroke="var(--c-backup)"');
    expect(spec.legend.map((l) => l.label)).toEqual(["Electric power", "Backup heater"]);
    // 04:00: (1400 + 1200) / 2 = 1300 W from the heat pump's meter, (3000 + 0) / 2 = 1500 W backup.
    expect(spec.table).toEqual({
      columns: ["Hour", "Electric power, mean (W)", "Backup heater, mean (W)"],
      rows: [["04:00", "1,300", "1,500"]],
    });
    expect(spec.caption).toContain(
      "The backup heater's electric power, from its own meter, is a line of its own.",
    );
  });

  it("a cold day of the whole-system fake has the line; the heat pump alone has none", async () => {
    const cold = powerChart(await systemDay("2026-01-20", "2026-01-21"), { id: "power" });
    expect(cold.legend.map((l) => l.label)).toContain("Backup heater");
    const plain = powerChart(await daySeries("2026-03-29", "2026-03-30"), { id: "power" });
    expect(plain.legend.map((l) => l.label)).not.toContain("Backup heater");
    expect(chartSvg(plain)).not.toContain("--c-backup");
    expect(chartSvg(plain)).not.toContain("--c-cooling");
  });
});

describe("coolingBands", () => {
  it("merges buckets that follow each other into one band, from the first's start to the last's end", () => {
    const t0 = localMidnight("2026-07-15", TZ) + 14 * 3_600_000; // 14:00 CEST
    const bands = coolingBands([
      { t: t0, v: 1 },
      { t: t0 + MIN5, v: 1 },
      { t: t0 + 2 * MIN5, v: 0 },
      { t: t0 + 3 * MIN5, v: 1 },
      { t: t0 + 4 * MIN5, v: null },
    ]);
    // 14:00-14:10 (two buckets), then 14:15-14:20.
    expect(bands.map((b) => [b.from.getTime() - t0, b.to.getTime() - t0])).toEqual([
      [0, 2 * MIN5],
      [3 * MIN5, 4 * MIN5],
    ]);
    expect(coolingNote(bands)).toBe(
      " Shaded: cooling (14:00\u201314:10, 14:15\u201314:20), kept out of the heating COP.",
    );
    expect(coolingBands(undefined)).toEqual([]);
    expect(coolingNote([])).toBe("");
  });
});
