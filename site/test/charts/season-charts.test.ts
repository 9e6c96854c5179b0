import { describe, expect, it } from "vitest";
import { copVsOutsideChart } from "../../src/charts/cop-vs-outside.ts";
import { curveFlow, heatingCurveChart } from "../../src/charts/heating-curve.ts";
import { monthlyEnergyChart } from "../../src/charts/monthly-energy.ts";
import { renderChart } from "../../src/charts/render.ts";
import { fake } from "./support.ts";

describe("season charts", () => {
  it("monthly bars, COP against outside, and the heating curve with the configured line", async () => {
    const season = await fake.report({ kind: "season", id: "2025-26" });
    const monthly = monthlyEnergyChart(season.months!, { id: "months" });
    expect(monthly.table.rows[0]![0]).toBe("July 2025");
    await expect(renderChart(monthly)).toMatchFileSnapshot("../__snapshots__/monthly-energy-season.svg");

    const scatter = copVsOutsideChart(season.rows, { id: "cop-outside" });
    expect(scatter.table.rows.length).toBeGreaterThan(100);
    await expect(renderChart(scatter)).toMatchFileSnapshot("../__snapshots__/cop-vs-outside-season.svg");

    const curve = heatingCurveChart(season.rows, season.curve, { id: "curve" });
    const svg = renderChart(curve);
    expect(svg).toContain('stroke-dasharray="6 4"');
    // The measured curve is space heating only: hot-water cycles (~50 °C) would lift it above the line.
    expect(curve.caption).toContain("space heating only");
    const first = season.rows.find((r) => r.flow_heating_mean_c !== null && r.outside_mean_c !== null)!;
    expect(curve.table.rows[0]![2]).toBe(first.flow_heating_mean_c!.toFixed(1));
    expect(first.flow_heating_mean_c).not.toBe(first.flow_mean_c);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/heating-curve-season.svg");
  });

  it("the Viessmann curve gives the room set point plus shift at 20 °C outside and rises as it gets colder", () => {
    expect(curveFlow(20, 1.4, 0)).toBe(20);
    expect(curveFlow(20, 1.4, 3)).toBe(23);
    // Slope 1.4 at -10 °C outside: about 63 °C on Viessmann's published chart.
    expect(curveFlow(-10, 1.4, 0)).toBeCloseTo(63.2, 1);
    expect(curveFlow(0, 0.6, 0)).toBeGreaterThan(curveFlow(10, 0.6, 0));
  });
});
