/**
 * Where everything goes on the broker (README, "Home Assistant and MQTT"). With the defaults:
 *
 * ```
 * heatpump/home/electric_power                     a state: the value as text, retained
 * heatpump/home/collector/availability             online / offline (the collector's last will)
 * heatpump/home/builder/availability               online / offline (the builder's)
 * heatpump/home/collector/devices                  the devices the collector read (JSON, retained)
 * homeassistant/sensor/home_<serial>/electric_power/config    discovery (JSON, retained)
 * homeassistant/status                             Home Assistant's own online / offline
 * ```
 *
 * HOME_ID is in every topic, so two installations can share a broker.
 */
import type { MqttConfig } from "./config.ts";

/** The two programs that publish, each with its own client, last will and availability. */
export type MqttProgram = "collector" | "builder";

export type Component = "sensor" | "binary_sensor";

/** What Home Assistant publishes to `<prefix>/status` when it (re)starts: the moment to send discovery again. */
export const HA_ONLINE = "online";
export const AVAILABLE = "online";
export const NOT_AVAILABLE = "offline";

/** A state topic: `<base>/<home>/<object>`. */
export const stateTopic = (c: MqttConfig, object: string): string => `${c.baseTopic}/${c.homeId}/${object}`;

/** A program's availability: `<base>/<home>/<program>/availability`. */
export const availabilityTopic = (c: MqttConfig, program: MqttProgram): string =>
  `${c.baseTopic}/${c.homeId}/${program}/availability`;

/** The collector's device announcement, which the builder attaches its figures to. */
export const devicesTopic = (c: MqttConfig): string => `${c.baseTopic}/${c.homeId}/collector/devices`;

/** Home Assistant's birth and last will topic. */
export const haStatusTopic = (c: MqttConfig): string => `${c.discoveryPrefix}/status`;

/** A serial as a discovery id: letters, digits, `_` and `-` only. */
export const idOf = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, "_");

/** `<prefix>/<component>/<home>_<serial>/<object>/config`: one node per device. */
export const discoveryTopic = (c: MqttConfig, component: Component, serial: string, object: string): string =>
  `${c.discoveryPrefix}/${component}/${c.homeId}_${idOf(serial)}/${object}/config`;

/** The client id a program connects with: fixed, so a restarted program takes over its old session. */
export const clientIdOf = (c: MqttConfig, program: MqttProgram): string =>
  `heatpump-monitor-${c.homeId}-${program}`;
