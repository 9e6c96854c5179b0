/**
 * The headline figures of a period report (a day, week, month or season) as KPI cards, and the rows
 * of its comparison with the previous period; the analytics' cards and rows (analytics-cards.ts)
 * go among them. All the arithmetic a page needs lives in these modules, so pages stay thin.
 */
import type { DailyRow, PeriodReport, Totals } from "../../../reports/src/types.ts";
import { analyticsCards, analyticsRows } from "./analytics-cards.ts";
import { type CoverageBasis, coverageBasis } from "./coverage.ts";
import { change, diffK, kwh, longDay, num, pct, withUnit } from "./format.ts";
import type { ComparisonRow, Kpi } from "./page-parts.ts";
import { comparisonBasis, coverageCaveat, perDayTotals } from "./progress-notes.ts";
import { coolingCards, hasBackup, meteredCards, roomCards, systemRows } from "./system-cards.ts";

/**
 * Coverage per source, the counter readings left out as outliers (README, Reports) if any, and what
 * the coverage is of: the time so far, or since monitoring began inside the period.
 */
function coverage(r: PeriodReport, b: CoverageBasis): string {
  const of = b.since
    ? `, of the time since monitoring began on ${longDay(b.since)}`
    : r.progress
      ? ", of the time so far"
      : "";
  return (
    `coverage ${pct(b.elec)} Shelly, ${pct(b.hp)} heat pump` +
    (r.outliers > 0 ? `; ${r.outliers} outlier reading${r.outliers === 1 ? "" : "s"} left out` : "") +
    of
  );
}

/** A figure as the cards and the comparison table show it: kWh, another unit, or a bare number. */
const figure = (v: number | null, unit: string, digits = 1): string =>
  unit === "kWh" ? kwh(v) : unit ? withUnit(v, unit, digits) : num(v, digits);

/**
 * Header of the comparison column: a previous period with missing days says so, because its sums
 * (and so every percentage beside them) cover only those days; a period in progress names the
 * first N days both sides cover.
 */
export function previousLabel(r: PeriodReport): string {
  return comparisonBasis(r)?.beforeLabel ?? `Previous ${r.kind}`;
}

/** Headline cards of a period report (a day, week, month or season). */
export function periodCards(r: PeriodReport): Kpi[] {
  const basis = comparisonBasis(r);
  const cov = coverageBasis(r);
  // Energies of sides with days missing compare per day with data, and the card names the gaps.
  const [now, before] = basis?.perDay
    ? [perDayTotals(basis.now), perDayTotals(basis.before)]
    : [basis?.now, basis?.before];
  const vs = (pick: (t: Totals) => number | null, digits = 1, unit = "") =>
    basis && now && before
      ? `${change(pick(now), pick(before))} ${basis.phrase} ` +
        `(${figure(pick(before), unit, digits)}${basis.perDay ? " a day" : ""})` +
        basis.gaps.map((g) => `; ${g}`).join("")
      : undefined;
  const cards: Kpi[] = [
    {
      label: "Heat",
      value: kwh(r.heat_kwh),
      note: vs((t) => t.heat_kwh, 1, "kWh"),
      quantity: "heat",
    },
    {
      label: "Electricity",
      value: kwh(r.elec_kwh),
      note: vs((t) => t.elec_kwh, 1, "kWh"),
      quantity: "elec",
    },
    {
      label: r.kind === "season" ? "SPF (seasonal COP)" : "COP",
      value: num(r.cop, 2),
      // Beside the system's COP it says whose it is.
      note: `${hasBackup(r) ? "the heat pump alone; " : ""}heat pump's estimate ${num(r.cop_vendor, 2)}`,
      quantity: "cop",
    },
    ...meteredCards(r),
    {
      label: "COP while running",
      value: num(r.cop_running, 2),
      note: `standby ${withUnit(r.standby_elec_kwh, "kWh", 2)}`,
      quantity: "cop",
    },
    { label: "Space heating", value: kwh(r.heat_heating_kwh), quantity: "heating" },
    { label: "Hot water", value: kwh(r.heat_dhw_kwh), quantity: "dhw" },
    ...coolingCards(r),
    {
      label: "Compressor starts",
      value: num(r.starts, 0),
      note: `device counter ${num(r.starts_vendor, 0)}; mean run ${withUnit(r.mean_run_min, "min", 0)}`,
    },
    {
      label: "Running time",
      value: withUnit(r.running_hours, "h", 1),
      note: `running electricity ${withUnit(r.running_elec_kwh, "kWh")}`,
    },
    { label: "Outside, mean", value: withUnit(r.outside_mean_c, "°C"), quantity: "outside" },
    ...roomCards(r),
    {
      label: "Flow, mean",
      value: withUnit(r.flow_mean_c, "°C"),
      // The space-heating figure (hot water and defrost left out) is the one to set against the curve.
      note: `weighted by heat where known; space heating only ${withUnit(r.flow_heating_mean_c, "°C")}`,
      quantity: "flow",
    },
    ...analyticsCards(r),
    {
      label: "Coverage",
      value: pct(Math.min(cov.elec, cov.hp)),
      note: coverage(r, cov),
    },
  ];
  if (r.kind !== "day")
    cards.push({
      label: "Days with data",
      // Of the days the coverage is of: begun so far while in progress, from the monitoring start.
      value: `${r.days_with_data} of ${cov.days}${r.progress ? " so far" : ""}`,
      ...(cov.since ? { note: `since monitoring began on ${longDay(cov.since)}` } : {}),
    });
  return withCaveats(r, cards).map((c) => (c.note === undefined ? (({ note: _n, ...rest }) => rest)(c) : c));
}

/** The rows each headline figure draws on, for its coverage caveat ("from 30 of 365 days"). */
const CAVEATED: Record<string, (row: DailyRow) => boolean> = {
  Heat: (row) => row.heat_kwh !== null,
  Electricity: (row) => row.elec_kwh !== null,
  COP: (row) => row.heat_kwh !== null && row.elec_kwh !== null,
  "SPF (seasonal COP)": (row) => row.heat_kwh !== null && row.elec_kwh !== null,
  "COP while running": (row) => row.heat_kwh !== null && row.running_elec_kwh !== null,
  "Space heating": (row) => row.heat_heating_kwh !== null,
  "Hot water": (row) => row.heat_dhw_kwh !== null,
  "System COP": (row) => row.cop_system !== null,
  "System SPF": (row) => row.cop_system !== null,
};

/** Figures from too little data carry the caveat on their card, marked like a stale value. */
function withCaveats(r: PeriodReport, cards: Kpi[]): Kpi[] {
  return cards.map((c) => {
    const has = CAVEATED[c.label];
    const caveat = has ? coverageCaveat(r, has) : null;
    if (!caveat) return c;
    return { ...c, note: c.note ? `${caveat}; ${c.note}` : caveat, tone: "warn" };
  });
}

/**
 * This period against the previous one of the same kind; a period in progress over its complete
 * days against as many of the previous period's first days (comparisonBasis).
 */
export function comparisonRows(r: PeriodReport): ComparisonRow[] {
  const basis = comparisonBasis(r);
  if (!basis) return [];
  // Sides with days missing: what adds up is compared per day with data (the rows say so).
  const perDay = basis.perDay;
  const n = perDay ? perDayTotals(basis.now) : basis.now;
  const p = perDay ? perDayTotals(basis.before) : basis.before;
  const each = (label: string) => (perDay ? `${label}, per day` : label);
  const row = (
    label: string,
    a: number | null,
    b: number | null,
    unit: string,
    digits = 1,
  ): ComparisonRow => ({
    label,
    now: figure(a, unit, digits),
    before: figure(b, unit, digits),
    change: unit === "°C" ? diffK(a, b) : change(a, b),
  });
  return [
    row(each("Heat"), n.heat_kwh, p.heat_kwh, "kWh"),
    row(each("Electricity"), n.elec_kwh, p.elec_kwh, "kWh"),
    row("COP", n.cop, p.cop, "", 2),
    ...systemRows(r, n, p, perDay),
    row(each("Space heating"), n.heat_heating_kwh, p.heat_heating_kwh, "kWh"),
    row(each("Hot water"), n.heat_dhw_kwh, p.heat_dhw_kwh, "kWh"),
    row("Outside, mean", n.outside_mean_c, p.outside_mean_c, "°C"),
    row(each("Compressor starts"), n.starts, p.starts, "", perDay ? 1 : 0),
    ...analyticsRows(r, n, p, perDay),
  ];
}
