import { describe, expect, it } from "vitest";
import type { PeriodReport } from "../../../reports/src/types.ts";
import {
  analyticsCards,
  analyticsRows,
  diffPts,
  money,
  perDegreeDayNote,
} from "../../src/lib/analytics-cards.ts";
import { num } from "../../src/lib/format.ts";
import { comparisonRows, periodCards } from "../../src/lib/period-cards.ts";
import { createFakeReports } from "../fixtures/fake-reports.ts";

const fake = createFakeReports({ tz: "Europe/Berlin", first: "2024-07-01", last: "2026-04-05" });

/** The report as an engine without prices returns it: no cost fields at all. */
function withoutPrices(r: PeriodReport): PeriodReport {
  const { currency: _c, cost: _k, cost_per_heat_kwh: _h, gas_cost: _g, savings: _s, ...rest } = r;
  return { ...rest, settings: { hdd_base_c: 15, indoor_c: 20, design_outside_c: -12 } };
}

describe("analytics on the report pages", () => {
  it("a day: COP per mode with the heat pump's estimate, % of Carnot, defrosts, degree days, money", async () => {
    const r = await fake.report({ kind: "day", id: "2026-01-20" });
    const cards = periodCards(r);
    const card = (label: string) => cards.find((c) => c.label === label);
    expect(card("COP space heating")).toMatchObject({
      value: num(r.cop_heating, 2),
      note: `heat pump's estimate ${num(r.cop_heating_vendor, 2)}; ${num(r.elec_heating_kwh, 1)} kWh running`,
    });
    expect(card("COP hot water")!.value).toBe(num(r.cop_dhw, 2));
    expect(card("% of Carnot")!.value).toBe(`${num(r.carnot_pct, 0)} %`);
    expect(card("Defrosts")!.value).toBe(String(r.defrost_count));
    expect(card("Degree days")!.note).toContain("base 15.0 °C");
    // A day has no fit of the house: no card for it.
    expect(card("Heat loss of the house")).toBeUndefined();
    expect(card("Electricity cost")!.value).toBe(money(r.cost!, "EUR"));
    expect(card("Electricity cost")!.value).toMatch(/^€\d+\.\d\d$/);
    // The fake's time-of-use prices, as configured.
    expect(card("Electricity cost")!.note).toBe(
      `${money(r.cost_per_heat_kwh!, "EUR", 3)} per kWh of heat; €0.22 00:00–06:00, €0.34 06:00–24:00`,
    );
    expect(card("Saved against gas")!.note).toBe(
      `a 90 % boiler would have cost ${money(r.gas_cost!, "EUR")}`,
    );
    // No export that day: no card.
    expect(card("Export")).toBeUndefined();
  });

  it("without prices there is no cost card and no cost row, never a 0", async () => {
    const r = withoutPrices(await fake.report({ kind: "month", id: "2026-02" }));
    const labels = periodCards(r).map((c) => c.label);
    expect(labels).not.toContain("Electricity cost");
    expect(labels).not.toContain("Saved against gas");
    expect(labels).not.toContain("Same heat from gas");
    expect(comparisonRows(r).map((x) => x.label)).not.toContain("Electricity cost");
    // Gas price alone: what the same heat would have cost, no savings.
    const gasOnly = {
      ...r,
      currency: "EUR",
      gas_cost: 12.5,
      settings: { ...r.settings, boiler_efficiency: 0.85 },
    };
    expect(analyticsCards(gasOnly).find((c) => c.label === "Same heat from gas")).toEqual({
      label: "Same heat from gas",
      value: "€12.50",
      note: "a 85 % boiler would have cost €12.50",
    });
  });

  it("a month fits the house; too few days says how many there are", async () => {
    const r = await fake.report({ kind: "month", id: "2026-02" });
    const house = periodCards(r).find((c) => c.label === "Heat loss of the house")!;
    expect(house.value).toBe(`${num(r.heat_loss_w_per_k, 0)} W/K`);
    expect(house.note).toContain(
      `at \u221212 °C; balance point ${num(r.balance_point_c, 1)} °C; ${r.house_fit_days} days`,
    );
    const none = {
      ...r,
      heat_loss_w_per_k: null,
      balance_point_c: null,
      design_load_w: null,
      house_fit_r2: null,
      house_fit_days: 9,
    };
    expect(analyticsCards(none).find((c) => c.label === "Heat loss of the house")).toMatchObject({
      value: "–",
      note: "needs 14 closed days with space heating and 90 % heat pump data (9 so far)",
    });
  });

  it("comparison rows: % of Carnot changes in points, the rest in percent", async () => {
    const r = await fake.report({ kind: "month", id: "2026-02" });
    const rows = analyticsRows(r, r, { ...r.previous!, carnot_pct: r.carnot_pct! - 1.25 });
    expect(rows.find((x) => x.label === "% of Carnot")!.change).toBe("+1.3 pts");
    expect(rows.find((x) => x.label === "Heat per degree day")!.change).toMatch(/^[+−±]\d+ %$/);
    expect(rows.map((x) => x.label)).toContain("Heat loss of the house");
    expect(comparisonRows(r).map((x) => x.label)).toContain("Electricity per degree day");
    expect(diffPts(40, 42.5)).toBe("−2.5 pts");
    expect(diffPts(null, 1)).toBe("–");
  });

  it("the season compares space heating per degree day with the previous season", async () => {
    const r = await fake.report({ kind: "season", id: "2025-26" });
    expect(r.prev).toBe("2024-25");
    const pct = (now: number, before: number) => {
      const x = ((now - before) / before) * 100;
      return `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x).toFixed(0)} %`;
    };
    expect(perDegreeDayNote(r)).toBe(
      "Per degree day, against 2024/25 (the weather taken out): " +
        `${pct(r.elec_per_hdd_kwh!, r.previous!.elec_per_hdd_kwh!)} electricity, ` +
        `${pct(r.heat_per_hdd_kwh!, r.previous!.heat_per_hdd_kwh!)} heat for space heating.`,
    );
    expect(perDegreeDayNote({ ...r, previous: null })).toBeNull();
    expect(perDegreeDayNote(await fake.report({ kind: "month", id: "2026-02" }))).toBeNull();
  });
});
