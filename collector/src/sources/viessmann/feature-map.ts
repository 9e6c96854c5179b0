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
  /** For string properties: the field's value for each known string; any other string yields nothing. */
  readonly states?: Readonly<Record<string, number>>;
  /**
   * The feature's name is `feature` followed by the string value of this other feature's property:
   * e.g. the active program's own feature, `heating.circuits.0.operating.programs.` + the value of
   * `heating.circuits.0.operating.programs.active`.
   */
  readonly nameFrom?: { readonly feature: string; readonly property: string };
}

const r = (feature: string, property: string, extra: Partial<FeatureReader> = {}): FeatureReader => ({
  feature,
  property,
  ...extra,
});

/** Prefix of circuit 0's program features (`…programs.active` names the program in effect). */
const PROGRAMS = "heating.circuits.0.operating.programs.";

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
  // A connected room sensor of circuit 0 (the 333-G's reads 21.4 °C); disabled on units without one.
  room_c: [r("heating.circuits.0.sensors.temperature.room", "value")],
  // What says "cooling now": every E3 program feature carries a `demand` (`heating` for normalHeating,
  // comfortHeating, normalEnergySaving …, `cooling` for normalCooling, comfortCoolingEnergySaving …), so
  // the active program's demand tells the direction, also in the `heatingCooling` mode, which alone says
  // nothing. Programs without a demand (standby, fixed, summerEco) or with `unknown` (legacy units) fall
  // through to the mode: `cooling` cools; heating, dhw, dhwAndHeating and standby cannot; the mixed modes
  // (heatingCooling, dhwAndHeatingCooling) and forced modes say nothing, so the field is absent.
  cooling_active: [
    r(PROGRAMS, "demand", {
      nameFrom: { feature: `${PROGRAMS}active`, property: "value" },
      states: { cooling: 1, heating: 0 },
    }),
    r("heating.circuits.0.operating.modes.active", "value", {
      states: { cooling: 1, heating: 0, dhw: 0, dhwAndHeating: 0, standby: 0 },
    }),
  ],
  compressor_speed_rps: [r("heating.compressors.0.speed.current", "value")],
  // The device's own heating rod (instantaneous heater in the flow): E3 units report its statistics and
  // day counters; `heating.heatingRod.active` only says it is enabled, not that it heats.
  heating_rod_starts: [r("heating.heatingRod.statistics", "starts")],
  heating_rod_hours: [r("heating.heatingRod.statistics", "hours")],
  heating_rod_heating_day_kwh: [r("heating.heatingRod.power.consumption.summary.heating", "currentDay")],
  heating_rod_dhw_day_kwh: [r("heating.heatingRod.power.consumption.summary.dhw", "currentDay")],
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
