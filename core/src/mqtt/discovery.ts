/**
 * Home Assistant MQTT discovery: one retained config message per entity, which makes the entity and
 * its device appear by themselves. After Home Assistant's MQTT discovery documentation:
 *
 * - topic `<prefix>/<component>/<node>/<object>/config`; node and object of `[A-Za-z0-9_-]`;
 * - `unique_id` (needed for the device registry): HOME_ID, the device's serial and the object;
 * - `device` with `identifiers` (required in the block), `name`, `manufacturer`, `model`, and where
 *   known `serial_number` and `sw_version`; entities with the same identifiers share one device;
 * - `device_class`, `state_class` and `unit_of_measurement` as the sensor documentation lists them:
 *   energy in kWh with `total_increasing` (what the Energy dashboard takes), power in W and
 *   temperatures in °C with `measurement`, an `enum` sensor with its `options` and no unit, money
 *   (`monetary`) with `total`;
 * - `availability_topic` with `payload_available` / `payload_not_available`: the program's own;
 * - `origin`: which software sent it (shown in Home Assistant's MQTT info).
 *
 * A state of `None` makes a sensor or binary sensor `unknown`: a value nobody can know (a gap) is
 * never published as 0.
 */
import type { MqttConfig } from "./config.ts";
import {
  availabilityTopic,
  AVAILABLE,
  type Component,
  discoveryTopic,
  idOf,
  type MqttProgram,
  NOT_AVAILABLE,
  stateTopic,
} from "./topics.ts";

/** The state Home Assistant reads as `unknown`. */
export const UNKNOWN = "None";
/** Binary sensor states (Home Assistant's default `payload_on` / `payload_off`). */
export const ON = "ON";
export const OFF = "OFF";

export interface EntitySpec {
  /** Letters, digits, `_` and `-`; unique in an installation: the last level of its state topic. */
  readonly object: string;
  readonly component: Component;
  /** Shown after the device's name in Home Assistant ("Heat pump Flow temperature"). */
  readonly name: string;
  readonly deviceClass?: string;
  readonly stateClass?: "measurement" | "total" | "total_increasing";
  readonly unit?: string;
  /** Digits Home Assistant shows (`suggested_display_precision`). */
  readonly precision?: number;
  /** An `enum` sensor's states. */
  readonly options?: readonly string[];
  /** A JSON attributes topic beside the state (`<state topic>/attributes`). */
  readonly attributes?: boolean;
  /** The state topic when it is not `<base>/<home>/<object>` (an alert's). */
  readonly stateTopic?: string;
}

/** A device as Home Assistant's device registry knows it. */
export interface HaDevice {
  /** The device's serial or id (the `device` tag of its points): unique ids and identifiers hold it. */
  readonly serial: string;
  readonly name: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware?: string;
}

export interface MqttMessage {
  readonly topic: string;
  readonly payload: string;
}

/** The `origin` block: the software that sent the discovery. */
const ORIGIN = { name: "heatpump-monitor" } as const;

/** The state topic of an entity. */
const entityStateTopic = (c: MqttConfig, e: EntitySpec): string => e.stateTopic ?? stateTopic(c, e.object);

/** `<home>_<serial>_<object>`: stable as long as HOME_ID and the device stay. */
const uniqueIdOf = (c: MqttConfig, serial: string, object: string): string =>
  `${c.homeId}_${idOf(serial)}_${object}`;

/** The discovery config of `entity` on `device`, published by `program` (whose availability it follows). */
export function discoveryMessage(
  c: MqttConfig,
  program: MqttProgram,
  entity: EntitySpec,
  device: HaDevice,
): MqttMessage {
  const state = entityStateTopic(c, entity);
  const payload: Record<string, unknown> = {
    name: entity.name,
    unique_id: uniqueIdOf(c, device.serial, entity.object),
    state_topic: state,
    ...(entity.deviceClass ? { device_class: entity.deviceClass } : {}),
    ...(entity.stateClass ? { state_class: entity.stateClass } : {}),
    ...(entity.unit ? { unit_of_measurement: entity.unit } : {}),
    ...(entity.precision !== undefined ? { suggested_display_precision: entity.precision } : {}),
    ...(entity.options ? { options: entity.options } : {}),
    ...(entity.component === "binary_sensor" ? { payload_on: ON, payload_off: OFF } : {}),
    ...(entity.attributes ? { json_attributes_topic: `${state}/attributes` } : {}),
    availability_topic: availabilityTopic(c, program),
    payload_available: AVAILABLE,
    payload_not_available: NOT_AVAILABLE,
    device: {
      identifiers: [`${c.homeId}_${idOf(device.serial)}`],
      name: device.name,
      manufacturer: device.manufacturer,
      model: device.model,
      serial_number: device.serial,
      ...(device.firmware ? { sw_version: device.firmware } : {}),
    },
    origin: ORIGIN,
  };
  return {
    topic: discoveryTopic(c, entity.component, device.serial, entity.object),
    payload: JSON.stringify(payload),
  };
}

/** A number as a state: rounded to `digits`, `None` (unknown) when it is not a finite number. */
export function numberState(x: number | null | undefined, digits: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return UNKNOWN;
  const r = Math.round(x * 10 ** digits) / 10 ** digits;
  return String(Object.is(r, -0) ? 0 : r);
}

/** A yes/no as a binary sensor's state, `None` when unknown. */
export const binaryState = (x: boolean | null | undefined): string =>
  x === null || x === undefined ? UNKNOWN : x ? ON : OFF;
