/**
 * The collector's MQTT output (README, "Home Assistant and MQTT"): after each poll whose points the
 * journal took, the live values of that poll go to the broker, one message per topic, and the
 * devices the sources identified are announced to Home Assistant (discovery) and to the builder
 * (`<base>/<home>/collector/devices`, which it attaches its daily figures to).
 *
 * Imported only with MQTT_URL, like the sources: the MQTT client costs memory for the whole run.
 * Nothing here can hold up or fail a poll: the link never waits (core/src/mqtt/link.ts), and an
 * unexpected error in this code is logged once and MQTT goes quiet, while polling and journaling go on.
 */
import type { Logger } from "../../../core/src/effects.ts";
import type { Point } from "../../../core/src/data/line-protocol.ts";
import type { MqttConfig } from "../../../core/src/mqtt/config.ts";
import { discoveryMessage } from "../../../core/src/mqtt/discovery.ts";
import { openMqttLink, type MqttLinkOptions } from "../../../core/src/mqtt/link.ts";
import { devicesTopic, stateTopic } from "../../../core/src/mqtt/topics.ts";
import type { Source } from "../sources/source.ts";
import { heatPumpDevice, liveEntities, meterDevice } from "./live-entities.ts";
import { createLiveState } from "./live-state.ts";

interface LiveMqttDeps {
  readonly logger: Logger;
  readonly sources: readonly Source[];
  /** STARTING_POWER_W */
  readonly thresholdW: number;
  /** SHELLY_INTERVAL, ms */
  readonly elecIntervalMs: number;
  /** Reconnection back-off (tests shorten it). */
  readonly backoff?: MqttLinkOptions["backoff"];
}

interface LiveMqtt {
  /** The points a poll journaled. Never throws, never waits. */
  onPoints(points: readonly Point[]): void;
  /** Says `offline` and disconnects, within `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

export function startLiveMqtt(config: MqttConfig, deps: LiveMqttDeps): LiveMqtt {
  const log = deps.logger;
  const link = openMqttLink({ config, program: "collector", logger: log, backoff: deps.backoff });
  const live = createLiveState({ thresholdW: deps.thresholdW, elecIntervalMs: deps.elecIntervalMs });
  const shelly = deps.sources.find((s) => s.name === "shelly");
  const viessmann = deps.sources.find((s) => s.name === "viessmann");
  const has = { shelly: !!shelly, viessmann: !!viessmann };
  let announced = "";
  let broken = false;

  /** Discovery and the devices announcement, whenever the known devices change (each source's start). */
  function announce() {
    const meter = shelly?.device?.();
    const heatPump = viessmann?.device?.();
    const key = JSON.stringify([meter, heatPump]);
    if (key === announced) return;
    announced = key;
    link.setDiscovery(
      liveEntities(meter, heatPump, has).flatMap(({ device, entities }) =>
        entities.map((e) => discoveryMessage(config, "collector", e, device)),
      ),
    );
    link.publish(
      devicesTopic(config),
      JSON.stringify({
        heat_pump: heatPump ? heatPumpDevice(heatPump) : null,
        meter: meter ? meterDevice(meter) : null,
      }),
    );
  }

  return {
    onPoints(points) {
      if (broken) return;
      try {
        announce();
        for (const [object, state] of live.add(points)) link.publish(stateTopic(config, object), state);
      } catch (e) {
        broken = true;
        log.error(
          `mqtt: unexpected error, live values are no longer published until a restart (polling goes on): ` +
            (e instanceof Error ? (e.stack ?? e.message) : String(e)),
        );
      }
    },
    close: (timeoutMs) => link.close(timeoutMs),
  };
}
