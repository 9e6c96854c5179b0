/**
 * Money from hand-made rows (tariff.ts): each hour's electricity at its price, a standing charge per
 * day whose cost is known, and the gas boiler's cost for the same heat. Worked out in the comments.
 */
import { describe, expect, it } from "vitest";
import {
  dayCost,
  flatPrice,
  hourlyPrices,
  moneyTotals,
  parseSchedule,
  pricedRows,
} from "../../src/rollup/tariff.ts";
import { DEFAULT_SETTINGS } from "../../src/rollup/period-analytics.ts";
import type { AnalysisSettings, DailyRow } from "../../src/types.ts";

/** A day with `kwh` in each of the first hours given and heat `heat` kWh. */
const row = (day: string, hourly: (number | null)[], heat: number | null) =>
  ({ day, elec_hourly_kwh: hourly, heat_kwh: heat }) as unknown as DailyRow;
const settings = (s: Partial<AnalysisSettings>): AnalysisSettings => ({ ...DEFAULT_SETTINGS, ...s });

describe("prices by hour", () => {
  it("a schedule's ranges give each hour its price; a flat price every hour the same", () => {
    const p = hourlyPrices(parseSchedule("06:00-24:00=0.30,00:00-06:00=0.20"));
    expect(p).toEqual([...Array<number>(6).fill(0.2), ...Array<number>(18).fill(0.3)]);
    expect(hourlyPrices(flatPrice(0.25))).toEqual(Array<number>(24).fill(0.25));
    expect(parseSchedule("0:00-7:00=0.1, 07:00-24:00=0.2")).toEqual([
      { from: "00:00", to: "07:00", price: 0.1 },
      { from: "07:00", to: "24:00", price: 0.2 },
    ]);
  });

  it(
    "a day's cost: Σ kWh × price; hours without electricity skipped; " +
      "an hour without a price makes it unknown",
    () => {
      const price = (_day: string, h: number) => (h < 2 ? 0.2 : h < 23 ? 0.3 : null);
      // 1 × 0.2 + 2 × 0.3 = 0.8 (hour 1 has no electricity).
      expect(dayCost(row("2026-01-01", [1, null, 2], 10), price)).toBeCloseTo(0.8, 12);
      expect(dayCost(row("2026-01-01", [null, null], 10), price)).toBeNull();
      const all = Array<number>(24).fill(1);
      expect(dayCost(row("2026-01-01", all, 10), price)).toBeNull();
      // A row cached before the hourly split: no hours, no cost.
      expect(dayCost({ day: "2026-01-01" } as DailyRow, price)).toBeNull();
    },
  );
});

describe("moneyTotals", () => {
  const rows = [row("2026-01-01", [2, 3], 20), row("2026-01-02", [1], null), row("2026-01-03", [null], 5)];

  it("without prices: no money fields at all, never 0", () => {
    expect(moneyTotals(rows, DEFAULT_SETTINGS)).toEqual({});
  });

  it(
    "electricity at 0.30 with 0.45 a day standing: cost, charge and total; " +
      "per kWh of heat over the days with both",
    () => {
      const m = moneyTotals(
        rows,
        settings({ electricity_prices: flatPrice(0.3), electricity_standing_charge: 0.45 }),
      );
      expect(m).toEqual({
        currency: "EUR",
        // Day 1: 5 kWh = 1.50; day 2: 1 kWh = 0.30; day 3: no electricity, no cost, no charge.
        cost: 1.8,
        standing_charge: 0.9,
        cost_total: 2.7,
        // Only day 1 has both cost and heat: 1.50 / 20.
        cost_per_heat_kwh: 0.075,
      });
    },
  );

  it("gas: heat / efficiency × gas price; savings over the days that have both", () => {
    const m = moneyTotals(
      rows,
      settings({
        electricity_prices: flatPrice(0.3),
        gas_price: 0.1,
        boiler_efficiency: 0.8,
        currency: "CHF",
      }),
    );
    // Gas: (20 + 5) / 0.8 × 0.1 = 3.125 -> 3.13 (day 2 has no heat); savings: day 1 only,
    // 20 / 0.8 × 0.1 - 1.50 = 1.00.
    expect(m).toMatchObject({ currency: "CHF", gas_cost: 3.13, savings: 1 });
    expect(m).not.toHaveProperty("standing_charge");
    // Without an electricity price: the gas cost alone, at the default efficiency of 0.9.
    const gasOnly = moneyTotals([row("2026-01-01", [1], 9)], settings({ gas_price: 0.1 }));
    expect(gasOnly).toEqual({ currency: "EUR", gas_cost: 1 });
  });

  it("priced rows carry their day's cost, charge and total; without prices the rows are the rows", () => {
    const s = settings({ electricity_prices: flatPrice(0.3), electricity_standing_charge: 0.45 });
    const [a, b] = pricedRows([rows[0]!, rows[2]!], s);
    expect(a).toMatchObject({ cost: 1.5, standing_charge: 0.45, cost_total: 1.95 });
    expect(b).toMatchObject({ cost: null, standing_charge: null, cost_total: null });
    expect(pricedRows(rows, DEFAULT_SETTINGS)).toBe(rows);
  });
});
