/**
 * COP through the day: a dip is called a defrost only where the readings saw one, and the
 * five-minute bucket still in progress is not drawn.
 */
import { describe, expect, it } from "vitest";
import { copLineChart } from "../../src/charts/cop-line.ts";
import { chartSvg } from "../../src/charts/svg.ts";
import { dayView } from "../../src/lib/page-views.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";
import { daySeries, TZ } from "./support.ts";

const MIN5 = 300_000;
/** Dot titles of the chart (`HH:MM: COP x.xx`), in drawing order. */
const dots = (svg: string) =>
  [...svg.matchAll(/<title>(\d\d:\d\d): COP ([\d.]+)<\/title>/g)].map((m) => m.slice(1));

describe("COP through the day", () => {
  it("says dips are defrosts only on a day with defrosts, and marks each of them", async () => {
    const data = await daySeries("2026-03-29", "2026-03-30");
    const seen = data.series.defrost!.filter((p) => p.v === 1);
    expect(seen.length).toBeGreaterThan(0);
    const spec = copLineChart(data, { id: "cop" });
    // Each defrost at the middle of its bucket, in local time, as on the power chart.
    const times = seen.map((p) => {
      const d = new Date(p.t + MIN5 / 2);
      return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
    });
    expect(spec.caption).toContain(`Dips are defrosts where a dashed line marks one (${times.join(", ")}, `);
    expect(spec.legend.map((l) => l.label)).toEqual(["COP", "Defrost"]);
    const svg = chartSvg(spec);
    expect(svg.match(/stroke="var\(--c-defrost\)"/g)).toHaveLength(1); // one rule mark ...
    expect(svg.match(/<line [^>]*>/g)!.length).toBeGreaterThanOrEqual(seen.length); // ... a line each

    // A day without defrosts makes no such claim and marks nothing.
    const none = copLineChart({ ...data, series: { ...data.series, defrost: [] } }, { id: "cop" });
    expect(none.caption).not.toMatch(/defrost/i);
    expect(none.legend.map((l) => l.label)).toEqual(["COP"]);
    expect(chartSvg(none)).not.toContain("--c-defrost");
  });

  it("does not draw the five-minute bucket in progress (it ends after now)", () => {
    const t0 = localMidnight("2026-12-05", TZ) + 14 * 3_600_000;
    const at = (k: number, v: number) => ({ t: t0 + k * MIN5, v });
    // 14:00 and 14:05 are over; at 14:12 the 14:10 bucket holds two minutes (0.57: heat not read yet).
    const series = {
      cop: [at(0, 3.5), at(1, 3.6), at(2, 0.57)],
      heat_w: [at(0, 3500), at(1, 3600), at(2, 800)],
      power_w: [at(0, 1000), at(1, 1000), at(2, 1400)],
    };
    const window = { series, fromMs: t0 - 10 * 3_600_000, toMs: t0 + 10 * 3_600_000 };
    const live = copLineChart({ ...window, nowMs: t0 + 12 * 60_000 }, { id: "cop" });
    expect(dots(chartSvg(live))).toEqual([
      ["14:00", "3.50"],
      ["14:05", "3.60"],
    ]);
    expect(live.caption).toContain("The five minutes in progress are drawn once they are over.");
    // The table keeps it, as the day's CSV does: the hour so far, (3500 + 3600 + 800) W over
    // (1000 + 1000 + 1400) W, 5 minutes each.
    expect(live.table.rows).toEqual([["14:00", "0.66", "0.28", "2.32"]]);
    // Once it is over (now 14:15), it is drawn like any other.
    const over = copLineChart({ ...window, nowMs: t0 + 15 * 60_000 }, { id: "cop" });
    expect(dots(chartSvg(over)).at(-1)).toEqual(["14:10", "0.57"]);
  });

  it("today's page does not draw the bucket in progress", async () => {
    // Now: 5 April 2026, 16:32 in Berlin; the fake's COP is known in the 16:30 bucket.
    const now = localMidnight("2026-04-05", TZ) + (16 * 60 + 32) * 60_000;
    const fake = createFakeReports({ tz: TZ, nowMs: now });
    const report = await fake.report({ kind: "day", id: "2026-04-05" });
    const from = Date.parse(report.start);
    const series = await fake.series(from, Date.parse(report.end));
    const inProgress = now - (now % MIN5);
    expect(series.cop!.find((p) => p.t === inProgress)?.v).toEqual(expect.any(Number));
    const view = dayView({ report, buckets: await fake.dayBuckets("2026-04-05"), series }, null);
    const svg = chartSvg(view.charts.find((c) => c.id === "cop")!);
    expect(dots(svg).at(-1)![0]).toBe("16:25");
  });
});
