/**
 * `aux_meter_silent`: the meters beside the heat pump's own (SHELLY_METERS roles backup, pumps,
 * house), as only the collector sees them. The site builder judges the heat pump's meter from the
 * store (`meter_silent`, so a dead collector is noticed too); a silent backup heater's meter leaves
 * the heat pump's figures whole and only the system's with a gap, so the collector, which polls each
 * meter on its own, tells it. It watches each such source's polls without changing them: the last
 * good one (or when watching began) and the last failure's message.
 */
import type { AlertSettings } from "../../../core/src/alerts/settings.ts";
import { duration, type Judgment } from "../../../core/src/alerts/state.ts";
import { DEFAULT_METER_ROLE, TAG } from "../../../core/src/data/catalogue.ts";
import { isExpected } from "../../../core/src/errors.ts";
import type { Source } from "../sources/source.ts";
import { watched } from "./watched.ts";

interface Watched {
  /** `shelly backup`: how the log and the message name it. */
  readonly label: string;
  lastOkMs: number;
  /** Whether a poll has read it since the collector started. */
  read: boolean;
  failure: string | undefined;
}

interface MeterWatch {
  /** The source watched when it is a meter beside the heat pump's (the same calls, the same results). */
  wrap(source: Source): Source;
  /** Its judgment, or undefined while no such meter is configured (not judged, like delivery without InfluxDB). */
  judge(nowMs: number, s: AlertSettings): Judgment | undefined;
}

const BASE = {
  condition: "aux_meter_silent",
  severity: "warning",
  title: "Backup, pumps or house meter silent",
} as const;

export function watchMeters(startMs: number): MeterWatch {
  const meters = new Map<string, Watched>();
  return {
    wrap(source) {
      const role = source.tags?.[TAG.role];
      if (source.name !== "shelly" || role === undefined || role === DEFAULT_METER_ROLE) return source;
      const w: Watched = {
        label: source.label ?? source.name,
        lastOkMs: startMs,
        read: false,
        failure: undefined,
      };
      meters.set(role, w);
      return watched(source, {
        ok(nowMs) {
          w.lastOkMs = nowMs;
          w.read = true;
          w.failure = undefined;
        },
        failed(e) {
          if (isExpected(e)) w.failure = e.message;
        },
      });
    },
    judge(nowMs, s) {
      if (meters.size === 0) return undefined;
      const silent = [...meters].filter(([, w]) => nowMs - w.lastOkMs > s.meterSilentMs);
      // Just started, not read yet and not silent for the limit: not known (an alert open before a
      // restart stays open, rather than being told resolved and opened again).
      if (silent.length === 0 && [...meters.values()].some((w) => !w.read))
        return { ...BASE, open: null, message: "Not read yet since the collector started." };
      if (silent.length === 0)
        return {
          ...BASE,
          open: false,
          message: `${[...meters.values()].map((w) => w.label).join(", ")}: read within ${duration(s.meterSilentMs)}.`,
        };
      const each = silent.map(
        ([, w]) =>
          `${w.label} has given no reading for ${duration(nowMs - w.lastOkMs)}` +
          (w.failure ? ` (${w.failure})` : ""),
      );
      return {
        ...BASE,
        open: true,
        key: silent.map(([role]) => role).join(","),
        message:
          `${each.join("; ")}; the limit is ${duration(s.meterSilentMs)}. The heat pump's own figures are whole; ` +
          "the system's COP and that meter's figures have a gap meanwhile. Check that the meter has power " +
          "and network and that SHELLY_METERS has its address.",
      };
    },
  };
}
