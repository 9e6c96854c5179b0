import { describe, expect, it } from "vitest";
import { copVsOutsideChart } from "../../src/charts/cop-vs-outside.ts";
import { curveFlow, heatingCurveChart } from "../../src/charts/heating-curve.ts";
import { houseFitChart } from "../../src/charts/house-fit.ts";
import { monthlyEnergyChart } from "../../src/charts/monthly-energy.ts";
import { chartSvg } from "../../src/charts/svg.ts";
import { fake } from "./support.ts";

describe("season charts", () => {
  it("monthly bars, COP against outside, and the heating curve with the configured line", async () => {
    const season = await fake.report({ kind: "season", id: "2025-26" });
    const monthly = monthlyEnergyChart(season.months!, { id: "months" });
    expect(monthly.table.rows[0]![0]).toBe("July 2025");
    await expect(chartSvg(monthly)).toMatchFileSnapshot("../__snapshots__/monthly-energy-season.svg");

    const scatter = copVsOutsideChart(season.rows, { id: "cop-outside" });
    expect(scatter.table.rows.length).toBeGreaterThan(100);
    await expect(chartSvg(scatter)).toMatchFileSnapshot("../__snapshots__/cop-vs-outside-season.svg");

    const curve = heatingCurveChart(season.rows, season.curve, { id: "curve" });
    const svg = chartSvg(curve);
    expect(svg).toContain('stroke-dasharray="6 4"');
    // The measured curve is space heating only: hot-water cycles (~50 °C) would lift it above the line.
    expect(curve.caption).toContain("space heating only");
    const first = season.rows.find((r) => r.flow_heating_mean_c !== null && r.outside_mean_c !== null)!;
    expect(curve.table.rows[0]![2]).toBe(first.flow_heating_mean_c!.toFixed(1));
    expect(first.flow_heating_mean_c).not.toBe(first.flow_mean_c);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/heating-curve-season.svg");
  });

  it("the house: daily space-heating power against outside, the fitted line and the design load", async () => {
    const season = await fake.report({ kind: "season", id: "2025-26" });
    // The fake's space heating is (16 - outside) * 2.4 kWh a day: 100 W per kelvin, 0 W at 16 °C,
    // so 100 * (16 - -12) = 2800 W at the design temperature (within its rounding to 0.01 kWh and
    // the two DST days, whose 23 and 25 hours share the same day's heat).
    expect(Math.abs(season.heat_loss_w_per_k! - 100)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(season.balance_point_c! - 16)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(season.design_load_w! - 2800)).toBeLessThanOrEqual(15);
    const spec = houseFitChart(season.rows, season, -12, { id: "house" });
    expect(spec.caption).toContain(
      `${season.heat_loss_w_per_k!.toFixed(0)} W per kelvin colder, ` +
        `0 W at ${season.balance_point_c!.toFixed(1)} °C (the balance point), ` +
        `${season.design_load_w!.toLocaleString("en-GB")} W at the design temperature of \u221212 °C`,
    );
    expect(spec.table.rows.length).toBe(season.house_fit_days);
    expect(spec.legend.map((l) => l.label)).toEqual([
      "Day (space heating)",
      "Fitted line",
      "Design load at \u221212 °C",
    ]);
    const svg = chartSvg(spec);
    expect(svg).toContain('stroke-dasharray="6 4"');
    await expect(svg).toMatchFileSnapshot("../__snapshots__/house-fit-season.svg");
    // Too few days: the dots, no line, and the caption says why.
    const short = houseFitChart(
      season.rows.slice(0, 200),
      { ...season, heat_loss_w_per_k: null, balance_point_c: null, design_load_w: null, house_fit_days: 9 },
      -12,
      { id: "h" },
    );
    expect(short.caption).toContain("a fit needs at least 14 such days (9 so far)");
    expect(short.legend).toHaveLength(1);
  });

  it("the Viessmann curve gives the room set point plus shift at 20 °C outside and rises as it gets colder", () => {
    expect(curveFlow(20, 1.4, 0)).toBe(20);
    expect(curveFlow(20, 1.4, 3)).toBe(23);
    // Slope 1.4 at -10 °C outside: about 63 °C on Viessmann's published chart.
    expect(curveFlow(-10, 1.4, 0)).toBeCloseTo(63.2, 1);
    expect(curveFlow(0, 0.6, 0)).toBeGreaterThan(curveFlow(10, 0.6, 0));
  });
});
