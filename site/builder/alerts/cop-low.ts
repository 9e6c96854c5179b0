/**
 * `cop_low`: a closed day whose space-heating COP is below ALERT_COP_LOW_PCT (75 %) of what the
 * season's own COP-against-outside relation predicts for that day's outside temperature. The relation
 * is a straight line, least squares, through the season's earlier closed days with space heating
 * (the season page's "daily COP against outside temperature"), once ALERT_COP_LOW_DAYS (14) of them
 * exist. Days with less than MIN_HEAT_KWH of space heating are left out: a few short runs on a mild
 * day say little about the machine. The newest such closed day is judged; its date is the alert's
 * key, so a second low day is told too.
 */
import type { AlertSettings } from "../../../core/src/alerts/settings.ts";
import type { Judgment } from "../../../core/src/alerts/state.ts";
import type { DailyRow } from "../../../reports/src/types.ts";

/** Space heating a day needs to count, kWh of heat. */
const MIN_HEAT_KWH = 2;
/** How far back the newest judged day may be: a longer gap (no heating) leaves the state as it is. */
export const JUDGED_WITHIN_DAYS = 3;

interface Day {
  day: string;
  cop: number;
  outside: number;
}

const usable = (r: DailyRow): Day | null =>
  r.closed && r.cop_heating !== null && r.outside_mean_c !== null && (r.heat_heating_kwh ?? 0) >= MIN_HEAT_KWH
    ? { day: r.day, cop: r.cop_heating, outside: r.outside_mean_c }
    : null;

/** The first day of the heating season (1 July) holding `day`. */
export function seasonStart(day: string): string {
  const y = Number(day.slice(0, 4));
  return `${Number(day.slice(5, 7)) >= 7 ? y : y - 1}-07-01`;
}

/** Least squares `cop = a + b × outside`; predicts the COP at `outside`. */
function fitLine(days: readonly Day[]): (outside: number) => number {
  const n = days.length;
  const mx = days.reduce((s, d) => s + d.outside, 0) / n;
  const my = days.reduce((s, d) => s + d.cop, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const d of days) {
    sxy += (d.outside - mx) * (d.cop - my);
    sxx += (d.outside - mx) ** 2;
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  return (x) => my + b * (x - mx);
}

const c = (v: number) => v.toFixed(1).replace("-", "\u2212");

/** Judges the newest usable closed day of `rows` (the season's rows, oldest first) against the others. */
export function judgeCopLow(rows: readonly DailyRow[], recentFrom: string, s: AlertSettings): Judgment {
  const base = { condition: "cop_low", severity: "info", title: "Low COP" } as const;
  const days = rows.map(usable).filter((d): d is Day => d !== null);
  const judged = days.at(-1);
  if (!judged || judged.day < recentFrom)
    return {
      ...base,
      open: null,
      message:
        `No closed day with at least ${MIN_HEAT_KWH} kWh of space heating ` +
        `in the last ${JUDGED_WITHIN_DAYS} days.`,
    };
  const before = days.filter((d) => d.day < judged.day);
  if (before.length < s.copLowDays)
    return {
      ...base,
      open: false,
      status: "unknown",
      message: `The season has ${before.length} of the ${s.copLowDays} days with space heating the relation needs.`,
    };
  const predicted = fitLine(before)(judged.outside);
  if (!(predicted > 0))
    return {
      ...base,
      open: false,
      status: "unknown",
      message: "The season's relation predicts no COP for that day.",
    };
  const pct = (100 * judged.cop) / predicted;
  const what =
    `Space-heating COP ${judged.cop.toFixed(2)} on ${judged.day} at ${c(judged.outside)} °C outside: ` +
    `${pct.toFixed(0)} % of the ${predicted.toFixed(2)} the season's ${before.length} earlier days predict`;
  if (pct >= s.copLowPct) return { ...base, open: false, message: `${what}.` };
  return {
    ...base,
    open: true,
    title: `Low COP on ${judged.day}`,
    key: judged.day,
    message:
      `${what} (the limit is ${s.copLowPct} %). Look at the day's page: long defrosts, much hot water, ` +
      "a backup heater, a raised heating curve or a fault.",
  };
}
