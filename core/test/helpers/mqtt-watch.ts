/**
 * A real MQTT client (MQTT.js) subscribed to topics on a test broker, keeping every message it got,
 * as Home Assistant would see them.
 *
 * ```ts
 * const watch = await watchMqtt(broker.url, ["heatpump/#", "homeassistant/#"]);
 * await watch.waitFor((m) => m.topic === "heatpump/home/collector/availability", "availability");
 * watch.latest("heatpump/home/electric_power");   // the newest payload on a topic, or undefined
 * await watch.close();
 * ```
 */
import { connect, type MqttClient } from "mqtt";

export interface WatchedMessage {
  readonly topic: string;
  readonly payload: string;
  readonly retain: boolean;
  /** When it arrived (Date.now()). */
  readonly at: number;
}

export interface MqttWatch {
  readonly client: MqttClient;
  readonly messages: WatchedMessage[];
  /** Resolves with the first message (from the start, or from index `from`) that `match` accepts. */
  waitFor(
    match: (m: WatchedMessage) => boolean,
    what: string,
    opts?: { from?: number; timeoutMs?: number },
  ): Promise<WatchedMessage>;
  latest(topic: string): string | undefined;
  /** Every message on `topic`, oldest first. */
  on(topic: string): WatchedMessage[];
  publish(topic: string, payload: string, retain?: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function watchMqtt(url: string, topics: readonly string[]): Promise<MqttWatch> {
  const client = connect(url, {
    reconnectPeriod: 200,
    clientId: `test-watch-${process.pid}-${Math.random()}`,
  });
  const messages: WatchedMessage[] = [];
  client.on("message", (topic, payload, packet) =>
    messages.push({ topic, payload: payload.toString("utf8"), retain: packet.retain, at: Date.now() }),
  );
  client.on("error", () => undefined); // the broker restarts in some tests; MQTT.js reconnects
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("error", reject);
  });
  await client.subscribeAsync([...topics], { qos: 1 });
  return {
    client,
    messages,
    async waitFor(match, what, opts = {}) {
      const until = Date.now() + (opts.timeoutMs ?? 15_000);
      for (;;) {
        const found = messages.slice(opts.from ?? 0).find(match);
        if (found) return found;
        if (Date.now() > until)
          throw new Error(
            `no MQTT message for ${what}; got:\n${messages.map((m) => `${m.topic} ${m.payload}`).join("\n")}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    latest: (topic) => messages.filter((m) => m.topic === topic).at(-1)?.payload,
    on: (topic) => messages.filter((m) => m.topic === topic),
    async publish(topic, payload, retain = false) {
      await client.publishAsync(topic, payload, { qos: 1, retain });
    },
    async close() {
      await client.endAsync(true);
    },
  };
}
