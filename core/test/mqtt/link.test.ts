/**
 * The MQTT link against a real broker (Debian's mosquitto, started per test on a free loopback port)
 * and a real client subscribed as Home Assistant would be.
 */
import { createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../src/effects.ts";
import { loadMqttConfig, type MqttConfig } from "../../src/mqtt/config.ts";
import { backoffMs, openMqttLink } from "../../src/mqtt/link.ts";
import { freePort, type Mosquitto, startMosquitto } from "../helpers/mosquitto.ts";
import { type MqttWatch, watchMqtt } from "../helpers/mqtt-watch.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function broker(opts?: { users?: Record<string, string> }): Promise<Mosquitto> {
  const b = await startMosquitto(opts);
  cleanups.push(() => b.stop());
  return b;
}
async function watch(url: string): Promise<MqttWatch> {
  const w = await watchMqtt(url, ["heatpump/#", "homeassistant/#"]);
  cleanups.push(() => w.close());
  return w;
}
function link(config: MqttConfig, extra: Partial<Parameters<typeof openMqttLink>[0]> = {}) {
  const logger = memoryLogger();
  const l = openMqttLink({ config, program: "collector", logger, ...extra });
  cleanups.push(() => l.close());
  return { link: l, lines: logger.lines };
}
const configFor = (url: string, more: Record<string, string> = {}) =>
  loadMqttConfig({ MQTT_URL: url, ...more })!;
const until = async (cond: () => boolean, what: string, ms = 10_000) => {
  for (const end = Date.now() + ms; !cond(); await new Promise((r) => setTimeout(r, 20)))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
};
const DISCOVERY = { topic: "homeassistant/sensor/home_x/power/config", payload: '{"name":"Power"}' };

describe("MQTT link", () => {
  it("says online, sends discovery and states, all retained; close() says offline", async () => {
    const b = await broker();
    const w = await watch(b.url);
    const { link: l, lines } = link(configFor(b.url));
    l.setDiscovery([DISCOVERY]);
    l.publish("heatpump/home/power", "1200");
    await w.waitFor((m) => m.topic === "heatpump/home/power", "the state");
    expect(w.on("heatpump/home/collector/availability").map((m) => m.payload)).toEqual(["online"]);
    expect(w.on(DISCOVERY.topic).map((m) => m.payload)).toEqual([DISCOVERY.payload]);
    // A late subscriber (Home Assistant starting after us) gets them all as retained messages.
    const late = await watch(b.url);
    await late.waitFor((m) => m.topic === "heatpump/home/power", "the retained state");
    expect(late.messages.every((m) => m.retain)).toBe(true);
    expect(late.latest("heatpump/home/power")).toBe("1200");
    expect(late.latest(DISCOVERY.topic)).toBe(DISCOVERY.payload);
    await l.close();
    await w.waitFor((m) => m.topic.endsWith("availability") && m.payload === "offline", "offline");
    expect(lines.join("\n")).toMatch(
      /connected to the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+ as heatpump-monitor-home-collector/,
    );
  });

  it("keeps only the latest state while the broker is away; sends it and the discovery on reconnecting", async () => {
    const b = await broker();
    const { link: l, lines } = link(configFor(b.url), { backoff: { firstMs: 100, maxMs: 400 } });
    l.setDiscovery([DISCOVERY]);
    await until(() => l.connected(), "the first connection");
    await b.pause(); // no persistence: the retained discovery is gone with it
    await until(() => !l.connected(), "the link to notice");
    for (const v of ["1", "2", "3"]) l.publish("heatpump/home/power", v); // never throws, never waits
    await b.start();
    const w = await watch(b.url);
    await w.waitFor((m) => m.topic === "heatpump/home/power", "the state after reconnecting");
    await w.waitFor((m) => m.topic === DISCOVERY.topic, "the discovery after reconnecting");
    await new Promise((r) => setTimeout(r, 300));
    expect(w.on("heatpump/home/power").map((m) => m.payload)).toEqual(["3"]);
    expect(w.latest("heatpump/home/collector/availability")).toBe("online");
    const text = lines.join("\n");
    expect(text.match(/lost the connection to the MQTT broker/g)).toHaveLength(1);
    expect(text).toMatch(/connected to the MQTT broker at \S+ again/);
  });

  it("sends the discovery again when Home Assistant announces itself online, not for its retained state", async () => {
    const b = await broker();
    const w = await watch(b.url);
    await w.publish("homeassistant/status", "online", true); // retained from an earlier start
    const { link: l } = link(configFor(b.url));
    l.setDiscovery([DISCOVERY]);
    await w.waitFor((m) => m.topic === DISCOVERY.topic, "the first discovery");
    await new Promise((r) => setTimeout(r, 300));
    expect(w.on(DISCOVERY.topic)).toHaveLength(1);
    await w.publish("homeassistant/status", "online"); // Home Assistant restarted: its birth message
    await until(() => w.on(DISCOVERY.topic).length === 2, "the discovery sent again");
    await w.publish("homeassistant/status", "offline");
    await new Promise((r) => setTimeout(r, 300));
    expect(w.on(DISCOVERY.topic)).toHaveLength(2);
  });

  it("sends only new or changed discovery configs on a running connection", async () => {
    const b = await broker();
    const w = await watch(b.url);
    const { link: l } = link(configFor(b.url));
    l.setDiscovery([DISCOVERY]);
    await w.waitFor((m) => m.topic === DISCOVERY.topic, "the discovery");
    const second = { topic: "homeassistant/sensor/home_x/cop/config", payload: '{"name":"COP"}' };
    l.setDiscovery([DISCOVERY, second]);
    await w.waitFor((m) => m.topic === second.topic, "the new config");
    await new Promise((r) => setTimeout(r, 200));
    expect(w.on(DISCOVERY.topic)).toHaveLength(1);
  });

  it("refused credentials: one clear log line, no stack, no more attempts", async () => {
    const b = await broker({ users: { heatpump: "right-password" } });
    const config = configFor(b.url, { MQTT_USERNAME: "heatpump", MQTT_PASSWORD: "wrong-password" });
    const { link: l, lines } = link(config, { backoff: { firstMs: 50, maxMs: 50 } });
    await until(() => lines.some((x) => x.includes("refused")), "the refusal");
    await new Promise((r) => setTimeout(r, 600)); // 12 back-off periods
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/error mqtt: the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+ refused the login /);
    expect(lines[0]).toContain(
      "(Connection refused: Not authorized, CONNACK 5): check MQTT_USERNAME and MQTT_PASSWORD",
    );
    expect(lines[0]).not.toContain("wrong-password");
    expect(b.log.join("").match(/Sending CONNACK/g)).toHaveLength(1); // one attempt, refused
    l.publish("heatpump/home/power", "1"); // still never throws
    expect(l.connected()).toBe(false);
  });

  it("an unreachable broker: one log line, attempts at growing intervals, publish() returns at once", async () => {
    const attempts: number[] = [];
    const sockets: Socket[] = [];
    const port = await freePort();
    // A port that takes connections and drops them at once, like a broker that dies at every attempt.
    const server = createServer((s) => {
      attempts.push(Date.now());
      sockets.push(s);
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const { link: l, lines } = link(configFor(`mqtt://127.0.0.1:${port}`), {
      backoff: { firstMs: 100, maxMs: 400 },
    });
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) l.publish("heatpump/home/power", String(i));
    expect(performance.now() - t0).toBeLessThan(500);
    await until(() => attempts.length >= 6, "six attempts", 5000);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    // 100, 200, 400, 400, 400 ms (+ the time an attempt takes)
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[0]).toBeLessThan(300);
    expect(gaps[1]).toBeGreaterThanOrEqual(190);
    expect(gaps[2]).toBeGreaterThanOrEqual(390);
    expect(gaps[3]).toBeGreaterThanOrEqual(390);
    expect(gaps[4]).toBeLessThan(1000); // capped at 400 ms: 1600 ms without the cap
    expect(lines.filter((x) => !x.includes(" debug "))).toEqual([
      expect.stringMatching(
        /warn {2}mqtt: cannot reach the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+; .*nothing else waits for it$/,
      ),
    ]);
  });

  it("backoffMs doubles from the first wait up to the cap", () => {
    const b = { firstMs: 1000, maxMs: 60_000 };
    expect([0, 1, 2, 5, 6, 7, 100].map((n) => backoffMs(n, b))).toEqual([
      1000, 2000, 4000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });
});
