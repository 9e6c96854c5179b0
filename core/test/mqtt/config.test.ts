import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/env.ts";
import { loadMqttConfig, mqttSecrets } from "../../src/mqtt/config.ts";

const problems = (env: Record<string, string>): readonly string[] => {
  try {
    loadMqttConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected a ConfigError");
};

describe("MQTT configuration", () => {
  it("is off without MQTT_URL, whatever else is set", () => {
    expect(loadMqttConfig({ MQTT_USERNAME: "hp", HOME_ID: "bad id" })).toBeUndefined();
  });

  it("has the defaults of the README", () => {
    expect(loadMqttConfig({ MQTT_URL: "mqtt://192.168.1.10:1883" })).toEqual({
      url: "mqtt://192.168.1.10:1883",
      username: undefined,
      password: undefined,
      baseTopic: "heatpump",
      discoveryPrefix: "homeassistant",
      homeId: "home",
    });
  });

  it("takes credentials from the variables, or from the URL, and shows the URL without them", () => {
    const c = loadMqttConfig({
      MQTT_URL: "mqtts://broker.lan",
      MQTT_USERNAME: "heatpump",
      MQTT_PASSWORD: "p@ss",
      MQTT_BASE_TOPIC: "house/hp",
      MQTT_DISCOVERY_PREFIX: "ha",
      HOME_ID: "cottage-2",
    });
    expect(c).toMatchObject({ url: "mqtts://broker.lan", username: "heatpump", password: "p@ss" });
    expect(c).toMatchObject({ baseTopic: "house/hp", discoveryPrefix: "ha", homeId: "cottage-2" });
    const fromUrl = loadMqttConfig({ MQTT_URL: "mqtt://hp:s%3Acret@10.0.0.2:1884" })!;
    expect(fromUrl).toMatchObject({ url: "mqtt://10.0.0.2:1884", username: "hp", password: "s:cret" });
  });

  it("names each bad variable and the fix, never the password", () => {
    expect(problems({ MQTT_URL: "http://user:hunter22@broker:1883", HOME_ID: "my home" })).toEqual([
      "MQTT_URL: must be mqtt://host:port or mqtts://host:port, e.g. MQTT_URL=mqtt://192.168.1.10:1883",
      "HOME_ID: must be 1-64 letters, digits, _ or -, e.g. HOME_ID=home",
    ]);
    expect(problems({ MQTT_URL: "mqtt://b", MQTT_BASE_TOPIC: "heat/#" })).toEqual([
      "MQTT_BASE_TOPIC: must not contain the wildcards + or #, e.g. MQTT_BASE_TOPIC=heatpump",
    ]);
    expect(problems({ MQTT_URL: "mqtt://b", MQTT_DISCOVERY_PREFIX: "homeassistant/" })).toEqual([
      "MQTT_DISCOVERY_PREFIX: must not have empty levels (// or a / at an end), " +
        "e.g. MQTT_DISCOVERY_PREFIX=homeassistant",
    ]);
    expect(problems({ MQTT_URL: "mqtt://b", MQTT_BASE_TOPIC: "$SYS" })).toEqual([
      "MQTT_BASE_TOPIC: must not start with $ (the broker's own topics), e.g. MQTT_BASE_TOPIC=heatpump",
    ]);
    expect(problems({ MQTT_URL: "mqtt://b", MQTT_PASSWORD: "alone" })).toEqual([
      "MQTT_PASSWORD: is set without MQTT_USERNAME; MQTT needs the user name with a password",
    ]);
  });

  it("lists MQTT_PASSWORD and a password in MQTT_URL as secrets", () => {
    expect(mqttSecrets({ MQTT_URL: "mqtt://hp:s%3Acret@b", MQTT_PASSWORD: "other-pw" })).toEqual([
      "other-pw",
      "s%3Acret",
      "s:cret",
    ]);
    expect(mqttSecrets({ MQTT_URL: "mqtt://b" })).toEqual([]);
  });
});
