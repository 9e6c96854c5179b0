/**
 * The conditions the site builder judges from what the store shows (README, "Getting alerts"), so a
 * collector that died is noticed too: the meter's and the heat pump's silences (the report engine's
 * status), the heat pump's active error codes (the newest `heatpump_message` point), short cycling
 * (the Shelly's power over the window, its starts counted by the report engine's own start counting,
 * as a day page counts them), and the collector's own conditions mirrored from its `alert` points
 * for the pages (the collector tells those itself).
 */
import { CONDITION_NAMES, CONDITIONS, type ConditionName } from "../../../core/src/alerts/conditions.ts";
import type { AlertSettings } from "../../../core/src/alerts/settings.ts";
import { duration, type Judgment } from "../../../core/src/alerts/state.ts";
import { electricStats } from "../../../reports/src/metrics/primitives.ts";
import type { Status } from "../../../reports/src/types.ts";
import { localTime } from "../../src/lib/local-time.ts";
import type { FactPoint, StoreFacts } from "./facts.ts";

/** A collector `alert` point older than this no longer says what is true now (it writes every 5 min). */
const COLLECTOR_FRESH_MS = 15 * 60_000;

interface SilenceOptions {
  readonly settings: AlertSettings;
  /** VIESSMANN_INTERVAL, ms. */
  readonly hpIntervalMs: number;
  readonly tz: string;
  /** What the collector says keeps the heat pump's readings away, and when it said so. */
  readonly reason: FactPoint | undefined;
}

const HP_VALUES = ["outside_c", "flow_c", "return_c", "dhw_c", "compressor_on"] as const;

export function judgeSilences(st: Status, o: SilenceOptions): Judgment[] {
  const now = st.nowMs;
  const at = (ms: number) => localTime(ms, o.tz, now);
  const meterT = st.power_w.timeMs;
  const hpTimes = HP_VALUES.map((k) => st[k].timeMs).filter((t): t is number => t !== null);
  const hpT = hpTimes.length > 0 ? Math.max(...hpTimes) : null;
  const meterLimit = o.settings.meterSilentMs;
  const hpLimit = o.settings.heatpumpSilentPolls * o.hpIntervalMs;
  const meterSilent = meterT !== null && now - meterT > meterLimit;
  const hpSilent = hpT !== null && now - hpT > hpLimit;
  const both =
    meterSilent && hpSilent ? " Both the meter and the heat pump are silent: is the collector running?" : "";

  const meter: Judgment =
    meterT === null
      ? {
          condition: "meter_silent",
          open: null,
          severity: "warning",
          title: "Electricity meter silent",
          message: "No reading from the Shelly in the store for a month (or no Shelly is configured).",
        }
      : {
          condition: "meter_silent",
          open: meterSilent,
          severity: "warning",
          title: "Electricity meter silent",
          sinceMs: meterT,
          message: meterSilent
            ? `No reading from the Shelly since ${at(meterT)} (${duration(now - meterT)}; the limit is ` +
              `${duration(meterLimit)}). Check that the meter has power and network, and that the collector runs ` +
              `(docker compose ps).${both}`
            : `Newest reading ${at(meterT)}.`,
        };

  const said = o.reason && o.reason.fields.open === 1 && now - o.reason.timeMs <= COLLECTOR_FRESH_MS;
  const why = said
    ? ` The collector says: ${String(o.reason!.fields.message)}.`
    : " The collector has not said why (is it running?).";
  const heatpump: Judgment =
    hpT === null
      ? {
          condition: "heatpump_silent",
          open: null,
          severity: "warning",
          title: "Heat pump readings silent",
          message: "No heat pump reading in the store for a month (or no Viessmann login is configured).",
        }
      : {
          condition: "heatpump_silent",
          open: hpSilent,
          severity: "warning",
          title: "Heat pump readings silent",
          sinceMs: hpT,
          message: hpSilent
            ? `No heat pump reading since ${at(hpT)} (${duration(now - hpT)}; the limit is ` +
              `${o.settings.heatpumpSilentPolls} polls of ${duration(o.hpIntervalMs)}).${why}${both}`
            : `Newest reading ${at(hpT)}.`,
        };
  return [meter, heatpump];
}

const text = (p: FactPoint, field: string): string =>
  typeof p.fields[field] === "string" ? (p.fields[field] as string) : "";
const codesOf = (s: string) =>
  s
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);

/** `device_fault` from the newest `heatpump_message` point; none at all is "not reported", not "no fault". */
export function judgeDeviceFault(p: FactPoint | null, s: AlertSettings, tz: string, nowMs: number): Judgment {
  const base = { condition: "device_fault", severity: "warning", title: "Heat pump fault" } as const;
  if (!p)
    return {
      ...base,
      open: null,
      message:
        "Not reported: no message list of the heat pump in the store for 6 hours (the device reports none, " +
        "or its readings are silent).",
    };
  const errors = codesOf(text(p, "error_codes")).filter((c) => !s.deviceFaultIgnore.has(c));
  const warnings = codesOf(text(p, "warning_codes")).filter((c) => !s.deviceFaultIgnore.has(c));
  const details = new Map(
    text(p, "errors")
      .split("; ")
      .map((d) => [d.split(" ")[0]!, d] as const),
  );
  const codes = [...errors, ...warnings];
  if (codes.length === 0)
    return p.fields.errors_reported === 1
      ? { ...base, open: false, message: `No active error (${localTime(p.timeMs, tz, nowMs)}).` }
      : {
          ...base,
          open: false,
          status: "unknown",
          message:
            "Not reported by this device: it lists no errors, only info, status and service messages, and none " +
            "of those is a fault code.",
        };
  const critical = errors.some((c) => details.get(c)?.includes("criticalError"));
  const listed = codes.map((c) => details.get(c) ?? `${c} (warning)`).join("; ");
  return {
    ...base,
    open: true,
    severity: critical ? "critical" : "warning",
    title: `Heat pump fault ${codes.join(", ")}`,
    key: [...codes].sort().join(","),
    message:
      `The heat pump reports ${listed}. Look the code up in its service instructions or tell your installer; ` +
      "the alert resolves when the device clears it.",
  };
}

interface CyclingOptions {
  readonly settings: AlertSettings;
  /** STARTING_POWER_W: a start is the power rising through it, as on the day page. */
  readonly thresholdW: number;
  /** SHELLY_INTERVAL, ms: a step longer than three of them is a gap, as in the day's figures. */
  readonly elecIntervalMs: number;
}

export function judgeShortCycling(power: StoreFacts["power"], nowMs: number, o: CyclingOptions): Judgment {
  const hours = o.settings.shortCyclingHours;
  const limit = o.settings.shortCyclingStartsPerH;
  const base = {
    condition: "short_cycling",
    severity: "warning",
    title: "Compressor short-cycling",
  } as const;
  const startMs = nowMs - hours * 3_600_000;
  const energy = new Array<number>(power.t.length).fill(Number.NaN);
  const es = electricStats(power.t, power.w, energy, startMs, nowMs, o.thresholdW, 3 * o.elecIntervalMs);
  const expected = (hours * 3_600_000) / o.elecIntervalMs;
  if (es.starts === null || es.samples < expected / 2)
    return {
      ...base,
      open: null,
      message:
        `Too few Shelly readings in the last ${hours} h to count starts ` +
        `(${es.samples} of ${Math.round(expected)}).`,
    };
  const rate = es.starts / hours;
  const what =
    `${es.starts} compressor starts in the last ${hours} h ` +
    `(${rate.toFixed(1)} an hour; the limit is ${limit})`;
  if (rate <= limit) return { ...base, open: false, message: `${what}.` };
  return {
    ...base,
    open: true,
    message:
      `${what}, counted from the Shelly's power as the day page counts them. Short runs wear the compressor and ` +
      "cost efficiency: check the heating curve and the minimum run and pause times with your installer, and " +
      "that enough radiators or loops are open.",
  };
}

/** The conditions the collector judges (conditions.ts), shown from its `alert` points. */
const MIRRORED: readonly ConditionName[] = CONDITION_NAMES.filter(
  (c) => CONDITIONS[c].judgedBy === "collector",
);

/** The collector's own conditions, from its newest `alert` points: shown, never told again (own false). */
export function mirrorCollector(points: StoreFacts["collector"], nowMs: number, tz: string): Judgment[] {
  return MIRRORED.map((condition): Judgment => {
    const p = points.get(condition);
    if (!p)
      return {
        condition,
        open: null,
        own: false,
        severity: "info",
        title: condition,
        message:
          "The collector has not reported it for 6 hours (not judged there, or the collector is silent).",
      };
    const open = p.fields.open === 1;
    const fresh = nowMs - p.timeMs <= COLLECTOR_FRESH_MS;
    const severity = ["info", "warning", "critical"].includes(text(p, "severity"))
      ? (text(p, "severity") as Judgment["severity"])
      : "warning";
    const opened = typeof p.fields.opened_ms === "number" ? p.fields.opened_ms : p.timeMs;
    return {
      condition,
      open: open && !fresh ? null : open,
      own: false,
      severity,
      title: text(p, "title") || condition,
      sinceMs: opened,
      message: `${text(p, "message")} (the collector, ${localTime(p.timeMs, tz, nowMs)})`,
    };
  });
}
