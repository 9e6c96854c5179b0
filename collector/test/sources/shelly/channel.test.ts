/**
 * One channel of a device: the Pro EM's em1:0/em1:1, a 1PM's switch:0, a Pro 3EM read whole or by
 * one component, from real answers (fixtures/shelly/SOURCES.md); and what is read when no channel is
 * configured, with the messages for a channel the device does not have.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deviceApp, parseLayout, resolveLayout } from "../../../src/sources/shelly/channel.ts";
import { parseStatus } from "../../../src/sources/shelly/parse.ts";
import { thrown } from "../../../../core/test/expected-error.ts";

type Json = Record<string, unknown>;
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../fixtures/shelly/${name}`, import.meta.url), "utf8")) as Json;
const proEm = fixture("proem_getstatus_fw1.1.json");
const proEmInfo = fixture("proem_getdeviceinfo_fw1.4.4.json");
const plus1pm = fixture("raw/aioshelly_gen2_plus1pm_fw1.1.0.json") as { shelly: Json; status: Json };
const ha = fixture("raw/ha_core_pro_3em_fw1.6.1.json") as { shelly: Json; status: Json };
const mono = fixture("shelly_getstatus_monophase_subset.json");
const WHO = "dev (App)";

describe("the Pro EM (evcc #12252, fw 1.1): two channels, one meter each", () => {
  it("reads its app from Shelly.GetDeviceInfo (evcc #20060, fw 1.4.4)", () => {
    expect(deviceApp(proEmInfo)).toBe("ProEM");
    expect(deviceApp({ result: proEmInfo })).toBe("ProEM");
    expect(deviceApp(fixture("shelly_getdeviceinfo_monophase_frame.json"))).toBe("Pro3EM");
  });

  it("em1:1 = em1:1 + em1data:1, voltage and current in the _a_ fields", () => {
    const layout = resolveLayout(proEm, "ProEM", { component: "em1", id: 1 }, WHO);
    expect(layout).toEqual({ component: "em1", id: 1 });
    expect(parseLayout(proEm, layout)).toEqual({
      fields: {
        power_w: 6769.3,
        voltage_a_v: 221.4,
        current_a_a: 30.665,
        energy_wh: 9671.54,
        energy_ret_wh: 2595.26,
      },
      notes: [],
    });
  });

  it("em1:0, an idle channel: zeros are readings (0 W, 0 Wh), not gaps", () => {
    expect(parseLayout(proEm, { component: "em1", id: 0 }).fields).toEqual({
      power_w: 0,
      voltage_a_v: 221.3,
      current_a_a: 0.02,
      energy_wh: 0,
      energy_ret_wh: 0,
    });
  });

  it("without a channel it asks which: the relay switch:0 has no apower and is no meter", () => {
    const e = thrown(() => resolveLayout(proEm, "ProEM", undefined, WHO));
    expect(e.kind).toBe("payload");
    expect(e.message).toBe(
      "dev (App) has several metered channels (em1:0, em1:1); " +
        "name the one of this meter after its URL in SHELLY_METERS, e.g. #em1:1",
    );
  });

  it("a channel it does not have, or one that meters nothing, is named with the ones it has", () => {
    expect(thrown(() => resolveLayout(proEm, "ProEM", { component: "em1", id: 2 }, WHO)).message).toBe(
      "dev (App): there is no em1:2 on this device, it has em1:0, em1:1; " +
        "name one of them after the URL in SHELLY_METERS, e.g. #em1:0",
    );
    expect(thrown(() => resolveLayout(proEm, "ProEM", { component: "switch", id: 0 }, WHO)).message).toMatch(
      /^dev \(App\): switch:0 meters nothing \(no apower\) on this device, it has em1:0, em1:1;/,
    );
  });

  it("a channel whose counters are missing keeps its power and says so", () => {
    const { "em1data:1": _gone, ...rest } = proEm;
    const r = parseLayout(rest, { component: "em1", id: 1 });
    expect(r.fields).toEqual({ power_w: 6769.3, voltage_a_v: 221.4, current_a_a: 30.665 });
    expect(r.notes).toEqual(["no em1data:1 in Shelly.GetStatus: energy counters omitted"]);
  });

  it("an error of the channel fails the poll, out of range leaves the field out", () => {
    const failing = { ...proEm, "em1:1": { ...(proEm["em1:1"] as Json), errors: ["power_meter_failure"] } };
    expect(thrown(() => parseLayout(failing, { component: "em1", id: 1 })).message).toMatch(
      /^em1:1 reports errors \[power_meter_failure\]/,
    );
    const range = { ...proEm, "em1:1": { ...(proEm["em1:1"] as Json), errors: ["out_of_range:act_power"] } };
    const r = parseLayout(range, { component: "em1", id: 1 });
    expect(r.fields.power_w).toBeUndefined();
    expect(r.fields.energy_wh).toBe(9671.54);
    expect(r.notes).toEqual(["em1:1 out of range: act_power"]);
  });
});

describe("the Plus 1PM (aioshelly, fw 1.1.0): switch:0", () => {
  it("its only metered channel is read without a channel configured", () => {
    const app = deviceApp(plus1pm.shelly);
    expect(app).toBe("Plus1PM");
    const layout = resolveLayout(plus1pm.status, app, undefined, WHO);
    expect(layout).toEqual({ component: "switch", id: 0 });
    // No ret_aenergy on this firmware: energy_wh is aenergy.total as it is, no energy_ret_wh.
    expect(parseLayout(plus1pm.status, layout)).toEqual({
      fields: { power_w: 0, voltage_a_v: 232.8, current_a_a: 0, energy_wh: 110.046 },
      notes: [],
    });
  });

  it("with ret_aenergy: imported = aenergy - ret_aenergy (aenergy counts both directions)", () => {
    const status = { "switch:0": fixture("switch_getstatus_ret_aenergy.json") };
    // 15234.567 Wh both ways - 1.234 Wh returned = 15233.333 Wh imported.
    expect(parseLayout(status, { component: "switch", id: 0 }).fields).toEqual({
      power_w: 2987.4,
      voltage_a_v: 229.6,
      current_a_a: 13.02,
      energy_wh: 15233.333,
      energy_ret_wh: 1.234,
    });
  });

  it("a protection (overpower) is a note: the readings are kept", () => {
    const sw = { ...(plus1pm.status["switch:0"] as Json), errors: ["overpower"] };
    const r = parseLayout({ "switch:0": sw }, { component: "switch", id: 0 });
    expect(r.fields.energy_wh).toBe(110.046);
    expect(r.notes).toEqual(["switch:0 reports overpower (the output is protected off)"]);
  });

  it("a switch without power metering (a Plus 1) is no meter", () => {
    const e = thrown(() => resolveLayout({ "switch:0": { id: 0, output: false } }, "Plus1", undefined, WHO));
    expect(e.message).toBe(
      "dev (App) has no metering component (em:0, em1:<id>, switch:<id> with power): is it a Shelly meter?",
    );
  });
});

describe("the Pro 3EM", () => {
  it("without a channel: read whole, triphase and monophase, as before roles", () => {
    expect(resolveLayout(ha.status, "Pro3EM", undefined, WHO)).toBe("whole");
    expect(resolveLayout(mono, "Pro3EM", undefined, WHO)).toBe("whole");
    // No app (firmware before it was reported): a Pro 3EM, as the collector always assumed.
    expect(resolveLayout(mono, undefined, undefined, WHO)).toBe("whole");
    expect(parseLayout(ha.status, "whole")).toEqual(parseStatus(ha.status));
  });

  it("#em:0 reads the triphase meter like the whole device", () => {
    const layout = resolveLayout(ha.status, "Pro3EM", { component: "em", id: 0 }, WHO);
    expect(parseLayout(ha.status, layout)).toEqual(parseStatus(ha.status));
  });

  it("#em1:2 of the monophase profile reads that channel alone", () => {
    expect(parseLayout(mono, { component: "em1", id: 2 }).fields).toEqual({
      power_w: 0,
      voltage_a_v: 225.9,
      current_a_a: 0.1,
      energy_wh: 11.05,
      energy_ret_wh: 0.31,
    });
  });

  it("a channel that went away (the profile changed) is a payload error naming it", () => {
    expect(thrown(() => parseLayout(ha.status, { component: "em1", id: 2 })).message).toBe(
      "Shelly.GetStatus has no em1:2 any more: was the device's profile changed?",
    );
  });
});
