/**
 * One program's connection to the MQTT broker (MQTT.js), built so that the broker never holds
 * anything up:
 *
 * - `publish()` never waits and never throws. While connected a state goes out at once (retained,
 *   QoS 0); while not, nothing is queued (`queueQoSZero: false`): only the latest payload per topic
 *   is kept, a map as large as the number of topics, and sent when the connection is back.
 * - Every connection (the first and each reconnection) says `online` on the program's availability
 *   topic, then sends every discovery config (retained, QoS 1: a broker restarted without
 *   persistence has lost them), then the latest states. So does Home Assistant's `online` on
 *   `<prefix>/status` (its birth message, when it restarts). The last will, set at connect, turns the
 *   availability `offline` when the program dies; `close()` says `offline` itself, as a clean
 *   DISCONNECT discards the will.
 * - Reconnection is ours, not MQTT.js's fixed period: 1 s, 2 s, 4 s ... up to a minute between
 *   attempts, back to 1 s once connected. One log line when the broker cannot be reached or the
 *   connection is lost, one when it is back; the attempts between are debug lines.
 * - A broker that refuses the login (CONNACK 4 "bad user name or password" or 5 "not authorized";
 *   134 or 135 in MQTT 5) gets one error line naming the variables to check, and no more attempts
 *   until a restart: retrying cannot fix a password, and a loop of refusals only fills the log.
 */
import { connect, type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "../effects.ts";
import type { MqttConfig } from "./config.ts";
import type { MqttMessage } from "./discovery.ts";
import {
  availabilityTopic,
  AVAILABLE,
  clientIdOf,
  HA_ONLINE,
  haStatusTopic,
  type MqttProgram,
  NOT_AVAILABLE,
} from "./topics.ts";

export interface MqttLinkOptions {
  readonly config: MqttConfig;
  readonly program: MqttProgram;
  readonly logger: Logger;
  /** Further topics to subscribe to on every connection, each with what to do with a message. */
  readonly follow?: Readonly<Record<string, (payload: string) => void>>;
  /** Wait before the first reconnection attempt, doubled after each failed one up to `maxMs`. */
  readonly backoff?: { readonly firstMs: number; readonly maxMs: number };
  /** Longest wait for the broker's CONNACK, ms. Default 10 s. */
  readonly connectTimeoutMs?: number;
}

interface MqttLink {
  /** Replaces the discovery configs; those new or changed since last sent go out now if connected. */
  setDiscovery(messages: readonly MqttMessage[]): void;
  /** Publishes a state (retained, QoS 0) now if connected; keeps it as the topic's latest either way. */
  publish(topic: string, payload: string): void;
  connected(): boolean;
  /** Says `offline`, disconnects, and stops reconnecting; within `timeoutMs` (default 2 s) whatever the broker does. */
  close(timeoutMs?: number): Promise<void>;
}

const DEFAULT_BACKOFF = { firstMs: 1000, maxMs: 60_000 } as const;

/** The wait before attempt `n` (0-based) after a failure: doubling from `firstMs`, at most `maxMs`. */
export const backoffMs = (n: number, b: { firstMs: number; maxMs: number }): number =>
  Math.min(b.maxMs, b.firstMs * 2 ** Math.min(n, 30));

/** CONNACK codes that mean the credentials: MQTT 3.1.1 (4, 5) and MQTT 5 (134, 135). */
const REFUSED_LOGIN = new Set([4, 5, 134, 135]);

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function openMqttLink(opts: MqttLinkOptions): MqttLink {
  const { config: c, program, logger } = opts;
  const log = logger.child("mqtt");
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const availability = availabilityTopic(c, program);
  const statusTopic = haStatusTopic(c);
  const where = `the MQTT broker at ${c.url}`;
  const states = new Map<string, string>();
  let discovery = new Map<string, string>();
  /** Discovery configs sent on the current connection. */
  const sent = new Map<string, string>();
  let failures = 0;
  let everConnected = false;
  /** Whether the connection that just closed had been up (a lost connection, not a failed attempt). */
  let connectedNow = false;
  let outageLogged = false;
  let lastError = "";
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const options: IClientOptions = {
    clientId: clientIdOf(c, program),
    username: c.username,
    password: c.password,
    clean: true,
    keepalive: 30,
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
    // Reconnection is ours (growing back-off); MQTT.js's would retry at one fixed period for ever.
    reconnectPeriod: 0,
    // Nothing piles up while disconnected: the latest state per topic is kept above instead.
    queueQoSZero: false,
    will: { topic: availability, payload: Buffer.from(NOT_AVAILABLE), qos: 1, retain: true },
  };
  // The address as options, not as a URL string: MQTT.js would parse that with the deprecated url.parse(),
  // which makes Node warn (DEP0169) when the code runs from the collector's bundle.
  const u = new URL(c.url);
  const tls = u.protocol === "mqtts:";
  const client: MqttClient = connect({
    ...options,
    protocol: tls ? "mqtts" : "mqtt",
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : tls ? 8883 : 1883,
  });

  const send = (topic: string, payload: string, qos: 0 | 1) => {
    client.publish(topic, payload, { qos, retain: true }, (e) => {
      if (e) log.debug(`publishing ${topic} failed: ${errorText(e)}`);
    });
  };
  const sendDiscovery = (all: boolean) => {
    for (const [topic, payload] of discovery) {
      if (!all && sent.get(topic) === payload) continue;
      send(topic, payload, 1);
      sent.set(topic, payload);
    }
  };

  client.on("connect", () => {
    const after = failures > 0 ? ` after ${failures} failed attempt(s)` : "";
    log.info(`connected to ${where}${everConnected ? " again" : ` as ${options.clientId}`}${after}`);
    connectedNow = true;
    outageLogged = false;
    everConnected = true;
    failures = 0;
    lastError = "";
    sent.clear();
    send(availability, AVAILABLE, 1);
    const topics = [statusTopic, ...Object.keys(opts.follow ?? {})];
    client.subscribe(topics, { qos: 0 }, (e) => {
      if (e) log.warn(`could not subscribe to ${topics.join(", ")} at ${where}: ${errorText(e)}`);
    });
    sendDiscovery(true);
    for (const [topic, payload] of states) send(topic, payload, 0);
  });

  client.on("message", (topic, payload, packet) => {
    const text = payload.toString("utf8");
    if (topic === statusTopic) {
      // A retained `online` is Home Assistant's state from before: this connection just sent everything.
      if (text === HA_ONLINE && !packet.retain) {
        log.info("Home Assistant came online; sending the discovery again");
        send(availability, AVAILABLE, 1);
        sendDiscovery(true);
      }
      return;
    }
    try {
      opts.follow?.[topic]?.(text);
    } catch (e) {
      log.warn(`could not use the message on ${topic}: ${errorText(e)}`);
    }
  });

  client.on("error", (e: Error & { code?: string | number }) => {
    if (typeof e.code === "number" && REFUSED_LOGIN.has(e.code)) {
      // One line, then no more attempts: a wrong password stays wrong until someone changes it.
      log.error(
        `${where} refused the login (${e.message}, CONNACK ${e.code}): check MQTT_USERNAME and ` +
          "MQTT_PASSWORD (and the broker's access list); MQTT stays off until the program restarts, " +
          "everything else goes on",
      );
      stopped = true;
      client.end(true);
      return;
    }
    lastError = errorText(e);
  });

  client.on("close", () => {
    if (stopped) return;
    const why = lastError ? ` (${lastError})` : "";
    const plan =
      `trying again in ${backoff.firstMs / 1000} s, then less and less often, up to every ` +
      `${backoff.maxMs / 1000} s; nothing else waits for it`;
    // One line per outage: the attempts that fail after it are debug lines.
    if (!outageLogged)
      log.warn(`${connectedNow ? "lost the connection to" : "cannot reach"} ${where}${why}; ${plan}`);
    else log.debug(`attempt ${failures} to reach ${where} failed${why}`);
    outageLogged = true;
    // A lost connection is tried again after the first wait; each failed attempt doubles it.
    const waitMs = backoffMs(failures, backoff);
    if (!connectedNow) failures++;
    connectedNow = false;
    lastError = "";
    sent.clear();
    clearTimeout(retry);
    retry = setTimeout(() => {
      if (!stopped) client.reconnect();
    }, waitMs);
    retry.unref();
  });

  return {
    setDiscovery(messages) {
      discovery = new Map(messages.map((m) => [m.topic, m.payload]));
      if (client.connected) sendDiscovery(false);
    },
    publish(topic, payload) {
      states.set(topic, payload);
      if (client.connected) send(topic, payload, 0);
    },
    connected: () => client.connected,
    async close(timeoutMs = 2000) {
      stopped = true;
      clearTimeout(retry);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      const polite = async () => {
        if (client.connected)
          await new Promise<void>((resolve) =>
            client.publish(availability, NOT_AVAILABLE, { qos: 1, retain: true }, () => resolve()),
          );
        await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
      };
      await Promise.race([polite(), late]);
      clearTimeout(timer);
      // A broker that does not answer: drop the socket (the will says offline for us then).
      if (!client.disconnected) await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
    },
  };
}
