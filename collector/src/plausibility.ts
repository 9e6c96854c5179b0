/**
 * Device numbers are checked before they become points. A meter that answers `act_power: 1e306` per
 * channel (a firmware fault, a flipped bit) must not become a reading: summed, it is Infinity, which
 * line protocol cannot carry, and even a finite 1e306 W would wreck every total and chart it
 * touches. A value outside what the device can measure is left out: a gap in that field, the other
 * fields of the point are kept, and one log line per hour per field and device says so.
 *
 * Limits, by the catalogue's unit and kind (core/src/data/catalogue.ts):
 * - W: within ±MAX_POWER_W, the most the installation can draw (also the total, after summing phases)
 * - °C: −60 to 150 (outside air to a hot water cylinder, with room on both sides)
 * - V: 0 to 500 (the Pro 3EM measures 100–240 V phase to neutral; 0 is a phase without power)
 * - A: 0 to 500 (its largest clamps take 400 A)
 * - counters: finite and ≥ 0; states: 0 or 1
 * - any other number (flow, curve, raw Viessmann feature values): finite
 */
import {
  ELECTRIC_FIELDS,
  type FieldSpec,
  HEATPUMP_FIELDS,
  MEASUREMENT,
  TAG,
} from "../../core/src/data/catalogue.ts";
import type { Point } from "../../core/src/data/line-protocol.ts";
import { hourlyNote, unloggedSuffix } from "./hourly-note.ts";

/** Default of MAX_POWER_W, W: a heat pump with its backup heater (the reports use the same). */
export const DEFAULT_MAX_POWER_W = 15_000;

const TEMPERATURE_C = { min: -60, max: 150 };
const VOLTAGE_V = { min: 0, max: 500 };
const CURRENT_A = { min: 0, max: 500 };

interface Limit {
  readonly ok: (v: number) => boolean;
  /** What a plausible value is, for the log line. */
  readonly text: string;
}

const between = (min: number, max: number, text: string): Limit => ({
  ok: (v) => v >= min && v <= max,
  text,
});
const FINITE: Limit = { ok: Number.isFinite, text: "a finite number" };

function limitOf(spec: FieldSpec, maxPowerW: number): Limit {
  if (spec.unit === "W") return between(-maxPowerW, maxPowerW, `within ±${maxPowerW} W (MAX_POWER_W)`);
  if (spec.unit === "°C")
    return between(TEMPERATURE_C.min, TEMPERATURE_C.max, `${TEMPERATURE_C.min} to ${TEMPERATURE_C.max} °C`);
  if (spec.unit === "V")
    return between(VOLTAGE_V.min, VOLTAGE_V.max, `${VOLTAGE_V.min} to ${VOLTAGE_V.max} V`);
  if (spec.unit === "A")
    return between(CURRENT_A.min, CURRENT_A.max, `${CURRENT_A.min} to ${CURRENT_A.max} A`);
  if (spec.kind === "counter") return between(0, Infinity, "a counter, finite and not below 0");
  if (spec.kind === "state") return { ok: (v) => v === 0 || v === 1, text: "0 or 1" };
  return FINITE;
}

/** Limits per measurement and field; measurements not listed (raw features) get FINITE for every number. */
function limits(maxPowerW: number): ReadonlyMap<string, ReadonlyMap<string, Limit>> {
  const of = (fields: Record<string, FieldSpec>) =>
    new Map(Object.entries(fields).map(([k, spec]) => [k, limitOf(spec, maxPowerW)]));
  return new Map([
    [MEASUREMENT.electric, of(ELECTRIC_FIELDS)],
    [MEASUREMENT.heatpump, of(HEATPUMP_FIELDS)],
  ]);
}

interface PlausibilityOptions {
  /** MAX_POWER_W. Default DEFAULT_MAX_POWER_W. */
  readonly maxPowerW?: number;
  /** Monotonic ms, for the once-an-hour log lines. */
  readonly monotonicNow: () => number;
  /** Where the left-out values are told, e.g. `(m) => logger.warn(`shelly: ${m}`)`. */
  readonly warn: (message: string) => void;
}

/** Returns the points with every implausible number left out; a point left without fields is dropped. */
type Screen = (points: readonly Point[]) => Point[];

export function plausibilityScreen(opts: PlausibilityOptions): Screen {
  const maxPowerW = opts.maxPowerW ?? DEFAULT_MAX_POWER_W;
  const table = limits(maxPowerW);
  const told = hourlyNote(opts.monotonicNow);

  const screenPoint = (p: Point): Point | undefined => {
    const fieldLimits = table.get(p.measurement);
    let fields: Record<string, Point["fields"][string]> | undefined;
    for (const [k, v] of Object.entries(p.fields)) {
      if (typeof v !== "number") continue;
      const limit = fieldLimits?.get(k) ?? FINITE;
      if (Number.isFinite(v) && limit.ok(v)) continue;
      fields ??= { ...p.fields };
      delete fields[k];
      const device = p.tags[TAG.device] ?? "";
      const unlogged = told.note(`${p.measurement}\u0000${device}\u0000${k}`);
      if (unlogged !== undefined)
        opts.warn(
          `${device ? `${device}: ` : ""}${p.measurement} ${k} = ${v} is not plausible (expected ${limit.text}); ` +
            `left out, a gap in that field, the point's other fields are kept${unloggedSuffix(unlogged)}`,
        );
    }
    if (!fields) return p;
    return Object.keys(fields).length > 0 ? { ...p, fields } : undefined;
  };

  return (points) => points.map(screenPoint).filter((p): p is Point => p !== undefined);
}
