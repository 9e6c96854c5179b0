/**
 * The dashboard's status: each current value as a card with the time of its reading, and the banner
 * shown when a source's newest data is older than twice its poll interval. Times are absolute, in the
 * report zone ("last reading 13:42:10"): a page outlives its build (a builder that died leaves it up),
 * and an age counted at build time would stay on it, wrong.
 */
import type { Status, StatusValue } from "../../../reports/src/types.ts";
import type { Quantity } from "../charts/palette.ts";
import { age, withUnit } from "./format.ts";
import { localTime } from "./local-time.ts";
import type { Kpi } from "./page-parts.ts";

function statusCard(
  s: Status,
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
    note: v.timeMs === null ? "no reading yet" : `last reading ${localTime(v.timeMs, s.tz, s.nowMs)}`,
    ...(quantity ? { quantity } : {}),
    ...(stale || v.timeMs === null ? { tone: "warn" as const } : {}),
  };
}

/**
 * The dashboard's status cards: each value with the time of its reading, marked when older than its
 * source's expected age (twice its poll interval) when the page was built.
 */
export function statusCards(s: Status): Kpi[] {
  const shelly = s.expected_age_s.shelly;
  const viessmann = s.expected_age_s.viessmann;
  return [
    statusCard(s, "Electric power", s.power_w, 0, "elec", shelly),
    statusCard(s, "Outside", s.outside_c, 1, "outside", viessmann),
    statusCard(s, "Flow", s.flow_c, 1, "flow", viessmann),
    statusCard(s, "Return", s.return_c, 1, "return", viessmann),
    statusCard(s, "Hot water", s.dhw_c, 1, "dhw", viessmann),
    compressorCard(s),
    copNowCard(s),
    // COP today moves with every Shelly reading (its time is the newest one's).
    statusCard(s, "COP today", s.cop_today, 2, "cop", shelly),
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
    s,
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
  const card = statusCard(s, "COP now", s.cop_now, 1, "cop", s.expected_age_s.viessmann);
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
  // The age is the build's (said so): the time of the reading stays true however late one reads it.
  const newest = (x: Status["stale"][number]) => {
    const t = newestReading(s, x.source);
    if (x.ageS === null || t === null) return "newest data missing";
    return `last reading ${localTime(t, s.tz, s.nowMs)}, ${age(x.ageS)} before this page was built`;
  };
  const parts = s.stale.map((x) => `${names[x.source]}: ${newest(x)} (expected within ${age(x.limitS)})`);
  return (
    `Data is not up to date. ${parts.join("; ")}. ` +
    "Figures below show the last values received; check the collector."
  );
}

/** The time of a source's newest reading on the dashboard, or null. */
function newestReading(s: Status, source: "shelly" | "viessmann"): number | null {
  const values =
    source === "shelly" ? [s.power_w] : [s.outside_c, s.flow_c, s.return_c, s.dhw_c, s.compressor_on];
  const times = values.map((v) => v.timeMs).filter((t): t is number => t !== null);
  return times.length > 0 ? Math.max(...times) : null;
}
