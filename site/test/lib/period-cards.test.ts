import { describe, expect, it } from "vitest";
import { comparisonRows, periodCards, previousLabel } from "../../src/lib/period-cards.ts";
import { createFakeReports } from "../fixtures/fake-reports.ts";

const fake = createFakeReports({ tz: "Europe/Berlin" });

describe("period cards and comparison rows", () => {
  it("a missing value is a dash, never 0", async () => {
    const r = await fake.report({ kind: "day", id: "2026-03-10" }); // the fake's day without data
    const cards = periodCards(r);
    expect(cards.find((c) => c.label === "Heat")!.value).toBe("–");
    expect(cards.find((c) => c.label === "COP")!.value).toBe("–");
  });

  it("temperatures compare in kelvin, energies in percent", async () => {
    const r = await fake.report({ kind: "week", id: "2026-W13" });
    const rows = comparisonRows(r);
    expect(rows.find((x) => x.label === "Outside, mean")!.change).toMatch(/^[+−±]\d+\.\d K$/);
    expect(rows.find((x) => x.label === "Heat")!.change).toMatch(/^[+−±]\d+ %$/);
  });

  it("the comparison column says when the previous period has days without data", async () => {
    const r = await fake.report({ kind: "week", id: "2026-W13" });
    expect(r.previous).not.toBeNull();
    const full = { ...r, previous: { ...r.previous!, days: 7, days_with_data: 7 } };
    expect(previousLabel(full)).toBe("Previous week");
    const partial = { ...r, previous: { ...r.previous!, days: 7, days_with_data: 3 } };
    expect(previousLabel(partial)).toBe("Previous week (3 of 7 days with data)");
  });
});
