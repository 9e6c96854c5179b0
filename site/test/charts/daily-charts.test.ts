import { describe, expect, it } from "vitest";
import { dailyCopChart } from "../../src/charts/daily-cop.ts";
import { dailyEnergyChart } from "../../src/charts/daily-energy.ts";
import { heatSplitChart } from "../../src/charts/heat-split.ts";
import { renderChart } from "../../src/charts/render.ts";
import { rows } from "./support.ts";

describe("daily charts", () => {
  it("energy per day: a day without data has no bar and a dash in the table", async () => {
    const r = await rows("2026-03-09", "2026-03-15"); // 2026-03-10 has no data
    const spec = dailyEnergyChart(r, { id: "energy" });
    const svg = renderChart(spec);
    expect(svg).toContain("Energy (kWh)");
    expect(spec.table.rows[1]).toEqual(["Tue 10 Mar", "–", "–", "–"]);
    // 6 heat bars + 6 electricity bars
    expect(svg.match(/<rect /g)!.length).toBe(12);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/daily-energy-week.svg");
  });

  it("heating vs hot water stacks both parts", async () => {
    const spec = heatSplitChart(await rows("2026-03-01", "2026-03-31"), { id: "split" });
    const svg = renderChart(spec);
    expect(svg).toContain("var(--c-heating)");
    expect(svg).toContain("var(--c-dhw)");
    await expect(svg).toMatchFileSnapshot("../__snapshots__/heat-split-month.svg");
  });

  it("COP per day draws the vendor COP beside it", async () => {
    const spec = dailyCopChart(await rows("2026-03-09", "2026-03-15"), { id: "cop" });
    const svg = renderChart(spec);
    expect(svg).toContain("var(--c-cop-vendor)");
    expect(spec.table.columns).toEqual(["Day", "COP", "COP (heat pump's estimate)"]);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/daily-cop-week.svg");
  });
});
