/**
 * Canonical `heatpump` fields as data, one metric a row. Each field lists the
 * features to read, newest name first, deprecated names after: the first reader that yields a
 * value wins. Units are those of the features (°C, l/h, W, kWh, h); see
 * collector/src/sources/viessmann/README.md, "Features the collector maps" and "Energy counters".
 */
import type { HeatpumpField } from "../../../../core/src/data/catalogue.ts";

export interface FeatureReader {
  /** Feature name, e.g. `heating.sensors.temperature.outside`. */
  readonly feature: string;
  /** Property whose `value` is read, e.g. `value`, `active`, `currentDay`. */
  readonly property: string;
  /** For array properties (day/week/month arrays): the element; 0 = the current, still-growing period. */
  readonly index?: number;
  /** For string properties: the field is 1 when the value equals this, else 0. */
  readonly equals?: string;
}

const r = (feature: string, property: string, extra: Partial<FeatureReader> = {}): FeatureReader => ({
  feature,
  property,
  ...extra,
});

export const FEATURE_MAP: Readonly<Record<HeatpumpField, readonly FeatureReader[]>> = {
  outside_c: [r("heating.sensors.temperature.outside", "value")],
  // Heat pump flow (condenser out), not the heating circuit's own supply sensor.
  flow_c: [r("heating.secondaryCircuit.sensors.temperature.supply", "value")],
  return_c: [
    r("heating.sensors.temperature.return", "value"),
    r("heating.secondaryCircuit.sensors.temperature.return", "value"),
  ],
  // `hotWaterStorage` is deprecated (removalDate 2024-09-15) but still delivered in 2025 dumps.
  dhw_c: [
    r("heating.dhw.sensors.temperature.dhwCylinder", "value"),
    r("heating.dhw.sensors.temperature.hotWaterStorage", "value"),
  ],
  // l/h; the 2023 firmware of the 151-A labels the unit `liter` (sic), same quantity.
  flow_lph: [r("heating.sensors.volumetricFlow.allengra", "value")],
  compressor_on: [r("heating.compressors.0", "active")],
  compressor_starts: [r("heating.compressors.0.statistics", "starts")],
  compressor_hours: [r("heating.compressors.0.statistics", "hours")],
  inverter_w: [r("heating.inverters.0.sensors.power.output", "value")],
  // Device day counters (kWh): summary `currentDay` equals `day[0]` of the arrays (verified on 250A, 252A).
  heat_heating_day_kwh: [
    r("heating.heat.production.summary.heating", "currentDay"),
    r("heating.heat.production.heating", "day", { index: 0 }),
  ],
  heat_dhw_day_kwh: [
    r("heating.heat.production.summary.dhw", "currentDay"),
    r("heating.heat.production.dhw", "day", { index: 0 }),
  ],
  elec_heating_day_kwh: [
    r("heating.power.consumption.summary.heating", "currentDay"),
    r("heating.power.consumption.heating", "day", { index: 0 }),
  ],
  elec_dhw_day_kwh: [
    r("heating.power.consumption.summary.dhw", "currentDay"),
    r("heating.power.consumption.dhw", "day", { index: 0 }),
  ],
  // Positions seen: climateCircuitOne, domesticHotWater, climatCircuitTwoDefrost (sic).
  dhw_active: [r("heating.valves.fourThreeWay.position", "value", { equals: "domesticHotWater" })],
  defrosting: [r("heating.outdoor.defrosting", "active")],
  // `heating.scop.*` is deprecated in favour of `heating.spf.*` (removalDate 2024-09-15).
  spf_total: [r("heating.spf.total", "value"), r("heating.scop.total", "value")],
  curve_slope: [r("heating.circuits.0.heating.curve", "slope")],
  curve_shift: [r("heating.circuits.0.heating.curve", "shift")],
};

/**
 * The features that list the heat pump's messages, each an `entries` array of
 * `{errorCode, priority, timestamp, accessLevel, audiences}` (README of this folder, "Messages"):
 * `errors` is the error list (newer E3 units and many boilers report it, empty when all is well);
 * many 2025 E3 heat pumps report `info`, `status` and `service` lists instead; a legacy Vitotronic
 * behind a Vitoconnect reported its active errors as `heating.errors.active`.
 */
export const MESSAGE_FEATURES = {
  errors: ["device.messages.errors.raw", "heating.errors.active"],
  info: ["device.messages.info.raw"],
  status: ["device.messages.status.raw"],
  service: ["device.messages.service.raw"],
} as const satisfies Record<string, readonly string[]>;
