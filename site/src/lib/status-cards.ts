/**
 * The dashboard's status: each current value as a card with its age, and the banner shown when a
 * source's newest data is older than twice its poll interval.
 */
import type { Status, StatusValue } from "../../../reports/src/types.ts";
import type { Quantity } from "../charts/palette.ts";
import { age, withUnit } from "./format.ts";
import type { Kpi } from "./page-parts.ts";

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
      `${names[x.source]}: newest data ${x.ageS === null ? "missing" : `${age(x.ageS)} old`} ` +
      `(expected within ${age(x.limitS)})`,
  );
  return (
    `Data is not up to date. ${parts.join("; ")}. ` +
    "Figures below show the last values received; check the collector."
  );
}
