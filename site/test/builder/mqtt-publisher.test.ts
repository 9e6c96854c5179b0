/**
 * The builder's MQTT output against a real broker (Debian's mosquitto) and a real client subscribed
 * as Home Assistant would be: figures from hand-made period reports, open alerts from the builder's
 * alert state file, discovery on the heat pump the collector announced, an availability of its own.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { alertFilePath, emptyAlertFile, writeAlertFile } from "../../../core/src/alerts/state-file.ts";
import { memoryLogger } from "../../../core/src/effects.ts";
import { loadMqttConfig } from "../../../core/src/mqtt/config.ts";
import { type Mosquitto, startMosquitto } from "../../../core/test/helpers/mosquitto.ts";
import { type MqttWatch, watchMqtt } from "../../../core/test/helpers/mqtt-watch.ts";
import type { PeriodId, PeriodReport, Reports } from "../../../reports/src/types.ts";
import { type BuilderMqtt, startBuilderMqtt } from "../../builder/mqtt-publisher.ts";
import { collectSecrets } from "../../builder/secrets.ts";

const LINK = resolve(import.meta.dirname, "../../../core/src/mqtt/link.ts");
const BUILDER = resolve(import.meta.dirname, "../../builder/loop.ts");
const HEAT_PUMP = {
  serial: "7633107093013212-0",
  name: "Heat pump",
  manufacturer: "Viessmann",
  model: "E3_Vitocal_16",
};

let broker: Mosquitto;
let watch: MqttWatch;
let dataDir: string;
const closers: (() => Promise<unknown>)[] = [];
beforeEach(async () => {
  broker = await startMosquitto();
  watch = await watchMqtt(broker.url, ["heatpump/#", "homeassistant/#"]);
  dataDir = mkdtempSync(join(tmpdir(), "builder-mqtt-"));
});
afterEach(async () => {
  for (const f of closers.splice(0).reverse()) await f();
  await watch.close();
  await broker.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Period reports as the engine would answer, with hand-picked totals (the rest is not read). */
function fakeReports(totals: Record<string, Partial<PeriodReport>>, currency?: string): Reports {
  const report = async (p: PeriodId) =>
    ({ kind: p.kind, id: p.id, settings: { currency }, ...totals[p.kind] }) as unknown as PeriodReport;
  return { tz: "Europe/Berlin", report } as unknown as Reports;
}
const REPORTS = fakeReports(
  {
    day: { elec_kwh: 12.345, heat_kwh: 45.678, cop: 3.7001, cost: 3.7035, cost_total: 4.1535 },
    month: { elec_kwh: 210.5, heat_kwh: 800.24, cop: 3.8016, cost: 63.15, cost_total: null },
    season: { cop: 4.1234 },
  },
  "EUR",
);

function builder(env: Record<string, string> = {}): { mqtt: BuilderMqtt; lines: string[] } {
  const logger = memoryLogger();
  const config = loadMqttConfig({ MQTT_URL: broker.url, HOME_ID: "test-home", ...env })!;
  const mqtt = startBuilderMqtt(config, { logger, dataDir, backoff: { firstMs: 100, maxMs: 400 } });
  closers.push(() => mqtt.close(1000));
  return { mqtt, lines: logger.lines };
}
const announce = (payload: object) =>
  watch.publish("heatpump/test-home/collector/devices", JSON.stringify(payload), true);
const cfg = (component: string, object: string) =>
  `homeassistant/${component}/test-home_${HEAT_PUMP.serial}/${object}/config`;
const state = (object: string) => `heatpump/test-home/${object}`;

describe("builder MQTT output", () => {
  it("publishes today's and this month's figures, the SPF and each alert, on the collector's heat pump", async () => {
    await announce({ heat_pump: HEAT_PUMP, meter: null });
    writeAlertFile(alertFilePath(dataDir, "builder"), {
      ...emptyAlertFile("builder"),
      open: [
        {
          condition: "meter_silent",
          severity: "critical",
          title: "Electricity meter silent",
          message: "No reading from the Shelly for 25 min; check that it is powered and on the network",
          openedMs: Date.UTC(2026, 11, 5, 10, 0),
          toldMs: Date.UTC(2026, 11, 5, 10, 0),
          own: true,
        },
      ],
    });
    const { mqtt } = builder();
    await watch.waitFor((m) => m.topic === "heatpump/test-home/builder/availability", "online");
    await mqtt.afterBuild(REPORTS, Date.UTC(2026, 11, 5, 12, 0));
    await watch.waitFor((m) => m.topic === cfg("binary_sensor", "alert_disk_low"), "the last config");
    await watch.waitFor((m) => m.topic === state("alerts/disk_low/attributes"), "the last state");

    expect(
      Object.fromEntries(
        [
          "today_electricity",
          "today_heat",
          "today_cop",
          "today_cost",
          "month_electricity",
          "month_heat",
          "month_cop",
          "month_cost",
          "season_spf",
        ].map((o) => [o, watch.latest(state(o))]),
      ),
    ).toEqual({
      today_electricity: "12.35", // 12.345 kWh to 0.01
      today_heat: "45.68",
      today_cop: "3.7",
      today_cost: "4.15", // with the standing charge: cost_total
      month_electricity: "210.5",
      month_heat: "800.24",
      month_cop: "3.8",
      month_cost: "63.15", // no standing charge: cost
      season_spf: "4.12",
    });
    expect(watch.latest(state("alerts/meter_silent"))).toBe("ON");
    expect(JSON.parse(watch.latest(state("alerts/meter_silent/attributes"))!)).toEqual({
      message: "No reading from the Shelly for 25 min; check that it is powered and on the network",
      title: "Electricity meter silent",
      severity: "critical",
      since: "2026-12-05T10:00:00.000Z",
    });
    expect(watch.latest(state("alerts/cop_low"))).toBe("OFF");
    expect(watch.latest(state("alerts/cop_low/attributes"))).toBe("{}");

    const energy = JSON.parse(watch.latest(cfg("sensor", "today_electricity"))!);
    expect(energy).toMatchObject({
      unique_id: `test-home_${HEAT_PUMP.serial}_today_electricity`,
      state_topic: state("today_electricity"),
      device_class: "energy",
      state_class: "total_increasing",
      unit_of_measurement: "kWh",
      availability_topic: "heatpump/test-home/builder/availability",
      device: {
        identifiers: [`test-home_${HEAT_PUMP.serial}`],
        manufacturer: "Viessmann",
        model: "E3_Vitocal_16",
      },
    });
    expect(JSON.parse(watch.latest(cfg("sensor", "today_cost"))!)).toMatchObject({
      device_class: "monetary",
      state_class: "total",
      unit_of_measurement: "EUR",
    });
    expect(JSON.parse(watch.latest(cfg("sensor", "season_spf"))!)).toMatchObject({
      state_class: "measurement",
    });
    expect(JSON.parse(watch.latest(cfg("binary_sensor", "alert_meter_silent"))!)).toMatchObject({
      device_class: "problem",
      state_topic: state("alerts/meter_silent"),
      json_attributes_topic: state("alerts/meter_silent/attributes"),
      name: "Alert: Electricity meter silent",
    });
  });

  it("without a price there are no cost entities, and no cost is published", async () => {
    await announce({ heat_pump: HEAT_PUMP, meter: null });
    const { mqtt } = builder();
    await watch.waitFor((m) => m.topic.endsWith("builder/availability"), "online");
    await mqtt.afterBuild(fakeReports({ day: { elec_kwh: 1 }, month: {}, season: {} }), Date.now());
    await watch.waitFor((m) => m.topic === cfg("sensor", "season_spf"), "the discovery");
    await watch.waitFor((m) => m.topic === state("alerts/disk_low/attributes"), "the states");
    expect(watch.messages.filter((m) => m.topic.includes("cost"))).toEqual([]);
    expect(watch.latest(state("month_cop"))).toBe("None"); // unknown, never 0
  });

  it("waits for the collector's device announcement before its discovery; its states are there already", async () => {
    const { mqtt, lines } = builder();
    await watch.waitFor((m) => m.topic.endsWith("builder/availability"), "online");
    await new Promise((r) => setTimeout(r, 200)); // the retained devices topic (none) has been looked at
    await mqtt.afterBuild(REPORTS, Date.now());
    await watch.waitFor((m) => m.topic === state("season_spf"), "the states");
    expect(watch.messages.filter((m) => m.topic.startsWith("homeassistant/"))).toEqual([]);
    expect(lines.join("\n")).toContain("no device announcement on heatpump/test-home/collector/devices yet");
    await announce({ heat_pump: null, meter: { ...HEAT_PUMP, serial: "shellypro3em-aabbccddeeff" } });
    const c = await watch.waitFor((m) => m.topic.endsWith("/today_cop/config"), "the discovery");
    expect(c.topic).toBe("homeassistant/sensor/test-home_shellypro3em-aabbccddeeff/today_cop/config");
  });

  it("has its own availability: a collector killed with -9 leaves the builder's entities available", async () => {
    // A stand-in collector: a link of its own in a child process, killed without warning.
    const script =
      `import { openMqttLink } from ${JSON.stringify(LINK)};\n` +
      `const config = { url: ${JSON.stringify(broker.url)}, username: undefined, password: undefined, ` +
      `baseTopic: "heatpump", discoveryPrefix: "homeassistant", homeId: "test-home" };\n` +
      `const logger = { debug() {}, info() {}, warn() {}, error() {}, child() { return logger; } };\n` +
      `openMqttLink({ config, program: "collector", logger });\n` +
      `setInterval(() => {}, 1000);\n`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    closers.push(async () => void (child.exitCode === null && child.kill("SIGKILL")));
    await watch.waitFor(
      (m) => m.topic === "heatpump/test-home/collector/availability" && m.payload === "online",
      "the collector online",
    );
    await announce({ heat_pump: HEAT_PUMP, meter: null });
    const { mqtt } = builder();
    await mqtt.afterBuild(REPORTS, Date.now());
    await watch.waitFor((m) => m.topic === cfg("sensor", "today_cop"), "the builder's discovery");
    const from = watch.messages.length;
    child.kill("SIGKILL");
    await watch.waitFor(
      (m) => m.topic === "heatpump/test-home/collector/availability" && m.payload === "offline",
      "the collector's last will",
      { from },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(watch.latest("heatpump/test-home/builder/availability")).toBe("online");
    expect(JSON.parse(watch.latest(cfg("sensor", "today_cop"))!).availability_topic).toBe(
      "heatpump/test-home/builder/availability",
    );
  });

  it("npm run builder publishes after each build and says offline when stopped", async () => {
    const history = join(dataDir, "history.lp");
    await writeHistory({ days: 1, end: "2026-03-30", seed: 5, out: history, tz: "Europe/Berlin" });
    await announce({ heat_pump: HEAT_PUMP, meter: null });
    const child = spawn(process.execPath, [BUILDER], {
      cwd: dataDir,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        LOCAL_SOURCE: history,
        REPORT_TZ: "Europe/Berlin",
        SITE_INTERVAL: "300",
        MQTT_URL: broker.url,
        HOME_ID: "test-home",
      },
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    closers.push(async () => void (child.exitCode === null && child.kill("SIGKILL")));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    await watch.waitFor((m) => m.topic === state("season_spf"), `the figures (builder output: ${out})`, {
      timeoutMs: 90_000,
    });
    await watch.waitFor((m) => m.topic === cfg("sensor", "today_electricity"), "the discovery");
    // Today (the real one) is past the history's end: its figures are unknown, never 0.
    expect(watch.latest(state("today_electricity"))).toBe("None");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(watch.latest("heatpump/test-home/builder/availability")).toBe("offline");
    expect(out).toMatch(/builder: built /);
    expect(out).toMatch(/builder\/mqtt: connected to the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+ as /);
  }, 120_000);
});

describe("MQTT_PASSWORD", () => {
  it("is one of the builder's secrets: never in a log line, never on a page", () => {
    const names = collectSecrets({ MQTT_PASSWORD: "mqtt-builder-pw" }, dataDir).map((x) => x.name);
    expect(names).toEqual(["MQTT_PASSWORD"]);
  });
});
