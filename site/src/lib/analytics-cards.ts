/**
 * The analytics of a period report (COP per mode, % of Carnot, defrosts, degree days, the house,
 * money, export) as KPI cards, comparison rows and season notes. period-cards.ts puts them beside
 * the energy and COP figures. A missing figure is a dash; a price that is not configured shows nothing.
 */
import type { PeriodReport, Totals } from "../../../reports/src/types.ts";
import { change, kwh, NONE, num, pct, seasonName, withUnit } from "./format.ts";
import type { ComparisonRow, Kpi } from "./page-parts.ts";
import { indoorText } from "./system-cards.ts";

/** Amount of money: `€1,085.05`; `€0.094` for a price per kWh (`digits`). */
export function money(v: number | null | undefined, currency: string | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  return new Intl.NumberFormat("en-GB", {
    style: "currency",
    currency: currency ?? "EUR",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(v);
}

/** Signed difference of two percentages in points (`+1.2 pts`): a change of a share is not a share. */
export function diffPts(now: number | null, before: number | null): string {
  if (now === null || before === null) return NONE;
  const d = now - before;
  return `${d > 0 ? "+" : d < 0 ? "−" : "±"}${Math.abs(d).toFixed(1)} pts`;
}

/**
 * The configured electricity prices in a few words: `at €0.30/kWh` or
 * `€0.22 00:00–06:00, €0.34 06:00–24:00`.
 */
function priceText(r: PeriodReport): string {
  const prices = r.settings.electricity_prices ?? [];
  if (prices.length === 1) return `at ${money(prices[0]!.price, r.currency)}/kWh`;
  return prices.map((p) => `${money(p.price, r.currency)} ${p.from}–${p.to}`).join(", ");
}

const fitted = (r: Totals) => r.heat_loss_w_per_k !== null;
/** Months and seasons are fitted; days and weeks are too short. */
const fits = (r: PeriodReport) => r.kind === "month" || r.kind === "season";

export function analyticsCards(r: PeriodReport): Kpi[] {
  const cards: Kpi[] = [
    {
      label: "COP space heating",
      value: num(r.cop_heating, 2),
      note:
        `heat pump's estimate ${num(r.cop_heating_vendor, 2)}; ` +
        `${withUnit(r.elec_heating_kwh, "kWh")} running`,
      quantity: "heating",
    },
    {
      label: "COP hot water",
      value: num(r.cop_dhw, 2),
      note: `heat pump's estimate ${num(r.cop_dhw_vendor, 2)}; ${withUnit(r.elec_dhw_kwh, "kWh")} running`,
      quantity: "dhw",
    },
    {
      label: "% of Carnot",
      value: pct(r.carnot_pct, 0),
      note: "heat against an ideal heat pump between flow + 2 K and outside − 6 K",
      quantity: "cop",
    },
    {
      label: "Defrosts",
      value: num(r.defrost_count, 0),
      note:
        `${withUnit(r.defrost_min, "min", 0)}; ${withUnit(r.defrost_heat_kwh, "kWh")} drawn back ` +
        `(${pct(r.defrost_share_pct, 1)} of heat)`,
      quantity: "defrost",
    },
    {
      label: "Degree days",
      value: num(r.hdd, 0),
      note:
        `base ${num(r.settings.hdd_base_c, 1)} °C; per degree day ` +
        `${withUnit(r.heat_per_hdd_kwh, "kWh", 2)} heat, ${withUnit(r.elec_per_hdd_kwh, "kWh", 2)} electricity`,
      quantity: "outside",
    },
  ];
  // A fitted house says which indoor temperature it used (the room sensor's or INDOOR_C).
  const indoor = indoorText(r);
  if (fits(r))
    cards.push({
      label: "Heat loss of the house",
      value: withUnit(r.heat_loss_w_per_k, "W/K", 0),
      note: fitted(r)
        ? `design load ${withUnit(r.design_load_w, "W", 0)} at ${num(r.settings.design_outside_c, 0)} °C; ` +
          `balance point ${withUnit(r.balance_point_c, "°C")}; ` +
          `${r.house_fit_days} days, R² ${num(r.house_fit_r2, 2)}` +
          (indoor ? `; indoor: ${indoor}` : "")
        : `needs 14 closed days with space heating and 90 % heat pump data (${r.house_fit_days ?? 0} so far)`,
      quantity: "heating",
    });
  if (r.cost !== undefined)
    cards.push({
      label: "Electricity cost",
      value: money(r.cost, r.currency),
      note: `${money(r.cost_per_heat_kwh, r.currency, 3)} per kWh of heat; ${priceText(r)}`,
      quantity: "elec",
    });
  if (r.gas_cost !== undefined)
    cards.push({
      label: r.savings !== undefined ? "Saved against gas" : "Same heat from gas",
      value: r.savings !== undefined ? money(r.savings, r.currency) : money(r.gas_cost, r.currency),
      note:
        `a ${num((r.settings.boiler_efficiency ?? 0.9) * 100, 0)} % boiler ` +
        `would have cost ${money(r.gas_cost, r.currency)}`,
    });
  if (r.export_kwh !== null && r.export_kwh > 0)
    cards.push({
      label: "Export",
      value: kwh(r.export_kwh),
      note: "returned to the grid (meter's export counter)",
    });
  return cards;
}

/**
 * The analytics rows of the comparison with the previous period: `n` the totals compared (the whole
 * period, or its complete days while it is in progress), `p` the previous period's; `perDay` when
 * both are per day with data (progress-notes.ts, perDayTotals): the rows of figures that add up say
 * so, and counts get a decimal.
 */
export function analyticsRows(r: PeriodReport, n: Totals, p: Totals, perDay = false): ComparisonRow[] {
  const row = (label: string, a: number | null, b: number | null, show: (v: number | null) => string) => ({
    label,
    now: show(a),
    before: show(b),
    change: change(a, b),
  });
  const each = (label: string) => (perDay ? `${label}, per day` : label);
  const count = perDay ? 1 : 0;
  const rows: ComparisonRow[] = [
    row("COP space heating", n.cop_heating, p.cop_heating, (v) => num(v, 2)),
    row("COP hot water", n.cop_dhw, p.cop_dhw, (v) => num(v, 2)),
    {
      ...row("% of Carnot", n.carnot_pct, p.carnot_pct, (v) => pct(v, 0)),
      change: diffPts(n.carnot_pct, p.carnot_pct),
    },
    row(each("Defrosts"), n.defrost_count, p.defrost_count, (v) => num(v, count)),
    row(each("Degree days"), n.hdd, p.hdd, (v) => num(v, count)),
    row("Heat per degree day", n.heat_per_hdd_kwh, p.heat_per_hdd_kwh, (v) => withUnit(v, "kWh", 2)),
    row("Electricity per degree day", n.elec_per_hdd_kwh, p.elec_per_hdd_kwh, (v) => withUnit(v, "kWh", 2)),
  ];
  if (fits(r))
    rows.push(
      row("Heat loss of the house", n.heat_loss_w_per_k, p.heat_loss_w_per_k, (v) => withUnit(v, "W/K", 0)),
      row("Design load", n.design_load_w, p.design_load_w, (v) => withUnit(v, "W", 0)),
    );
  if (n.cost !== undefined)
    rows.push(row(each("Electricity cost"), n.cost, p.cost ?? null, (v) => money(v, r.currency)));
  if (n.savings !== undefined)
    rows.push(row(each("Saved against gas"), n.savings, p.savings ?? null, (v) => money(v, r.currency)));
  return rows;
}

/**
 * The season page's weather-corrected comparison: "Per degree day, against 2024/25: −8 %
 * electricity, −3 % heat", or null without a previous season with degree-day figures.
 */
export function perDegreeDayNote(r: PeriodReport): string | null {
  const p = r.previous;
  if (r.kind !== "season" || !p || r.prev === null) return null;
  // A season in progress is compared over its complete days, as the comparison table does.
  const n = r.progress?.compared ?? r;
  if (p.elec_per_hdd_kwh === null && p.heat_per_hdd_kwh === null) return null;
  const part = (now: number | null, before: number | null, what: string) =>
    now === null || before === null || before === 0 ? null : `${change(now, before)} ${what}`;
  const parts = [
    part(n.elec_per_hdd_kwh, p.elec_per_hdd_kwh, "electricity"),
    part(n.heat_per_hdd_kwh, p.heat_per_hdd_kwh, "heat"),
  ].filter((x) => x !== null);
  if (parts.length === 0) return null;
  return (
    `Per degree day, against ${seasonName(r.prev)} (the weather taken out): ` +
    `${parts.join(", ")} for space heating.`
  );
}
