/**
 * The builder's MQTT output (README, "Home Assistant and MQTT"): after each build, today's, this
 * month's and the season's figures and the open alerts (mqtt-figures.ts). Its own client, last will
 * and availability topic (core/src/mqtt/link.ts), so a dead collector leaves these available and a
 * dead builder leaves the live values available.
 *
 * The figures belong to the heat pump, so they join its device in Home Assistant: the collector
 * announces the devices it read, retained, on `<base>/<home>/collector/devices`, and the builder's
 * discovery waits for that announcement (the meter's device when there is no heat pump source). The
 * states are published regardless, so they are there when the discovery comes.
 */
import { alertFilePath, readAlertFile } from "../../core/src/alerts/state-file.ts";
import type { OpenAlert } from "../../core/src/alerts/state.ts";
import type { Logger } from "../../core/src/effects.ts";
import type { MqttConfig } from "../../core/src/mqtt/config.ts";
import { discoveryMessage, type HaDevice } from "../../core/src/mqtt/discovery.ts";
import { type MqttLinkOptions, openMqttLink } from "../../core/src/mqtt/link.ts";
import { devicesTopic } from "../../core/src/mqtt/topics.ts";
import { dayOf } from "../../core/src/time.ts";
import { monthOf, seasonOf } from "../../reports/src/periods.ts";
import type { Reports } from "../../reports/src/types.ts";
import { figureEntities, figureStates } from "./mqtt-figures.ts";

interface BuilderMqttDeps {
  readonly logger: Logger;
  /** DATA_DIR: where the builder's alert state is (`alerts-builder.json`). */
  readonly dataDir: string;
  /** Reconnection back-off (tests shorten it). */
  readonly backoff?: MqttLinkOptions["backoff"];
}

export interface BuilderMqtt {
  /** Publishes the figures of the build that just ended; never rejects (a failure is one log line). */
  afterBuild(reports: Reports, nowMs: number): Promise<void>;
  /** Says `offline` and disconnects, within `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

/** The device in the collector's announcement the figures go on, or undefined. */
function anchorDevice(announcement: string): HaDevice | undefined {
  const a = JSON.parse(announcement) as { heat_pump?: unknown; meter?: unknown };
  const d = (a.heat_pump ?? a.meter) as Partial<HaDevice> | null | undefined;
  const text = (x: unknown) => typeof x === "string" && x.length > 0;
  if (!d || ![d.serial, d.name, d.manufacturer, d.model].every(text)) return undefined;
  return {
    serial: d.serial!,
    name: d.name!,
    manufacturer: d.manufacturer!,
    model: d.model!,
    ...(text(d.firmware) ? { firmware: d.firmware } : {}),
  };
}

/** The builder's open alerts as its alert state file holds them (none without one). */
function openAlerts(dataDir: string): readonly OpenAlert[] {
  try {
    const f = readAlertFile(alertFilePath(dataDir, "builder"));
    return f && f !== "damaged" ? f.open : [];
  } catch {
    return []; // unreadable: the alerts' own code says so in its log
  }
}

export function startBuilderMqtt(config: MqttConfig, deps: BuilderMqttDeps): BuilderMqtt {
  const log = deps.logger.child("mqtt");
  let device: HaDevice | undefined;
  let currency: string | undefined;
  let built = false;
  let waitingLogged = false;
  let lastFailure = "";

  const announce = () => {
    if (!device || !built) return;
    link.setDiscovery(
      figureEntities(config, currency).map((e) => discoveryMessage(config, "builder", e, device!)),
    );
  };
  const link = openMqttLink({
    config,
    program: "builder",
    logger: deps.logger,
    backoff: deps.backoff,
    follow: {
      [devicesTopic(config)]: (payload) => {
        const d = payload ? anchorDevice(payload) : undefined;
        if (!d || JSON.stringify(d) === JSON.stringify(device)) return;
        device = d;
        announce();
      },
    },
  });

  return {
    async afterBuild(reports, nowMs) {
      try {
        const today = dayOf(reports.tz, nowMs);
        const figures = {
          today: await reports.report({ kind: "day", id: today }),
          month: await reports.report({ kind: "month", id: monthOf(today) }),
          season: await reports.report({ kind: "season", id: seasonOf(today) }),
        };
        currency = figures.today.settings.currency;
        built = true;
        announce();
        for (const [topic, payload] of figureStates(config, figures, openAlerts(deps.dataDir)))
          link.publish(topic, payload);
        if (!device && link.connected() && !waitingLogged) {
          waitingLogged = true;
          log.info(
            `no device announcement on ${devicesTopic(config)} yet: the builder's figures appear in Home ` +
              "Assistant once the collector has published its devices (set MQTT_URL for the collector too)",
          );
        }
        lastFailure = "";
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (msg !== lastFailure) log.warn(`could not publish the figures (${msg}); the site is not affected`);
        lastFailure = msg;
      }
    },
    close: (timeoutMs) => link.close(timeoutMs),
  };
}
