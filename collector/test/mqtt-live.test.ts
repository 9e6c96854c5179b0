/**
 * The collector's MQTT output end to end: the collector (in this process, and as a child process for
 * kill -9) polls the fake Pro 3EM and the fake Viessmann API and publishes to a real broker (Debian's
 * mosquitto, ../../core/test/helpers/mosquitto.ts), where a real MQTT client subscribes as Home
 * Assistant would. Values are those the fakes serve: the Pro 3EM capture's 2413.825 W and
 * total_act 5415414.19 Wh; the Vitocal 252-A dump's flow 43.2 °C, return 39.3 °C, 970 l/h, outside
 * 3.3 °C, cylinder 35.6 °C, compressor on, valve on hot water, day counters 44.8 + 7.9 kWh.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { type Mosquitto, startMosquitto } from "../../core/test/helpers/mosquitto.ts";
import { type MqttWatch, watchMqtt } from "../../core/test/helpers/mqtt-watch.ts";
import { type FakeShelly, startFakeShelly } from "./fakes/shelly-server.ts";
import { type FakeViessmann, FAKE_IDS, startFakeViessmann } from "./fakes/viessmann-api.ts";
import { seedTokens } from "./sources/viessmann/helpers.ts";

const MAIN = resolve(import.meta.dirname, "../src/main.ts");
const SHELLY_ID = "shellypro3em-aabbccddeeff";
const HEAT_PUMP = `${FAKE_IDS.gatewaySerial}-${FAKE_IDS.deviceId}`;

let cwd: string;
let shelly: FakeShelly;
let viessmann: FakeViessmann;
let broker: Mosquitto;
let watch: MqttWatch;
let logged: string[];
const children: ChildProcess[] = [];

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "collector-mqtt-"));
  shelly = await startFakeShelly({ profile: "triphase" });
  viessmann = await startFakeViessmann();
  broker = await startMosquitto();
  watch = await watchMqtt(broker.url, ["heatpump/#", "homeassistant/#"]);
  logged = [];
  await mkdir(join(cwd, "data"), { recursive: true });
  seedTokens(viessmann, join(cwd, "data"), Date.now());
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  await watch.close();
  await broker.stop();
  await shelly.close();
  await viessmann.close();
  await rm(cwd, { recursive: true, force: true });
});

/** The collector's environment: the fake Shelly at 1 s, the broker, and the fake Viessmann unless `shellyOnly`. */
const env = (more: Record<string, string> = {}, shellyOnly = false): Record<string, string> => ({
  LOG_LEVEL: "info",
  SHELLY_URL: shelly.url,
  SHELLY_INTERVAL: "1",
  ...(shellyOnly
    ? {}
    : {
        VIESSMANN_CLIENT_ID: "test-client",
        VIESSMANN_API_URL: viessmann.url,
        VIESSMANN_AUTH_URL: viessmann.url,
        VIESSMANN_INTERVAL: "60",
      }),
  MQTT_URL: broker.url,
  HOME_ID: "test-home",
  ...more,
});
/** Shelly.GetStatus requests the fake answered. */
const statusPolls = () => shelly.calls.filter((c) => c.path.includes("Shelly.GetStatus")).length;

/** Runs main() until `stop` is called; its log lines go to `logged`. */
function run(e: Record<string, string>) {
  let stop!: (why: string) => void;
  const exited = main([], {
    env: e,
    cwd,
    print: () => undefined,
    printError: (t: string) => void logged.push(t),
    writeLog: (_l: string, line: string) => void logged.push(line),
    stopSignal: new Promise<string>((r) => (stop = r)),
  });
  return { exited, stop: (why = "test stop") => stop(why) };
}

const topic = (object: string) => `heatpump/test-home/${object}`;
const config = (component: string, serial: string, object: string) =>
  `homeassistant/${component}/test-home_${serial}/${object}/config`;

/** What each entity is in Home Assistant: component, device, device_class, state_class, unit. */
const EXPECTED_ENTITIES: Record<
  string,
  [string, string, string | undefined, string | undefined, string | undefined]
> = {
  electric_power: ["sensor", SHELLY_ID, "power", "measurement", "W"],
  electricity_imported: ["sensor", SHELLY_ID, "energy", "total_increasing", "kWh"],
  thermal_power: ["sensor", HEAT_PUMP, "power", "measurement", "W"],
  flow_temperature: ["sensor", HEAT_PUMP, "temperature", "measurement", "°C"],
  return_temperature: ["sensor", HEAT_PUMP, "temperature", "measurement", "°C"],
  outside_temperature: ["sensor", HEAT_PUMP, "temperature", "measurement", "°C"],
  hot_water_temperature: ["sensor", HEAT_PUMP, "temperature", "measurement", "°C"],
  operating_mode: ["sensor", HEAT_PUMP, "enum", undefined, undefined],
  heat_produced: ["sensor", HEAT_PUMP, "energy", "total_increasing", "kWh"],
  compressor: ["binary_sensor", HEAT_PUMP, "running", undefined, undefined],
  cop_now: ["sensor", HEAT_PUMP, undefined, "measurement", undefined],
};

describe("collector MQTT output", () => {
  it("announces each entity with the keys Home Assistant needs; publishes what the devices served", async () => {
    const r = run(env());
    try {
      for (const [object, [component, serial]] of Object.entries(EXPECTED_ENTITIES))
        await watch.waitFor((m) => m.topic === config(component, serial, object), `the config of ${object}`);
      for (const object of Object.keys(EXPECTED_ENTITIES))
        await watch.waitFor((m) => m.topic === topic(object), `the state of ${object}`);
    } finally {
      r.stop();
    }
    expect(await r.exited).toBe(0);

    for (const [object, [component, serial, deviceClass, stateClass, unit]] of Object.entries(
      EXPECTED_ENTITIES,
    )) {
      const p = JSON.parse(watch.latest(config(component, serial, object))!);
      expect(p.unique_id).toBe(`test-home_${serial}_${object}`);
      expect(p.state_topic).toBe(topic(object));
      expect(p.availability_topic).toBe("heatpump/test-home/collector/availability");
      expect([p.payload_available, p.payload_not_available]).toEqual(["online", "offline"]);
      expect(p.device_class).toBe(deviceClass);
      expect(p.state_class).toBe(stateClass);
      expect(p.unit_of_measurement).toBe(unit);
      expect(p.device.identifiers).toEqual([`test-home_${serial}`]);
      expect(p.device.serial_number).toBe(serial);
      expect(typeof p.name).toBe("string");
    }
    const meter = JSON.parse(watch.latest(config("sensor", SHELLY_ID, "electric_power"))!).device;
    expect(meter).toMatchObject({ manufacturer: "Shelly", model: "SPEM-003CEBEU", name: "Shelly Pro 3EM" });
    const hp = JSON.parse(watch.latest(config("sensor", HEAT_PUMP, "flow_temperature"))!).device;
    expect(hp).toMatchObject({ manufacturer: "Viessmann", model: "E3_Vitocal_16", name: "Heat pump" });
    expect(JSON.parse(watch.latest(config("sensor", HEAT_PUMP, "operating_mode"))!).options).toEqual([
      "heating",
      "hot_water",
      "defrosting",
      "standby",
    ]);

    const states = Object.fromEntries(Object.keys(EXPECTED_ENTITIES).map((o) => [o, watch.latest(topic(o))]));
    expect(states).toEqual({
      electric_power: "2413.8", // 2413.825 W to 0.1 W
      electricity_imported: "5415.414", // 5415414.19 Wh
      thermal_power: "4400", // 970 l/h x 1.163 x (43.2 - 39.3) K = 4399.6 W
      flow_temperature: "43.2",
      return_temperature: "39.3",
      outside_temperature: "3.3",
      hot_water_temperature: "35.6",
      operating_mode: "hot_water", // compressor on, valve on hot water
      heat_produced: "52.7", // 44.8 + 7.9 kWh
      compressor: "ON", // 2413.8 W >= STARTING_POWER_W (100)
      cop_now: "None", // one heat pump reading: no interval yet, unknown (never 0)
    });
    // The builder's anchor: the devices, retained.
    expect(JSON.parse(watch.latest("heatpump/test-home/collector/devices")!)).toMatchObject({
      heat_pump: { serial: HEAT_PUMP, manufacturer: "Viessmann" },
      meter: { serial: SHELLY_ID, manufacturer: "Shelly" },
    });
    // Said at the stop (a clean disconnect sends no last will).
    await watch.waitFor(
      (m) => m.topic === "heatpump/test-home/collector/availability" && m.payload === "offline",
      "offline at the stop",
    );
  });

  it("publishes at most one message per topic per poll", async () => {
    const r = run(env({}, true));
    await watch.waitFor((m) => m.topic === topic("electric_power"), "the first value");
    await new Promise((res) => setTimeout(res, 3000));
    r.stop();
    expect(await r.exited).toBe(0);
    const electric = statusPolls();
    for (const object of ["electric_power", "electricity_imported", "compressor"]) {
      const n = watch.on(topic(object)).length;
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(electric);
    }
    // Without a heat pump source the compressor state goes on the meter.
    expect(watch.latest(config("binary_sensor", SHELLY_ID, "compressor"))).toBeDefined();
  });

  it("after a broker restart (retained messages lost) it reconnects, sends discovery and values again", async () => {
    const r = run(env({}, true));
    try {
      await watch.waitFor(
        (m) => m.topic === config("sensor", SHELLY_ID, "electric_power"),
        "the first discovery",
      );
      await broker.restart();
      const fresh = await watchMqtt(broker.url, ["heatpump/#", "homeassistant/#"]);
      try {
        await fresh.waitFor(
          (m) => m.topic === config("sensor", SHELLY_ID, "electric_power"),
          "discovery again",
        );
        await fresh.waitFor((m) => m.topic === topic("electric_power"), "values again");
        expect(fresh.latest("heatpump/test-home/collector/availability")).toBe("online");
      } finally {
        await fresh.close();
      }
    } finally {
      r.stop();
    }
    expect(await r.exited).toBe(0);
    const text = logged.join("\n");
    expect(text).toMatch(/warn {2}mqtt: lost the connection to the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(text).toMatch(/info {2}mqtt: connected to the MQTT broker at \S+ again/);
  });

  it("an unreachable broker holds nothing up: polls are journaled at their interval, one log line", async () => {
    await broker.pause();
    const r = run(env({}, true));
    // When each of the first four polls reached the meter.
    const at: number[] = [];
    for (const until = Date.now() + 15_000; at.length < 4 && Date.now() < until;) {
      if (statusPolls() > at.length) at.push(Date.now());
      await new Promise((res) => setTimeout(res, 10));
    }
    r.stop();
    expect(await r.exited).toBe(0);
    expect(at).toHaveLength(4);
    // Three 1 s intervals (a poll that waited for the broker, even 3 s, would make it 9 s or more).
    expect(at[3]! - at[0]!).toBeLessThan(6000);
    const journal = join(cwd, "data", "journal");
    let lines = "";
    for (const f of (await readdir(journal)).filter((n) => n.endsWith(".lp")))
      lines += await readFile(join(journal, f), "utf8");
    expect(lines.match(/^electric,/gm)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(logged.filter((l) => l.includes("mqtt:"))).toEqual([
      expect.stringMatching(
        /warn {2}mqtt: cannot reach the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED/,
      ),
    ]);
    await broker.start(); // for afterEach
  });

  it("refused credentials: one log line without the password, the collector goes on", async () => {
    await broker.stop();
    broker = await startMosquitto({ users: { heatpump: "right-pass" } });
    const r = run(
      env({ MQTT_URL: broker.url, MQTT_USERNAME: "heatpump", MQTT_PASSWORD: "wrong-pass" }, true),
    );
    await new Promise((res) => setTimeout(res, 3000));
    r.stop();
    expect(await r.exited).toBe(0);
    const mqtt = logged.filter((l) => l.includes("mqtt:"));
    expect(mqtt).toEqual([
      expect.stringMatching(
        /error mqtt: the MQTT broker at \S+ refused the login \(Connection refused: Not authorized, CONNACK 5\)/,
      ),
    ]);
    expect(logged.join("\n")).not.toContain("wrong-pass");
    expect(statusPolls()).toBeGreaterThanOrEqual(2);
  });

  it("kill -9: the broker publishes the last will and the availability turns offline", async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        TZ: "UTC",
        DATA_DIR: join(cwd, "data"),
        SHELLY_URL: shelly.url,
        SHELLY_INTERVAL: "1",
        MQTT_URL: broker.url,
        HOME_ID: "test-home",
      },
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    const out: string[] = [];
    child.stdout!.on("data", (d: Buffer) => out.push(d.toString()));
    child.stderr!.on("data", (d: Buffer) => out.push(d.toString()));
    const availability = "heatpump/test-home/collector/availability";
    await watch.waitFor(
      (m) => m.topic === topic("electric_power"),
      `a value (collector output: ${out.join("")})`,
    );
    expect(watch.latest(availability)).toBe("online");
    const from = watch.messages.length;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    const will = await watch.waitFor((m) => m.topic === availability, "the last will", { from });
    expect(will.payload).toBe("offline");
    // Retained too: Home Assistant starting later sees the collector offline.
    const late = await watchMqtt(broker.url, [availability]);
    try {
      expect((await late.waitFor((m) => m.topic === availability, "the retained will")).payload).toBe(
        "offline",
      );
    } finally {
      await late.close();
    }
  });
});
