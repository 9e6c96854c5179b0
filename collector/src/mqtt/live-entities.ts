/**
 * What the collector's live values are in Home Assistant: one entity per value (live-state.ts), on
 * the device it comes from, announced once that device is known (its source's start() read it).
 *
 * - The Shelly (meter): electric power, electricity imported (kWh, `total_increasing`: the one to put
 *   on the Energy dashboard as an individual device).
 * - The heat pump: temperatures, operating mode, compressor, thermal power, heat produced (kWh,
 *   `total_increasing`), and COP now when a Shelly measures its electricity.
 * - Without a heat pump source the compressor state (from the Shelly's power) goes on the meter.
 */
import type { EntitySpec, HaDevice } from "../../../core/src/mqtt/discovery.ts";
import type { DeviceInfo } from "../sources/source.ts";
import { type LiveObject, MODES } from "./live-state.ts";

type LiveEntity = EntitySpec & { readonly object: LiveObject };

const power = (object: LiveObject, name: string): LiveEntity => ({
  object,
  component: "sensor",
  name,
  deviceClass: "power",
  stateClass: "measurement",
  unit: "W",
  precision: 0,
});
const energy = (object: LiveObject, name: string): LiveEntity => ({
  object,
  component: "sensor",
  name,
  deviceClass: "energy",
  stateClass: "total_increasing",
  unit: "kWh",
  precision: 2,
});
const temperature = (object: LiveObject, name: string): LiveEntity => ({
  object,
  component: "sensor",
  name,
  deviceClass: "temperature",
  stateClass: "measurement",
  unit: "°C",
  precision: 1,
});

const COMPRESSOR: LiveEntity = {
  object: "compressor",
  component: "binary_sensor",
  name: "Compressor",
  deviceClass: "running",
};

const METER_ENTITIES: readonly LiveEntity[] = [
  power("electric_power", "Electric power"),
  energy("electricity_imported", "Electricity imported"),
];

const HEAT_PUMP_ENTITIES: readonly LiveEntity[] = [
  power("thermal_power", "Thermal power"),
  temperature("flow_temperature", "Flow temperature"),
  temperature("return_temperature", "Return temperature"),
  temperature("outside_temperature", "Outside temperature"),
  temperature("hot_water_temperature", "Hot water temperature"),
  {
    object: "operating_mode",
    component: "sensor",
    name: "Operating mode",
    deviceClass: "enum",
    options: MODES,
  },
  energy("heat_produced", "Heat produced"),
  COMPRESSOR,
];

/** COP now: heat over electricity, a ratio without a unit or device class. */
const COP_NOW: LiveEntity = {
  object: "cop_now",
  component: "sensor",
  name: "COP now",
  stateClass: "measurement",
  precision: 2,
};

/** The devices as Home Assistant shows them. */
export const meterDevice = (d: DeviceInfo): HaDevice => ({ ...d, name: "Shelly Pro 3EM" });
export const heatPumpDevice = (d: DeviceInfo): HaDevice => ({ ...d, name: "Heat pump" });

/** Each known device with its entities. */
export function liveEntities(
  meter: DeviceInfo | undefined,
  heatPump: DeviceInfo | undefined,
  has: { shelly: boolean; viessmann: boolean },
): { device: HaDevice; entities: readonly EntitySpec[] }[] {
  const out: { device: HaDevice; entities: readonly EntitySpec[] }[] = [];
  if (meter)
    out.push({
      device: meterDevice(meter),
      entities: has.viessmann ? METER_ENTITIES : [...METER_ENTITIES, COMPRESSOR],
    });
  if (heatPump)
    out.push({
      device: heatPumpDevice(heatPump),
      entities: has.shelly ? [...HEAT_PUMP_ENTITIES, COP_NOW] : HEAT_PUMP_ENTITIES,
    });
  return out;
}
