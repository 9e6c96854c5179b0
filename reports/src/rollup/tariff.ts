/**
 * Money: what the electricity cost, and what the same heat would have cost from a gas boiler.
 *
 * - Electricity prices are per kWh by local time of day, the same every day: ELECTRICITY_PRICE (one
 *   price) or ELECTRICITY_PRICE_SCHEDULE (`HH:MM-HH:MM=price` ranges). Daily rows keep their
 *   electricity per local clock hour (hourly.ts), so prices are applied here, when rolling up: a
 *   changed price needs no recomputation of history. Ranges change on the hour, because that is the
 *   resolution the rows keep.
 * - cost = Σ hourly electricity × that hour's price; cost_per_heat_kwh = cost / heat over the days
 *   that have both.
 * - gas_cost = heat / BOILER_EFFICIENCY × GAS_PRICE (GAS_PRICE per kWh of gas, as billed);
 *   savings = gas_cost - cost over the days that have both heat and electricity.
 * Without a price its fields are absent: never a cost of 0.
 */
import type { AnalysisSettings, DailyRow, PeriodAnalytics, PriceRange } from "../types.ts";
import { pairRatio, sum } from "./row-sums.ts";
import { round } from "../metrics/primitives.ts";

const EXAMPLE = "e.g. 00:00-06:00=0.22,06:00-24:00=0.34";
const RANGE = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})=(.*)$/;

const hhmm = (h: number) => `${String(h).padStart(2, "0")}:00`;

/**
 * Parses a time-of-use schedule; throws an Error whose message names the problem and the fix. The
 * ranges may come in any order but must cover 00:00-24:00 without gaps or overlaps.
 */
export function parseSchedule(text: string): PriceRange[] {
  const fail = (problem: string): never => {
    throw new Error(`${problem}; write ranges HH:MM-HH:MM=price that cover 00:00-24:00, ${EXAMPLE}`);
  };
  const ranges: { from: number; to: number; price: number; text: string }[] = [];
  for (const raw of text.split(",")) {
    const part = raw.replace(/\s+/g, "");
    const m = RANGE.exec(part);
    if (!m) fail(`"${part}" is not a range`);
    const [, h1, m1, h2, m2, p] = m!;
    for (const [h, mm] of [
      [h1!, m1!],
      [h2!, m2!],
    ] as const) {
      if (Number(h) > 24 || Number(mm) > 59 || (Number(h) === 24 && mm !== "00"))
        fail(`${h}:${mm} in "${part}" is not a time of day`);
      if (mm !== "00")
        fail(
          `${h}:${mm} in "${part}" is not on the hour (the reports keep electricity per local hour, so a price can change only at HH:00)`,
        );
    }
    const from = Number(h1);
    const to = Number(h2);
    if (to < from)
      fail(`"${part}" runs past midnight: split it into ${hhmm(from)}-24:00 and 00:00-${hhmm(to)}`);
    if (to === from) fail(`"${part}" is empty`);
    const price = p!.trim() === "" ? Number.NaN : Number(p);
    if (!Number.isFinite(price) || price < 0)
      fail(`the price "${p}" of "${part}" is not a number of 0 or more`);
    ranges.push({ from, to, price, text: part });
  }
  ranges.sort((a, b) => a.from - b.from || a.to - b.to);
  let at = 0;
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (r.from > at) fail(`nothing covers ${hhmm(at)}-${hhmm(r.from)}`);
    if (r.from < at)
      fail(`"${ranges[i - 1]!.text}" and "${r.text}" overlap (${hhmm(r.from)}-${hhmm(Math.min(at, r.to))})`);
    at = r.to;
  }
  if (at < 24) fail(`nothing covers ${hhmm(at)}-24:00`);
  return ranges.map((r) => ({ from: hhmm(r.from), to: r.to === 24 ? "24:00" : hhmm(r.to), price: r.price }));
}

/** A flat price as the one range of the day. */
export const flatPrice = (price: number): PriceRange[] => [{ from: "00:00", to: "24:00", price }];

/** The price of each local clock hour (24 entries). */
export function hourlyPrices(ranges: readonly PriceRange[]): number[] {
  const out = new Array<number>(24).fill(Number.NaN);
  for (const r of ranges)
    for (let h = Number(r.from.slice(0, 2)); h < Number(r.to.slice(0, 2)); h++) out[h] = r.price;
  return out;
}

/** A day's electricity cost, or null when no hour has electricity. */
export function dayCost(row: DailyRow, prices: readonly number[]): number | null {
  let cost: number | null = null;
  // Rows cached before the hourly split existed have none: unknown.
  (row.elec_hourly_kwh ?? []).forEach((kwh, h) => {
    if (kwh !== null) cost = (cost ?? 0) + kwh * prices[h]!;
  });
  return cost;
}

type Money = Pick<PeriodAnalytics, "currency" | "cost" | "cost_per_heat_kwh" | "gas_cost" | "savings">;

export function moneyTotals(rows: readonly DailyRow[], s: AnalysisSettings): Money {
  const out: Money = {};
  const prices = s.electricity_prices ? hourlyPrices(s.electricity_prices) : null;
  const gas = s.gas_price;
  if (!prices && gas === undefined) return out;
  out.currency = s.currency ?? "EUR";
  const cost = prices ? (r: DailyRow) => dayCost(r, prices) : null;
  if (cost) {
    out.cost = round(sum(rows, cost), 2);
    out.cost_per_heat_kwh = round(
      pairRatio(rows, cost, (r) => r.heat_kwh),
      4,
    );
  }
  if (gas !== undefined) {
    const efficiency = s.boiler_efficiency ?? 0.9;
    const gasCost = (r: DailyRow) => (r.heat_kwh === null ? null : (r.heat_kwh / efficiency) * gas);
    out.gas_cost = round(sum(rows, gasCost), 2);
    if (cost)
      out.savings = round(
        sum(rows, (r) => {
          const g = gasCost(r);
          const c = cost(r);
          return g === null || c === null ? null : g - c;
        }),
        2,
      );
  }
  return out;
}
