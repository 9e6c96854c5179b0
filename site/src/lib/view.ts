/**
 * View models: reports and status turned into what the pages show (cards, comparison rows,
 * navigation, the stale banner). All the arithmetic a page needs lives here, so pages stay thin.
 */
import type {
  DailyRow,
  PeriodKind,
  PeriodReport,
  Status,
  StatusValue,
  Totals,
} from "../../../reports/src/types.ts";
import type { Quantity } from "../charts/palette.ts";
import { age, change, diffK, kwh, monthName, num, pct, seasonName, withUnit } from "./format.ts";
import { isoWeekOf, monthOf, periodDays, periodOf, seasonOf } from "../../../reports/src/periods.ts";
import { comparisonBasis, coverageCaveat } from "./progress-view.ts";
import { analyticsCards, analyticsRows } from "./analytics-view.ts";
import { dayList } from "../../../core/src/time.ts";

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

/** A row of a table of figures: its name (a link where the period has a page), then its values. */
export interface TableRow {
  head: string;
  href?: string | null;
  cells: string[];
}

export const pageHref = (kind: PeriodKind, id: string): string => `/${kind}/${id}/`;

function statusCard(
  label: string,
  v: StatusValue,
  digits: number,
  quantity: Quantity | undefined,
  limitS: number,
): Kpi {
  const stale = v.ageS !== null && v.ageS > limitS;
  return {
    label,
    value: withUnit(v.value, v.unit, digits),
    note: v.timeMs === null ? "no reading yet" : `${age(v.ageS)} ago`,
    ...(quantity ? { quantity } : {}),
    ...(stale || v.timeMs === null ? { tone: "warn" as const } : {}),
  };
}

/**
 * The dashboard's status cards: each value with its age, marked when older than its source's
 * expected age (twice its poll interval).
 */
export function statusCards(s: Status): Kpi[] {
  const shelly = s.expected_age_s.shelly;
  const viessmann = s.expected_age_s.viessmann;
  return [
    statusCard("Electric power", s.power_w, 0, "elec", shelly),
    statusCard("Outside", s.outside_c, 1, "outside", viessmann),
    statusCard("Flow", s.flow_c, 1, "flow", viessmann),
    statusCard("Return", s.return_c, 1, "return", viessmann),
    statusCard("Hot water", s.dhw_c, 1, "dhw", viessmann),
    compressorCard(s),
    copNowCard(s),
    // COP today moves with every Shelly reading (its time is the newest one's).
    statusCard("COP today", s.cop_today, 2, "cop", shelly),
  ];
}

const SOURCE_NAMES = { shelly: "Shelly power", viessmann: "heat pump" } as const;

/**
 * One compressor state, from the freshest source (the engine's `running`): the Shelly's power while
 * its reading is a minute old or less, else the heat pump's own state, which lags up to a poll.
 */
function compressorCard(s: Status): Kpi {
  const r = s.running;
  const card = statusCard(
    "Compressor",
    { value: null, unit: "", timeMs: r.timeMs, ageS: r.ageS },
    0,
    undefined,
    r.source ? s.expected_age_s[r.source] : 0,
  );
  return {
    ...card,
    value: r.value === null ? "–" : r.value ? "Running" : "Off",
    ...(r.source ? { note: `from ${SOURCE_NAMES[r.source]}, ${card.note}` } : {}),
  };
}

/**
 * COP now is the newest Viessmann interval's heat over its Shelly electricity; it has none when the
 * compressor did not run in that interval, which is not a missing reading. The compressor state
 * beside it may be fresher (the Shelly): running, the next heat pump reading brings a COP.
 */
function copNowCard(s: Status): Kpi {
  const card = statusCard("COP now", s.cop_now, 1, "cop", s.expected_age_s.viessmann);
  if (s.cop_now.value !== null || s.running.value === null) return card;
  // No COP for a known reason is not a missing reading: not marked (the heat pump's other cards show
  // whether its data is stale).
  const { tone: _tone, ...rest } = card;
  return {
    ...rest,
    note: s.running.value ? "running; the next heat pump reading brings it" : "compressor off",
  };
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
 * (and so every percentage beside them) cover only those days; a period in progress names the
 * first N days both sides cover.
 */
export function previousLabel(r: PeriodReport): string {
  return comparisonBasis(r)?.beforeLabel ?? `Previous ${r.kind}`;
}

/** Headline cards of a period report (a day, week, month or season). */
export function periodCards(r: PeriodReport): Kpi[] {
  const basis = comparisonBasis(r);
  const vs = (pick: (t: Totals) => number | null, digits = 1, unit = "") =>
    basis
      ? `${change(pick(basis.now), pick(basis.before))} ${basis.phrase} (${figure(pick(basis.before), unit, digits)})`
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
    {
      label: "Coverage",
      value: pct(Math.min(r.coverage_elec_pct, r.coverage_hp_pct)),
      note: `${coverage(r)}${r.progress ? ", of the time so far" : ""}`,
    },
  ];
  if (r.kind !== "day")
    cards.push({
      label: "Days with data",
      // While in progress, of the days begun so far: the same time the coverage is of.
      value: r.progress
        ? `${r.days_with_data} of ${r.progress.complete_days + 1} so far`
        : `${r.days_with_data} of ${r.days}`,
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

export interface ComparisonRow {
  label: string;
  now: string;
  before: string;
  change: string;
}

/**
 * This period against the previous one of the same kind; a period in progress over its complete
 * days against as many of the previous period's first days (comparisonBasis).
 */
export function comparisonRows(r: PeriodReport): ComparisonRow[] {
  const basis = comparisonBasis(r);
  if (!basis) return [];
  const n = basis.now;
  const p = basis.before;
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
    row("Heat", n.heat_kwh, p.heat_kwh, "kWh"),
    row("Electricity", n.elec_kwh, p.elec_kwh, "kWh"),
    row("COP", n.cop, p.cop, "", 2),
    row("Space heating", n.heat_heating_kwh, p.heat_heating_kwh, "kWh"),
    row("Hot water", n.heat_dhw_kwh, p.heat_dhw_kwh, "kWh"),
    row("Outside, mean", n.outside_mean_c, p.outside_mean_c, "°C"),
    row("Compressor starts", n.starts, p.starts, "", 0),
    ...analyticsRows(r, n, p),
  ];
}

export interface Nav {
  prev: Link | null;
  next: Link | null;
  /** The periods that contain this one (a day's week, month and season; a week's months and season). */
  up: Link[];
  /** The periods inside this one that have a page (a month's weeks, a season's months). */
  down: { label: string; links: Link[] } | null;
}

function label(kind: PeriodKind, id: string): string {
  return kind === "season" ? seasonName(id) : id;
}

/** First and last day with data: only periods that touch it have pages. */
export type Extent = { first: string; last: string } | null;

/** Ids of the periods of `kind` that hold one of `days` and have a page, in order. */
function periodsWithPages(kind: PeriodKind, days: readonly string[], extent: Extent): string[] {
  const inside = extent ? days.filter((d) => d >= extent.first && d <= extent.last) : [];
  return [...new Set(inside.map((d) => periodOf(kind, d)))];
}

/** Previous/next links, links to the containing periods and to the periods inside. */
export function navigation(r: PeriodReport, extent: Extent = null): Nav {
  const link = (kind: PeriodKind, id: string | null, prefix: string): Link | null =>
    id ? { href: pageHref(kind, id), label: `${prefix} ${kind} (${label(kind, id)})` } : null;
  const first = r.rows[0]?.day ?? r.id;
  const days = periodDays(r.kind, r.id);
  const all = dayList(days.first, days.last);
  const up: Link[] = [];
  if (r.kind === "day") {
    up.push({ href: pageHref("week", isoWeekOf(r.id)), label: `Week ${isoWeekOf(r.id)}` });
    up.push({ href: pageHref("month", monthOf(r.id)), label: `Month ${monthOf(r.id)}` });
  }
  if (r.kind === "week")
    // A week that straddles two months links both (where they have pages).
    for (const m of periodsWithPages("month", all, extent))
      up.push({ href: pageHref("month", m), label: `Month ${m}` });
  if (r.kind === "week" || r.kind === "day" || r.kind === "month") {
    // A week that straddles a season boundary links the season of its first day.
    up.push({ href: pageHref("season", seasonOf(first)), label: `Season ${seasonName(seasonOf(first))}` });
  }
  let down: Nav["down"] = null;
  if (r.kind === "month") {
    const weeks = periodsWithPages("week", all, extent);
    if (weeks.length)
      down = {
        label: "Weeks",
        links: weeks.map((w) => ({ href: pageHref("week", w), label: `W${w.slice(6)}` })),
      };
  }
  if (r.kind === "season") {
    const months = periodsWithPages("month", all, extent);
    if (months.length)
      down = {
        label: "Months",
        links: months.map((m) => ({ href: pageHref("month", m), label: monthName(m) })),
      };
  }
  return { prev: link(r.kind, r.prev, "Previous"), next: link(r.kind, r.next, "Next"), up, down };
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
    down: null,
  };
}
