import { describe, expect, it } from "vitest";
import { createLogger } from "../../../core/src/effects.ts";
import { ConfigError } from "../../../core/src/env.ts";
import { loadConfig } from "../../src/config.ts";

const base = { SHELLY_URL: "http://192.168.1.50" };

describe("collector configuration: MQTT", () => {
  it("is off without MQTT_URL; STARTING_POWER_W defaults to 100 W as in the reports", () => {
    const c = loadConfig(base, "/tmp");
    expect(c.mqtt).toBeUndefined();
    expect(c.startingPowerW).toBe(100);
  });

  it("takes the MQTT settings, and MQTT_PASSWORD is a secret the logger blanks", () => {
    const c = loadConfig(
      {
        ...base,
        MQTT_URL: "mqtt://broker:1883",
        MQTT_USERNAME: "hp",
        MQTT_PASSWORD: "mqtt-pass-123",
        STARTING_POWER_W: "80",
      },
      "/tmp",
    );
    expect(c.mqtt).toMatchObject({
      url: "mqtt://broker:1883",
      username: "hp",
      homeId: "home",
      baseTopic: "heatpump",
    });
    expect(c.startingPowerW).toBe(80);
    expect(c.secrets).toContain("mqtt-pass-123");
    const lines: string[] = [];
    const logger = createLogger({ secrets: c.secrets, write: (_l, line) => lines.push(line) });
    logger.error("broker said: bad password mqtt-pass-123");
    expect(lines[0]).toMatch(/broker said: bad password \*\*\*$/);
  });

  it("a bad MQTT variable stops start-up naming it", () => {
    expect(() => loadConfig({ ...base, MQTT_URL: "tcp://broker" }, "/tmp")).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, MQTT_URL: "tcp://broker" }, "/tmp")).toThrow(
      /MQTT_URL: must be mqtt:\/\//,
    );
  });
});
