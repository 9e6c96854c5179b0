import { describe, expect, it } from "vitest";
import { chartSvg } from "../../src/charts/svg.ts";
import { temperatureChart } from "../../src/charts/temperatures.ts";
import { daySeries } from "./support.ts";

describe("temperatureChart", () => {
  it("draws flow, return, hot water and outside with their palette colours", async () => {
    const spec = temperatureChart(await daySeries("2026-10-25", "2026-10-26"), { id: "temps" });
    const svg = chartSvg(spec);
    for (const c of ["--c-flow", "--c-return", "--c-dhw", "--c-outside"]) expect(svg).toContain(`var(${c})`);
    expect(svg).toContain("Temperature (°C)");
    expect(spec.legend.map((l) => l.label)).toEqual(["Flow", "Return", "Hot water", "Outside"]);
    expect(spec.table.rows).toHaveLength(25);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/temperatures-2026-10-25.svg");
  });
});
