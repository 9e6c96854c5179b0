import { describe, expect, it } from "vitest";
import { copVsOutsideChart } from "../../src/charts/cop-vs-outside.ts";
import { dailyCopChart } from "../../src/charts/daily-cop.ts";
import { heatingCurveChart } from "../../src/charts/heating-curve.ts";
import { dailyEnergyChart } from "../../src/charts/daily-energy.ts";
import { heatSplitChart } from "../../src/charts/heat-split.ts";
import { chartSvg } from "../../src/charts/svg.ts";
import { rows } from "./support.ts";

describe("daily charts", () => {
  it("energy per day: a day without data has no bar and a dash in the table", async () => {
    const r = await rows("2026-03-09", "2026-03-15"); // 2026-03-10 has no data
    const spec = dailyEnergyChart(r, { id: "energy" });
    const svg = chartSvg(spec);
    expect(svg).toContain("Energy (kWh)");
    expect(spec.table.rows[1]).toEqual(["Tue 10 Mar", "–", "–", "–"]);
    // 6 heat bars + 6 electricity bars
    expect(svg.match(/<rect /g)!.length).toBe(12);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/daily-energy-week.svg");
  });

  it("today's bars are marked as partial; bars link to their day and name their values", async () => {
    // The fake's "now" is 1 November 2026, 14:30: the week's last day is not over.
    const r = await rows("2026-10-26", "2026-11-01");
    const link = (day: string) => (day === "2026-10-28" ? null : `/day/${day}/`);
    for (const spec of [
      dailyEnergyChart(r, { id: "energy", link }),
      heatSplitChart(r, { id: "split", link }),
      dailyCopChart(r, { id: "cop", link }),
    ]) {
      const svg = chartSvg(spec);
      expect(spec.legend.at(-1)).toEqual({
        quantity: expect.any(String),
        label: "So far (not over yet)",
        style: "partial",
      });
      expect(spec.table.rows.at(-1)![0]).toBe("Sun 1 Nov (so far)");
      // Only today's bars are dashed: one per mark of the chart that has a bar that day.
      expect(svg.match(/stroke-dasharray="4 3"/g)!.length).toBeGreaterThanOrEqual(1);
      expect(svg).toMatch(/<a href="\/day\/2026-11-01\/"[^>]*><rect[^>]*><title>Sun 1 Nov \(so far\): /);
      // A day without a page has no link, its bar still its title.
      expect(svg).not.toContain('href="/day/2026-10-28/"');
      expect(svg).toMatch(/<rect[^>]*><title>Wed 28 Oct: /);
    }
    // In the season's scatters today's dot is a ring, the others filled.
    for (const spec of [
      copVsOutsideChart(r, { id: "cop-outside", link }),
      heatingCurveChart(r, null, { id: "curve", link }),
    ]) {
      const svg = chartSvg(spec);
      expect(spec.legend.map((l) => l.label)).toContain("Today so far");
      expect(svg.match(/<g [^>]*fill="none"[^>]*aria-label="dot"/g)).toHaveLength(1);
      expect(svg).toMatch(
        new RegExp(
          '<g [^>]*fill="none"[^>]*aria-label="dot"><a href="/day/2026-11-01/"[^>]*>' +
            "<circle[^>]*><title>Sun 1 Nov 2026 \\(so far\\): ",
        ),
      );
    }
    await expect(chartSvg(dailyEnergyChart(r, { id: "energy", link }))).toMatchFileSnapshot(
      "../__snapshots__/daily-energy-week-in-progress.svg",
    );
  });

  it("heating vs hot water stacks both parts", async () => {
    const spec = heatSplitChart(await rows("2026-03-01", "2026-03-31"), { id: "split" });
    const svg = chartSvg(spec);
    expect(svg).toContain("var(--c-heating)");
    expect(svg).toContain("var(--c-dhw)");
    await expect(svg).toMatchFileSnapshot("../__snapshots__/heat-split-month.svg");
  });

  it("COP per day draws the vendor COP beside it", async () => {
    const spec = dailyCopChart(await rows("2026-03-09", "2026-03-15"), { id: "cop" });
    const svg = chartSvg(spec);
    expect(svg).toContain("var(--c-cop-vendor)");
    expect(spec.table.columns).toEqual(["Day", "COP", "COP (heat pump's estimate)"]);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/daily-cop-week.svg");
  });
});
