import { describe, expect, it } from "vitest";
import { copLineChart } from "../../src/charts/cop-line.ts";
import { powerChart } from "../../src/charts/power.ts";
import { chartSvg } from "../../src/charts/svg.ts";
import { daySeries } from "./support.ts";

describe("powerChart", () => {
  it("draws a 23-hour DST day in local time with the gap as a gap", async () => {
    const spec = powerChart(await daySeries("2026-03-29", "2026-03-30"), { id: "power" });
    const svg = chartSvg(spec);
    expect(svg).toContain('viewBox="0 0 560 300"');
    expect(svg).toContain("Power (W)");
    // Local ticks: 00:00 .. the day has no 02:00 local on the spring-forward day.
    expect(svg).toContain(">00:00<");
    expect(spec.table.rows.map((r) => r[0])).not.toContain("02:00");
    expect(spec.table.rows).toHaveLength(23);
    // The Shelly is missing 02:00-04:00 UTC (04:00-06:00 CEST): a dash, never a zero.
    expect(spec.table.rows.find((r) => r[0] === "04:00")![1]).toBe("–");
    expect(spec.table.rows.find((r) => r[0] === "06:00")![1]).not.toBe("–");
    // The line breaks at the gap: more than one path segment start in the line's d attribute.
    const lines = [...svg.matchAll(/aria-label="line"><path d="([^"]+)"/g)].map((m) => m[1]!);
    const line = lines[lines.length - 1]!; // electric power is drawn last, over the heat line
    expect(line.match(/M/g)!.length).toBeGreaterThan(1);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/power-2026-03-29.svg");
  });

  it("marks each defrost the readings saw with a dashed line and names its time in the caption", async () => {
    const data = await daySeries("2026-03-29", "2026-03-30");
    const seen = data.series.defrost!.filter((p) => p.v === 1);
    expect(seen.length).toBeGreaterThan(0);
    const spec = powerChart(data, { id: "power" });
    const svg = chartSvg(spec);
    const rules = svg.match(
      /stroke="var\(--c-defrost\)"[^>]*stroke-dasharray="3 3"|stroke-dasharray="3 3"[^>]*stroke="var\(--c-defrost\)"/g,
    );
    expect(rules).not.toBeNull();
    // One line per defrost, in the middle of its five-minute bucket (local time in the caption).
    expect(svg.match(/<line /g)?.length).toBeGreaterThanOrEqual(seen.length);
    const times = seen.map((p) => {
      const d = new Date(p.t + 150_000);
      return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
    });
    expect(spec.caption).toContain(
      `${seen.length} defrosts seen by the heat pump's five-minute readings (${times.join(", ")})`,
    );
    expect(spec.legend.map((l) => l.label)).toContain("Defrost");
    // No defrost, no mark and no legend entry.
    const none = powerChart({ ...data, series: { ...data.series, defrost: [] } }, { id: "p" });
    expect(none.legend.map((l) => l.label)).not.toContain("Defrost");
    expect(chartSvg(none)).not.toContain("--c-defrost");
  });

  it("draws a 25-hour DST day", async () => {
    const spec = powerChart(await daySeries("2026-10-25", "2026-10-26"), { id: "power" });
    expect(spec.table.rows.map((r) => r[0]).filter((h) => h === "02:00")).toHaveLength(2);
    await expect(chartSvg(spec)).toMatchFileSnapshot("../__snapshots__/power-2026-10-25.svg");
  });

  it("COP through the day breaks where the heat pump stands by", async () => {
    const spec = copLineChart(await daySeries("2026-03-29", "2026-03-30"), { id: "cop" });
    const svg = chartSvg(spec);
    expect(svg).toContain("var(--c-cop)");
    // The definition is in the caption; no axis cap (nothing clamped at 8).
    expect(spec.caption).toContain("per five minutes");
    expect(spec.caption).toContain("each Viessmann interval's heat");
    expect(spec.caption).not.toContain("drawn at 8");
    expect(spec.options.y).not.toHaveProperty("clamp");
    expect(svg.match(/aria-label="line"><path d="([^"]+)"/)![1]!.match(/M/g)!.length).toBeGreaterThan(1);
    await expect(svg).toMatchFileSnapshot("../__snapshots__/cop-line-2026-03-29.svg");
  });

  it("says empty when there is no data", () => {
    const spec = powerChart({ series: {}, fromMs: 0, toMs: 86_400_000 }, { id: "p" });
    expect(spec.empty).toBe(true);
  });
});
