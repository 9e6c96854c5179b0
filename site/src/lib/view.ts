/**
 * View models: reports and status turned into what the pages show (cards, comparison rows,
 * navigation, the stale banner). All the arithmetic a page needs lives here, so pages stay thin.
 */
import type { PeriodKind, PeriodReport, Status, StatusValue, Totals } from "../../../reports/src/types.ts";
import type { Quantity } from "../charts/palette.ts";
import { age, change, diffK, kwh, num, pct, seasonName, withUnit } from "./format.ts";
import { isoWeekOf, monthOf, seasonOf } from "../../../reports/src/periods.ts";
import { analyticsCards, analyticsRows } from "./analytics-view.ts";

export interface Kpi {
  label: string;
  value: string;
  /** Small print under the value: age, coverage, the figure it compares with. */
  note?: string;
  quantity?: Quantity;
  /** `warn` for stale values. */
  tone?: "warn";
}

export interface Link {
  href: string;
  label: string;
}

export const pageHref = (kind: PeriodKind, id: string): string => `/${kind}/${id}/`;

function statusCard(
  label: string,
  v: StatusValue,
  digits: number,
  quantity?: Quantity,
  limitS?: number,
): Kpi {
  const stale = v.ageS !== null && limitS !== undefined && v.ageS > limitS;
  return {
    label,
    value: withUnit(v.value, v.unit, digits),
    note: v.timeMs === null ? "no reading yet" : `${age(v.ageS)} ago`,
    ...(quantity ? { quantity } : {}),
    ...(stale || v.timeMs === null ? { tone: "warn" as const } : {}),
  };
}

/** The dashboard's status cards: each value with its age. */
export function statusCards(s: Status): Kpi[] {
  const limit = (source: "shelly" | "viessmann") => s.stale.find((x) => x.source === source)?.limitS;
  const compressor = s.compressor_on.value === null ? "–" : s.compressor_on.value >= 0.5 ? "Running" : "Off";
  return [
    statusCard("Electric power", s.power_w, 0, "elec", limit("shelly")),
    statusCard("Outside", s.outside_c, 1, "outside", limit("viessmann")),
    statusCard("Flow", s.flow_c, 1, "flow", limit("viessmann")),
    statusCard("Return", s.return_c, 1, "return", limit("viessmann")),
    statusCard("Hot water", s.dhw_c, 1, "dhw", limit("viessmann")),
    { ...statusCard("Compressor", s.compressor_on, 0, undefined, limit("viessmann")), value: compressor },
    copNowCard(s),
    statusCard("COP today", s.cop_today, 2, "cop"),
  ];
}

/**
 * COP now is the newest Viessmann interval's heat over its Shelly electricity; it has none while the
 * compressor is off, which is not a missing reading.
 */
function copNowCard(s: Status): Kpi {
  const card = statusCard("COP now", s.cop_now, 1, "cop");
  const off = s.compressor_on.value !== null && s.compressor_on.value < 0.5;
  return s.cop_now.value === null && off ? { ...card, note: "compressor off" } : card;
}

/** The banner text when a source's newest data is older than twice its poll interval, else null. */
export function staleMessage(s: Status): string | null {
  if (s.stale.length === 0) return null;
  const names = { shelly: "Shelly (electricity)", viessmann: "Viessmann (heat pump)" };
  const parts = s.stale.map(
    (x) =>
      `${names[x.source]}: newest data ${x.ageS === null ? "missing" : `${age(x.ageS)} old`} (expected within ${age(x.limitS)})`,
  );
  return `Data is not up to date. ${parts.join("; ")}. Figures below show the last values received; check the collector.`;
}

/** Coverage per source, and the counter readings left out as outliers (README, Reports) if any. */
const coverage = (t: Totals) =>
  `coverage ${pct(t.coverage_elec_pct)} Shelly, ${pct(t.coverage_hp_pct)} heat pump` +
  (t.outliers > 0 ? `; ${t.outliers} outlier reading${t.outliers === 1 ? "" : "s"} left out` : "");

/** A figure as the cards and the comparison table show it: kWh, another unit, or a bare number. */
const figure = (v: number | null, unit: string, digits = 1): string =>
  unit === "kWh" ? kwh(v) : unit ? withUnit(v, unit, digits) : num(v, digits);

/**
 * Header of the comparison column: a previous period with missing days says so, because its sums
 * (and so every percentage beside them) cover only those days.
 */
export function previousLabel(r: PeriodReport): string {
  const p = r.previous;
  const partial = p && p.days_with_data < p.days ? ` (${p.days_with_data} of ${p.days} days with data)` : "";
  return `Previous ${r.kind}${partial}`;
}

/** Headline cards of a period report (a day, week, month or season). */
export function periodCards(r: PeriodReport): Kpi[] {
  const vs = (now: number | null, before: number | null | undefined, digits = 1, unit = "") =>
    r.previous && before !== undefined
      ? `${change(now, before)} vs previous ${r.kind} (${figure(before, unit, digits)})`
      : undefined;
  const cards: Kpi[] = [
    {
      label: "Heat",
      value: kwh(r.heat_kwh),
      note: vs(r.heat_kwh, r.previous?.heat_kwh, 1, "kWh"),
      quantity: "heat",
    },
    {
      label: "Electricity",
      value: kwh(r.elec_kwh),
      note: vs(r.elec_kwh, r.previous?.elec_kwh, 1, "kWh"),
      quantity: "elec",
    },
    {
      label: r.kind === "season" ? "SPF (seasonal COP)" : "COP",
      value: num(r.cop, 2),
      note: `heat pump's estimate ${num(r.cop_vendor, 2)}`,
      quantity: "cop",
    },
    {
      label: "COP while running",
      value: num(r.cop_running, 2),
      note: `standby ${withUnit(r.standby_elec_kwh, "kWh", 2)}`,
      quantity: "cop",
    },
    { label: "Space heating", value: kwh(r.heat_heating_kwh), quantity: "heating" },
    { label: "Hot water", value: kwh(r.heat_dhw_kwh), quantity: "dhw" },
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
    {
      label: "Flow, mean",
      value: withUnit(r.flow_mean_c, "°C"),
      // The space-heating figure (hot water and defrost left out) is the one to set against the curve.
      note: `weighted by heat where known; space heating only ${withUnit(r.flow_heating_mean_c, "°C")}`,
      quantity: "flow",
    },
    ...analyticsCards(r),
    { label: "Coverage", value: pct(Math.min(r.coverage_elec_pct, r.coverage_hp_pct)), note: coverage(r) },
  ];
  if (r.kind !== "day") cards.push({ label: "Days with data", value: `${r.days_with_data} of ${r.days}` });
  return cards.map((c) => (c.note === undefined ? (({ note: _n, ...rest }) => rest)(c) : c));
}

export interface ComparisonRow {
  label: string;
  now: string;
  before: string;
  change: string;
}

/** This period against the previous one of the same kind. */
export function comparisonRows(r: PeriodReport): ComparisonRow[] {
  const p = r.previous;
  if (!p) return [];
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
    row("Heat", r.heat_kwh, p.heat_kwh, "kWh"),
    row("Electricity", r.elec_kwh, p.elec_kwh, "kWh"),
    row("COP", r.cop, p.cop, "", 2),
    row("Space heating", r.heat_heating_kwh, p.heat_heating_kwh, "kWh"),
    row("Hot water", r.heat_dhw_kwh, p.heat_dhw_kwh, "kWh"),
    row("Outside, mean", r.outside_mean_c, p.outside_mean_c, "°C"),
    row("Compressor starts", r.starts, p.starts, "", 0),
    ...analyticsRows(r, p),
  ];
}

export interface Nav {
  prev: Link | null;
  next: Link | null;
  /** The periods that contain this one (a day's week, month and season). */
  up: Link[];
}

function label(kind: PeriodKind, id: string): string {
  return kind === "season" ? seasonName(id) : id;
}

/** Previous/next links and links to the containing periods. */
export function navigation(r: PeriodReport): Nav {
  const link = (kind: PeriodKind, id: string | null, prefix: string): Link | null =>
    id ? { href: pageHref(kind, id), label: `${prefix} ${kind} (${label(kind, id)})` } : null;
  const first = r.rows[0]?.day ?? r.id;
  const up: Link[] = [];
  if (r.kind === "day") {
    up.push({ href: pageHref("week", isoWeekOf(r.id)), label: `Week ${isoWeekOf(r.id)}` });
    up.push({ href: pageHref("month", monthOf(r.id)), label: `Month ${monthOf(r.id)}` });
  }
  if (r.kind === "week" || r.kind === "day" || r.kind === "month") {
    // A week that straddles a season boundary links the season of its first day.
    up.push({ href: pageHref("season", seasonOf(first)), label: `Season ${seasonName(seasonOf(first))}` });
  }
  return { prev: link(r.kind, r.prev, "Previous"), next: link(r.kind, r.next, "Next"), up };
}

/** Navigation of a frozen archive page: only between archived months, by relative file names. */
export function archiveNavigation(r: PeriodReport, archived: readonly string[]): Nav {
  const has = (id: string | null) => (id && archived.includes(id) ? id : null);
  const prev = has(r.prev);
  const next = has(r.next);
  return {
    prev: prev ? { href: `./${prev}.html`, label: `Previous month (${prev})` } : null,
    next: next ? { href: `./${next}.html`, label: `Next month (${next})` } : null,
    up: [{ href: "./", label: "All archived months" }],
  };
}
