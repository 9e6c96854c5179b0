/**
 * Money: what the electricity cost, and what the same heat would have cost from a gas boiler.
 *
 * - Electricity prices are per kWh by local time of day, the same every day: ELECTRICITY_PRICE (one
 *   price) or ELECTRICITY_PRICE_SCHEDULE (`HH:MM-HH:MM=price` ranges); from the first row of
 *   ELECTRICITY_PRICES_FILE on, that file's prices over time (price-file.ts). Daily rows keep their
 *   electricity per local clock hour (hourly.ts), so prices are applied here, when rolling up: a
 *   changed price needs no recomputation of history. Ranges change on the hour, because that is the
 *   resolution the rows keep.
 * - cost = Σ hourly electricity × that hour's price (null for a day with electricity in an hour
 *   that has no price); cost_per_heat_kwh = cost / heat over the days that have both.
 * - ELECTRICITY_STANDING_CHARGE: per day, for each day whose cost is known (so the three always
 *   add up: cost_total = cost + standing_charge); the energy figures (cost_per_heat_kwh, savings)
 *   leave it out, as it is paid with or without the heat pump.
 * - gas_cost = heat / BOILER_EFFICIENCY × GAS_PRICE (GAS_PRICE per kWh of gas, as billed);
 *   savings = gas_cost - cost over the days that have both heat and electricity.
 * Without a price its fields are absent: never a cost of 0.
 */
import type { AnalysisSettings, DailyRow, PeriodAnalytics, PriceRange } from "../types.ts";
import type { HourPrice } from "./price-file.ts";
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
          `${h}:${mm} in "${part}" is not on the hour ` +
            "(the reports keep electricity per local hour, so a price can change only at HH:00)",
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

/** How the settings price an hour, or null when no electricity price is set. */
function hourPriceOf(s: AnalysisSettings): HourPrice | null {
  if (s.hour_price) return s.hour_price;
  if (!s.electricity_prices) return null;
  const prices = hourlyPrices(s.electricity_prices);
  return (_day, hour) => prices[hour] ?? null;
}

/** A day's electricity cost, or null when no hour has electricity or one that has lacks a price. */
export function dayCost(row: DailyRow, price: HourPrice): number | null {
  let cost: number | null = null;
  // Rows cached before the hourly split existed have none: unknown.
  const hours = row.elec_hourly_kwh ?? [];
  for (let h = 0; h < hours.length; h++) {
    const kwh = hours[h];
    if (kwh === null || kwh === undefined) continue;
    const p = price(row.day, h);
    if (p === null) return null;
    cost = (cost ?? 0) + kwh * p;
  }
  return cost;
}

/** A day row's money fields (DailyRow.cost ..), for a period report's rows. */
type RowMoney = Pick<DailyRow, "cost" | "standing_charge" | "cost_total">;

function rowMoney(row: DailyRow, price: HourPrice, charge: number | undefined): RowMoney {
  const cost = dayCost(row, price);
  const out: RowMoney = { cost: round(cost, 2) };
  if (charge !== undefined) {
    out.standing_charge = cost === null ? null : charge;
    out.cost_total = cost === null ? null : round(cost + charge, 2);
  }
  return out;
}

/** Rows priced before, by row: a closed day's row (frozen) gets the same priced row every time. */
const priced = new WeakMap<DailyRow, { settings: AnalysisSettings; row: DailyRow }>();

/**
 * The rows with their money fields added (the rows themselves when no electricity price is set).
 * A frozen row (a closed day from the cache) gives a frozen priced row, the same object for the
 * same settings, so the JSON and CSV writers keep their text of it.
 */
export function pricedRows(rows: DailyRow[], s: AnalysisSettings): DailyRow[] {
  const price = hourPriceOf(s);
  if (!price) return rows;
  return rows.map((row) => {
    const known = priced.get(row);
    if (known?.settings === s) return known.row;
    // A row read back from a published report may carry the money of the prices it was built with.
    const { cost: _cost, standing_charge: _charge, cost_total: _total, ...bare } = row;
    const out = { ...bare, ...rowMoney(row, price, s.electricity_standing_charge) };
    if (!Object.isFrozen(row)) return out;
    Object.freeze(out);
    priced.set(row, { settings: s, row: out });
    return out;
  });
}

type Money = Pick<
  PeriodAnalytics,
  "currency" | "cost" | "standing_charge" | "cost_total" | "cost_per_heat_kwh" | "gas_cost" | "savings"
>;

export function moneyTotals(rows: readonly DailyRow[], s: AnalysisSettings): Money {
  const out: Money = {};
  const price = hourPriceOf(s);
  const gas = s.gas_price;
  if (!price && gas === undefined) return out;
  out.currency = s.currency ?? "EUR";
  const cost = price ? (r: DailyRow) => dayCost(r, price) : null;
  if (cost) {
    out.cost = round(sum(rows, cost), 2);
    const charge = s.electricity_standing_charge;
    if (charge !== undefined) {
      out.standing_charge = round(
        sum(rows, (r) => (cost(r) === null ? null : charge)),
        2,
      );
      out.cost_total = round(
        sum(rows, (r) => {
          const c = cost(r);
          return c === null ? null : c + charge;
        }),
        2,
      );
    }
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
