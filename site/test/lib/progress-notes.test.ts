/**
 * Periods in progress on the pages, over the fake engine (now: Sunday 5 April 2026, 14:30 in Berlin;
 * data from 1 March, none on 10 March). Expected sums come from the fixture's daily rows (fakeRow),
 * added up here.
 */
import { describe, expect, it } from "vitest";
import { comparisonRows, periodCards } from "../../src/lib/period-cards.ts";
import { progressNote } from "../../src/lib/progress-notes.ts";
import { createFakeReports, fakeRow, localMidnight } from "../fixtures/fake-reports.ts";
import { dayList } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 14.5 * 3_600_000;
const fake = createFakeReports({ tz: TZ, nowMs: NOW });
const heat = (from: string, to: string) =>
  dayList(from, to).reduce((a, d) => a + fakeRow(d, TZ, NOW, d === "2026-03-10").heat_kwh!, 0);
/** kWh as the pages write them: whole numbers from 100 kWh (all sums here are below 1,000). */
const kwhText = (v: number) => (v >= 100 ? `${Math.round(v)} kWh` : `${v.toFixed(1)} kWh`);
const card = (cards: ReturnType<typeof periodCards>, label: string) => cards.find((c) => c.label === label)!;

describe("a period in progress on its page", () => {
  it("today says so far with its elapsed hours and has no change figure", async () => {
    const r = await fake.report({ kind: "day", id: "2026-04-05" });
    // 14.5 of 24 hours: 60.4 %, rounded down.
    expect(progressNote(r)).toBe(
      "In progress: 14.5 of 24 hours so far (60 %). The change against the day before comes once the day is over.",
    );
    expect(card(periodCards(r), "Heat").note).toBeUndefined();
    expect(comparisonRows(r)).toEqual([]);
  });

  it("this week compares its 6 complete days with the previous week's first 6", async () => {
    const r = await fake.report({ kind: "week", id: "2026-W14" });
    const now = heat("2026-03-30", "2026-04-04");
    const before = heat("2026-03-23", "2026-03-28");
    const pct = Math.round(((now - before) / before) * 100);
    const sign = pct > 0 ? "+" : pct < 0 ? "−" : "±";
    expect(card(periodCards(r), "Heat").note).toBe(
      `${sign}${Math.abs(pct)} % first 6 days vs previous week's (${kwhText(before)})`,
    );
    const row = comparisonRows(r).find((x) => x.label === "Heat")!;
    expect(row).toEqual({
      label: "Heat",
      now: kwhText(now),
      before: kwhText(before),
      change: `${sign}${Math.abs(pct)} %`,
    });
    expect(progressNote(r)).toMatch(
      /^In progress: 6\.6 of 7 days so far \(94 %\)\. Changes compare its first 6 days/,
    );
  });

  it("a closed week is compared with the whole previous week", async () => {
    const r = await fake.report({ kind: "week", id: "2026-W13" });
    expect(progressNote(r)).toBeNull();
    expect(card(periodCards(r), "Heat").note).toMatch(/ vs previous week \(/);
    expect(comparisonRows(r).find((x) => x.label === "Heat")!.before).toBe(
      kwhText(heat("2026-03-16", "2026-03-22")),
    );
  });

  it("a figure from too little data carries the caveat in days, with the coverage's denominator", async () => {
    const season = await fake.report({ kind: "season", id: "2025-26" });
    // The fake has data from 1 March only (and none on 10 March): 35 days with heat of the 279
    // begun since 1 July 2025 (274 to 31 March, 5 in April). Coverage of the time so far: 35 / 279.
    // As a later season (one with data before it), July to February are days without data, not
    // days before monitoring began (coverage.ts), so the caveat counts them.
    const low = { ...season, prev: "2024-25", coverage_hp_pct: 12.5 };
    const cards = periodCards(low);
    expect(card(cards, "Heat")).toMatchObject({ note: "from 35 of 279 days so far", tone: "warn" });
    expect(card(cards, "SPF (seasonal COP)").note).toMatch(/^from 35 of 279 days so far; /);
    expect(card(cards, "Days with data").value).toBe("35 of 279 so far");
    // Enough coverage: no caveat.
    expect(
      card(periodCards({ ...season, coverage_hp_pct: 80, coverage_elec_pct: 95 }), "Heat").note,
    ).toBeUndefined();
  });
});
