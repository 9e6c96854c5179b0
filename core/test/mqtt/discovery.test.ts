import { describe, expect, it } from "vitest";
import { loadMqttConfig } from "../../src/mqtt/config.ts";
import { binaryState, discoveryMessage, numberState } from "../../src/mqtt/discovery.ts";

const config = loadMqttConfig({ MQTT_URL: "mqtt://b", HOME_ID: "cottage" })!;
const shelly = {
  serial: "shellypro3em-c8f09e878a5c",
  name: "Shelly Pro 3EM",
  manufacturer: "Shelly",
  model: "SPEM-003CEBEU",
  firmware: "1.4.4",
};

describe("Home Assistant discovery", () => {
  it("an energy sensor carries what the Energy dashboard needs, on the device, with availability", () => {
    const m = discoveryMessage(
      config,
      "collector",
      {
        object: "electricity_imported",
        component: "sensor",
        name: "Electricity imported",
        deviceClass: "energy",
        stateClass: "total_increasing",
        unit: "kWh",
        precision: 2,
      },
      shelly,
    );
    expect(m.topic).toBe(
      "homeassistant/sensor/cottage_shellypro3em-c8f09e878a5c/electricity_imported/config",
    );
    expect(JSON.parse(m.payload)).toEqual({
      name: "Electricity imported",
      unique_id: "cottage_shellypro3em-c8f09e878a5c_electricity_imported",
      state_topic: "heatpump/cottage/electricity_imported",
      device_class: "energy",
      state_class: "total_increasing",
      unit_of_measurement: "kWh",
      suggested_display_precision: 2,
      availability_topic: "heatpump/cottage/collector/availability",
      payload_available: "online",
      payload_not_available: "offline",
      device: {
        identifiers: ["cottage_shellypro3em-c8f09e878a5c"],
        name: "Shelly Pro 3EM",
        manufacturer: "Shelly",
        model: "SPEM-003CEBEU",
        serial_number: "shellypro3em-c8f09e878a5c",
        sw_version: "1.4.4",
      },
      origin: { name: "heatpump-monitor" },
    });
  });

  it("a binary sensor has its payloads and attributes topic; ids keep only [A-Za-z0-9_-]", () => {
    const m = discoveryMessage(
      config,
      "builder",
      {
        object: "alert_x",
        component: "binary_sensor",
        name: "Alert",
        deviceClass: "problem",
        attributes: true,
        stateTopic: "heatpump/cottage/alerts/x",
      },
      { serial: "7633107093013212-0", name: "Heat pump", manufacturer: "Viessmann", model: "E3_Vitocal" },
    );
    expect(m.topic).toBe("homeassistant/binary_sensor/cottage_7633107093013212-0/alert_x/config");
    const p = JSON.parse(m.payload);
    expect(p).toMatchObject({
      state_topic: "heatpump/cottage/alerts/x",
      json_attributes_topic: "heatpump/cottage/alerts/x/attributes",
      payload_on: "ON",
      payload_off: "OFF",
      device_class: "problem",
      availability_topic: "heatpump/cottage/builder/availability",
    });
    expect(p).not.toHaveProperty("unit_of_measurement");
    expect(p).not.toHaveProperty("state_class");
    expect(p.device).not.toHaveProperty("sw_version");
    const odd = discoveryMessage(
      config,
      "collector",
      { object: "p", component: "sensor", name: "P" },
      {
        ...shelly,
        serial: "meter 1/a",
      },
    );
    expect(odd.topic).toBe("homeassistant/sensor/cottage_meter_1_a/p/config");
    expect(JSON.parse(odd.payload).unique_id).toBe("cottage_meter_1_a_p");
  });

  it("states: rounded numbers, ON/OFF, and None (unknown) for a gap, never 0", () => {
    expect(numberState(2413.825, 1)).toBe("2413.8");
    expect(numberState(-0.001, 1)).toBe("0");
    expect(numberState(3.14159, 2)).toBe("3.14");
    expect([null, undefined, Number.NaN, Infinity].map((x) => numberState(x, 1))).toEqual([
      "None",
      "None",
      "None",
      "None",
    ]);
    expect([true, false, null].map(binaryState)).toEqual(["ON", "OFF", "None"]);
  });
});
