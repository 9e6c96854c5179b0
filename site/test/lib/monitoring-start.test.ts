/**
 * A first season, month or week: monitoring began on 5 October 2026 (the fake's data runs from then
 * to "now", Saturday 5 December 2026, 14:30 in Berlin). The days before are "before monitoring",
 * not missing data; coverage and comparisons say so. Expected sums come from the fixture's daily
 * rows (fakeRow), added up here.
 */
import { describe, expect, it } from "vitest";
import { comparisonRows, periodCards } from "../../src/lib/period-cards.ts";
import { periodView, seasonView } from "../../src/lib/page-views.ts";
import { createFakeReports, fakeRow, localMidnight } from "../fixtures/fake-reports.ts";
import { dayList } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-12-05", TZ) + 14.5 * 3_600_000;
const FIRST = "2026-10-05";
const fake = createFakeReports({ tz: TZ, first: FIRST, last: "2026-12-05", nowMs: NOW, missing: [] });
const extent = { first: FIRST, last: "2026-12-05" };
const card = (cards: ReturnType<typeof periodCards>, label: string) => cards.find((c) => c.label === label)!;
const heat = (from: string, to: string) =>
  dayList(from, to).reduce((a, d) => a + (fakeRow(d, TZ, NOW, d < FIRST).heat_kwh ?? 0), 0);
/** kWh as the pages write them: one decimal below 100 kWh. */
const kwhText = (v: number) => (v >= 100 ? `${Math.round(v)} kWh` : `${v.toFixed(1)} kWh`);
const changeText = (now: number, before: number) => {
  const pct = Math.round(((now - before) / before) * 100);
  return `${pct > 0 ? "+" : pct < 0 ? "−" : "±"}${Math.abs(pct)} %`;
};

describe("a first season", () => {
  it("counts coverage and days from the day monitoring began: no card is a warning", async () => {
    const r = await fake.report({ kind: "season", id: "2026-27" });
    const cards = periodCards(r);
    // Every day from 5 October has data (98.9 % heat pump, 99.6 % Shelly, today's 14.5 hours too).
    expect(cards.filter((c) => c.tone === "warn").map((c) => c.label)).toEqual([]);
    expect(card(cards, "Coverage")).toEqual({
      label: "Coverage",
      value: "99 %",
      // 99.6 % and 98.9 %, written without decimals.
      note: "coverage 100 % Shelly, 99 % heat pump, of the time since monitoring began on 5 October 2026",
    });
    // 5 October to 5 December: 27 + 30 + 5 days, today's among them.
    expect(card(cards, "Days with data")).toEqual({
      label: "Days with data",
      value: "62 of 62 so far",
      note: "since monitoring began on 5 October 2026",
    });
  });

  it("says so under its title, and names July to September as before monitoring, not as months at 0 %", async () => {
    const r = await fake.report({ kind: "season", id: "2026-27" });
    const v = seasonView(r, extent);
    expect(v.subtitle).toContain("since monitoring began on 5 October 2026");
    expect(v.days.before).toBe("July – September 2026: before monitoring, which began on 5 October 2026.");
    expect(v.days.rows.slice(0, 3).map((row) => row.head)).toEqual([
      "October 2026",
      "November 2026",
      "December 2026 (so far)",
    ]);
    // No month at 0 %: October is covered from the 5th on, like the season.
    expect(v.days.rows[0]!.cells.at(-1)).toBe("99 %");
    // The monthly chart starts with the first month monitored.
    const months = v.charts.find((c) => c.id === "months")!;
    expect(months.table.rows.slice(0, 3).map((row) => row[0])).toEqual([
      "October 2026",
      "November 2026",
      "December 2026 (so far)",
    ]);
    expect(months.caption).toContain("From October 2026: monitoring began on 5 October 2026.");
  });

  it("a first month names its days before monitoring in one line, then lists and draws its days", async () => {
    const r = await fake.report({ kind: "month", id: "2026-10" });
    const v = periodView(r, extent);
    expect(v.days.before).toBe(
      "1 October 2026 – 4 October 2026: before monitoring, which began on 5 October 2026.",
    );
    expect(v.days.rows[0]!.head).toBe("2026-10-05");
    expect(v.charts.find((c) => c.id === "energy")!.table.rows[0]![0]).toBe("Mon 5 Oct");
  });
});

describe("a month compared with one that has days without data", () => {
  it("compares per day with data and names the gap on the card: October: 27 of 31 days", async () => {
    const r = await fake.report({ kind: "month", id: "2026-11" });
    const nov = heat("2026-11-01", "2026-11-30") / 30;
    const oct = heat("2026-10-05", "2026-10-31") / 27;
    expect(card(periodCards(r), "Heat").note).toBe(
      `${changeText(nov, oct)} per day vs previous month (${kwhText(oct)} a day); October: 27 of 31 days`,
    );
    expect(comparisonRows(r).find((x) => x.label.startsWith("Heat"))).toEqual({
      label: "Heat, per day",
      now: kwhText(nov),
      before: kwhText(oct),
      change: changeText(nov, oct),
    });
    // Ratios and means are compared as they are.
    expect(comparisonRows(r).find((x) => x.label === "COP")!.now).toBe(r.cop!.toFixed(2));
  });

  it("periods with every day's data compare totals, as before", async () => {
    const r = await fake.report({ kind: "week", id: "2026-W48" }); // 23-29 November
    const now = heat("2026-11-23", "2026-11-29");
    const before = heat("2026-11-16", "2026-11-22");
    expect(card(periodCards(r), "Heat").note).toBe(
      `${changeText(now, before)} vs previous week (${kwhText(before)})`,
    );
    expect(comparisonRows(r).find((x) => x.label === "Heat")!.before).toBe(kwhText(before));
  });
});
