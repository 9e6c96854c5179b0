import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ELECTRIC_FIELDS } from "../../../../core/src/data/catalogue.ts";
import { parseDeviceInfo, parseStatus } from "../../../src/sources/shelly/parse.ts";
import { thrown } from "../../../../core/test/expected-error.ts";

type Json = Record<string, unknown>;
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../fixtures/shelly/${name}`, import.meta.url), "utf8")) as Json;
const ha = fixture("raw/ha_core_pro_3em_fw1.6.1.json") as { shelly: Json; status: Json };
const aio = fixture("raw/aioshelly_gen2_pro3em_fw1.1.0.json") as { shelly: Json; status: Json };

describe("parseDeviceInfo", () => {
  it("reads the triphase device (shelly_getdeviceinfo_triphase.json, HA fw 1.6.1)", () => {
    expect(parseDeviceInfo(fixture("shelly_getdeviceinfo_triphase.json"))).toEqual({
      id: "shellypro3em-aabbccddeeff",
      model: "SPEM-003CEBEU",
      firmware: "1.6.1",
      profile: "triphase",
      authEnabled: true,
    });
  });

  it("reads a full JSON-RPC frame in monophase (shelly_getdeviceinfo_monophase_frame.json, fw 1.4.4)", () => {
    expect(parseDeviceInfo(fixture("shelly_getdeviceinfo_monophase_frame.json"))).toEqual({
      id: "shellypro3em-c8f09e878a5c",
      model: "SPEM-003CEBEU",
      firmware: "1.4.4",
      profile: "monophase",
      authEnabled: false,
    });
  });

  it("reads the `shelly` part of both raw captures", () => {
    expect(parseDeviceInfo(aio.shelly)).toMatchObject({
      firmware: "1.1.0",
      profile: "triphase",
      authEnabled: false,
    });
    expect(parseDeviceInfo(ha.shelly)).toMatchObject({ firmware: "1.6.1", authEnabled: true });
  });

  it("defaults to triphase without a profile (firmware before 1.1.0) and refuses answers without id", () => {
    expect(parseDeviceInfo({ id: "shellypro3em-x", model: "SPEM-003CEBEU", ver: "1.0.7" }).profile).toBe(
      "triphase",
    );
    const e = thrown(() => parseDeviceInfo({ model: "x" }));
    expect(e.kind).toBe("payload");
    expect(e.message).toMatch(/no device id/);
  });
});

describe("parseStatus, triphase", () => {
  it("HA capture fw 1.6.1 (Shelly.GetStatus): all twelve fields, units as on the device", () => {
    const r = parseStatus(ha.status);
    expect(r.fields).toEqual({
      power_w: 2413.825,
      power_a_w: 2166.2,
      power_b_w: 3.6,
      power_c_w: 244.0,
      voltage_a_v: 227.0,
      voltage_b_v: 230.0,
      voltage_c_v: 230.2,
      current_a_a: 9.592,
      current_b_a: 0.044,
      current_c_a: 1.479,
      energy_wh: 5415414.19,
      energy_ret_wh: 0,
    });
    expect(r.notes).toEqual([]);
    // Only catalogue names leave the parser.
    for (const k of Object.keys(r.fields)) expect(Object.keys(ELECTRIC_FIELDS)).toContain(k);
  });

  it("aioshelly capture fw 1.1.0: returned energy from total_act_ret", () => {
    const r = parseStatus(aio.status);
    expect(r.fields.power_w).toBe(558.965);
    expect(r.fields.energy_wh).toBe(2589773.39);
    expect(r.fields.energy_ret_wh).toBe(1026.61);
    expect(Object.keys(r.fields)).toHaveLength(12);
  });

  it("EM.GetStatus + EMData.GetStatus extracts give the same reading as the full status", () => {
    const r = parseStatus({
      "em:0": fixture("em_getstatus_triphase.json"),
      "emdata:0": fixture("emdata_getstatus_triphase.json"),
    });
    expect(r.fields).toEqual(parseStatus(ha.status).fields);
  });

  it("compact real-device EM body (stray space, 0.100 formatting) without emdata: energy omitted, not zero", () => {
    const r = parseStatus({ "em:0": fixture("em_getstatus_triphase_realdevice_compact.json") });
    expect(r.fields).toMatchObject({ power_w: 38.49, current_c_a: 0.1, voltage_b_v: 223.4 });
    expect(r.fields).not.toHaveProperty("energy_wh");
    expect(r.fields).not.toHaveProperty("energy_ret_wh");
    expect(r.notes.join()).toMatch(/no emdata:0/);
  });

  it(
    "phase_sequence is a warning, a missing key is omitted, negative power is kept " +
      "(em_getstatus_triphase_with_errors.json)",
    () => {
      const r = parseStatus({
        "em:0": fixture("em_getstatus_triphase_with_errors.json"),
        "emdata:0": fixture("emdata_getstatus_triphase.json"),
      });
      expect(r.fields.power_b_w).toBe(-951.1);
      // The capture spells `c_active_power`: no c_act_power, so no power_c_w (never a zero).
      expect(r.fields).not.toHaveProperty("power_c_w");
      expect(r.fields.power_w).toBe(2484.782);
      expect(r.notes.join()).toMatch(/phase_sequence/);
    },
  );

  it("nulls are omitted, never zero", () => {
    const em = { ...fixture("em_getstatus_triphase.json"), a_voltage: null, total_act_power: null };
    const r = parseStatus({
      "em:0": em,
      "emdata:0": { ...fixture("emdata_getstatus_triphase.json"), total_act: null },
    });
    expect(r.fields).not.toHaveProperty("voltage_a_v");
    expect(r.fields).not.toHaveProperty("power_w");
    expect(r.fields).not.toHaveProperty("energy_wh");
    expect(r.fields.power_a_w).toBe(2166.2);
  });

  it.each([
    ["power_meter_failure", /power-cycle/],
    ["ct_type_not_set", /CT type/],
  ])("em:0 errors [%s] fail the poll with a payload error", (err, hint) => {
    const e = thrown(() =>
      parseStatus({ "em:0": { ...fixture("em_getstatus_triphase.json"), errors: [err] }, "emdata:0": {} }),
    );
    expect(e.kind).toBe("payload");
    expect(e.message).toContain(`em:0 reports errors [${err}]`);
    expect(e.message).toMatch(hint);
  });

  it("emdata:0 errors [database_error] fail the poll", () => {
    const e = thrown(() =>
      parseStatus({
        "em:0": fixture("em_getstatus_triphase.json"),
        "emdata:0": { ...fixture("emdata_getstatus_triphase.json"), errors: ["database_error"] },
      }),
    );
    expect(e.kind).toBe("payload");
    expect(e.message).toMatch(/emdata:0 reports errors \[database_error\].*energy database/);
  });

  it("a_errors out_of_range omits only that phase's affected fields (active power also drops power_w)", () => {
    const em = {
      ...fixture("em_getstatus_triphase.json"),
      a_errors: ["out_of_range:voltage"],
      b_errors: ["out_of_range:active_power", "out_of_range:current"],
      n_errors: ["out_of_range:current"],
    };
    const r = parseStatus({ "em:0": em, "emdata:0": fixture("emdata_getstatus_triphase.json") });
    expect(r.fields).not.toHaveProperty("voltage_a_v");
    expect(r.fields).not.toHaveProperty("power_b_w");
    expect(r.fields).not.toHaveProperty("current_b_a");
    expect(r.fields).not.toHaveProperty("power_w");
    expect(r.fields).toMatchObject({
      power_a_w: 2166.2,
      current_a_a: 9.592,
      voltage_b_v: 230,
      energy_wh: 5415414.19,
    });
    expect(r.notes).toEqual(["phase A out of range: voltage", "phase B out of range: active_power, current"]);
  });
});

describe("parseStatus, monophase", () => {
  const subset = fixture("shelly_getstatus_monophase_subset.json");

  it("Pro 3EM-3CT63 fw 1.6.0 (shelly_getstatus_monophase_subset.json): phases from em1:0..2, sums of three", () => {
    const r = parseStatus(subset);
    expect(r.fields).toEqual({
      power_a_w: 0,
      power_b_w: 364.8,
      power_c_w: 0,
      voltage_a_v: 226.3,
      voltage_b_v: 226.3,
      voltage_c_v: 225.9,
      current_a_a: 0.149,
      current_b_a: 2.016,
      current_c_a: 0.1,
      power_w: 364.8,
      energy_wh: 324.68, // 20.07 + 293.56 + 11.05, float noise rounded away
      energy_ret_wh: 0.31,
    });
    expect(r.notes).toEqual([]);
  });

  it("EM1Data extract (em1data_getstatus_monophase.json) is channel 2 of the subset", () => {
    const r = parseStatus({ ...subset, "em1data:2": fixture("em1data_getstatus_monophase.json") });
    expect(r.fields.energy_ret_wh).toBe(0.31);
  });

  it("a single EM1 channel (em1_getstatus_monophase.json, fw 1.3.3): phase A only, no partial sums", () => {
    const r = parseStatus({ "em1:0": fixture("em1_getstatus_monophase.json") });
    expect(r.fields).toEqual({ power_a_w: 795.6, voltage_a_v: 236.6, current_a_a: 4.452 });
    expect(r.notes).toContain("no em1:1 in Shelly.GetStatus");
  });

  it("a missing em1data counter drops the energy sum instead of writing a smaller one", () => {
    const { "em1data:1": _drop, ...rest } = subset;
    const r = parseStatus(rest);
    expect(r.fields).not.toHaveProperty("energy_wh");
    expect(r.fields.power_w).toBe(364.8);
  });

  it("em1:N out_of_range is tolerated per phase; other em1/em1data errors fail", () => {
    const r = parseStatus({
      ...subset,
      "em1:1": { ...(subset["em1:1"] as Json), errors: ["out_of_range:act_power"] },
    });
    expect(r.fields).not.toHaveProperty("power_b_w");
    expect(r.fields).not.toHaveProperty("power_w");
    expect(r.fields.voltage_b_v).toBe(226.3);
    expect(r.notes).toEqual(["em1:1 (phase B) out of range: act_power"]);

    const e1 = thrown(() =>
      parseStatus({ ...subset, "em1:2": { ...(subset["em1:2"] as Json), errors: ["power_meter_failure"] } }),
    );
    expect(e1.message).toContain("em1:2 reports errors [power_meter_failure]");
    const e2 = thrown(() =>
      parseStatus({
        ...subset,
        "em1data:0": { ...(subset["em1data:0"] as Json), errors: ["ct_type_not_set"] },
      }),
    );
    expect(e2.message).toContain("em1data:0 reports errors [ct_type_not_set]");
  });
});

describe("parseStatus, unusable answers", () => {
  it.each([
    ["not an object", [1, 2]],
    ["no em component", { sys: {} }],
  ])("%s -> payload error", (_name, raw) => {
    expect(thrown(() => parseStatus(raw)).kind).toBe("payload");
  });

  it("an em:0 whose every value is null is a payload error, not an empty point", () => {
    const e = thrown(() => parseStatus({ "em:0": { a_voltage: null }, "emdata:0": { total_act: null } }));
    expect(e.message).toMatch(/no usable value/);
  });
});
