import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HEATPUMP_FIELDS, MEASUREMENT } from "../../../src/catalogue.ts";
import { encodePoint } from "../../../src/store/line-protocol.ts";
import {
  type HeatpumpReading,
  featureFields,
  mapHeatpump,
  parseFeaturesBody,
  toPoints,
} from "../../../src/sources/viessmann/parse.ts";
import type { Feature, FeaturesResponse } from "../../../src/sources/viessmann/types.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/viessmann");
const load = (name: string): FeaturesResponse =>
  parseFeaturesBody(JSON.parse(readFileSync(join(FIXTURES, name), "utf8")));

/**
 * Every canonical value each dump carries, read by hand from the JSON (see SOURCES.md for the
 * devices). A field missing here must be absent from the mapping: the test checks equality of
 * the whole object, so an extra field (a zero where the device reports nothing) fails too.
 */
const EXPECTED: Record<string, HeatpumpReading> = {
  // E3, 2023 firmware: DHW only under the deprecated hotWaterStorage name; no heat counters.
  "Vitocal151A.json": {
    outside_c: 20.5,
    flow_c: 37.6,
    return_c: 34.3,
    dhw_c: 52.1,
    flow_lph: 0,
    compressor_on: 0,
    compressor_starts: 8,
    compressor_hours: 5,
    elec_heating_day_kwh: 0,
    elec_dhw_day_kwh: 0.8,
    curve_slope: 0.7,
    curve_shift: -6,
  },
  // Legacy Vitotronic, 2021 format (extra `unit` properties, `components`).
  "Vitocal200S.json": {
    outside_c: 13.5,
    flow_c: 26.1,
    return_c: 27.9,
    dhw_c: 53.9,
    compressor_on: 0,
    compressor_starts: 21574,
    compressor_hours: 4742.2,
    curve_slope: 0.4,
    curve_shift: -2,
  },
  // Legacy, 2025 firmware: both DHW sensor features disabled -> no dhw_c.
  "Vitocal200S_AWB-M-E-AC-201.D10.json": {
    outside_c: 14.1,
    flow_c: 29.4,
    return_c: 28.9,
    compressor_on: 0,
    compressor_starts: 30,
    compressor_hours: 12.1,
    curve_slope: 1.1,
    curve_shift: -1,
  },
  // E3 split: inverter power sensor notConnected -> no inverter_w; day consumptions really 0.
  "Vitocal222S.json": {
    outside_c: 12.1,
    flow_c: 26.6,
    return_c: 25.1,
    dhw_c: 50.9,
    flow_lph: 1820,
    compressor_on: 1,
    compressor_starts: 2651,
    compressor_hours: 96,
    heat_heating_day_kwh: 13.1,
    heat_dhw_day_kwh: 6.8,
    elec_heating_day_kwh: 0,
    elec_dhw_day_kwh: 0,
    dhw_active: 0,
    defrosting: 0,
    spf_total: 4.5,
    curve_slope: 0.3,
    curve_shift: -1,
  },
  // E3 monobloc, compressor idle; valve in `climatCircuitTwoDefrost` (not DHW).
  "Vitocal250A.json": {
    outside_c: 12.2,
    flow_c: 32.9,
    return_c: 34.2,
    dhw_c: 46.8,
    flow_lph: 0,
    compressor_on: 0,
    compressor_starts: 1502,
    compressor_hours: 8118,
    inverter_w: 0,
    heat_heating_day_kwh: 22.8,
    heat_dhw_day_kwh: 9.6,
    elec_heating_day_kwh: 4.6,
    elec_dhw_day_kwh: 2.6,
    dhw_active: 0,
    defrosting: 0,
    spf_total: 3.9,
    curve_slope: 0.6,
    curve_shift: 4,
  },
  // E3, 2024 firmware: consumption counters but no heat production, no spf, no valve.
  "Vitocal252.json": {
    outside_c: 22.4,
    flow_c: 26.6,
    return_c: 29.4,
    dhw_c: 46.7,
    flow_lph: 0,
    compressor_on: 0,
    compressor_starts: 1068,
    compressor_hours: 1699,
    elec_heating_day_kwh: 0,
    elec_dhw_day_kwh: 0,
    curve_slope: 1.1,
    curve_shift: 0,
  },
  // E3 monobloc, compressor running, valve in DHW position.
  "Vitocal252A.json": {
    outside_c: 3.3,
    flow_c: 43.2,
    return_c: 39.3,
    dhw_c: 35.6,
    flow_lph: 970,
    compressor_on: 1,
    compressor_starts: 836,
    compressor_hours: 582,
    inverter_w: 1508,
    heat_heating_day_kwh: 44.8,
    heat_dhw_day_kwh: 7.9,
    elec_heating_day_kwh: 10.7,
    elec_dhw_day_kwh: 2.3,
    dhw_active: 1,
    defrosting: 0,
    spf_total: 6,
    curve_slope: 0.6,
    curve_shift: 0,
  },
  // Legacy brine/water unit: temperatures and compressor statistics only.
  "Vitocal333G-with-Vitovent300F.json": {
    outside_c: 6.1,
    flow_c: 35.2,
    return_c: 33.2,
    dhw_c: 45.1,
    compressor_on: 0,
    compressor_starts: 5067,
    compressor_hours: 2394.4,
    curve_slope: 0.2,
    curve_shift: 0,
  },
};

const feature = (name: string, properties: Feature["properties"], isEnabled = true): Feature => ({
  feature: name,
  isEnabled,
  properties,
});

describe("mapHeatpump on every fixture dump", () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: every canonical value the dump carries, nothing else`, () => {
      expect(mapHeatpump(load(file))).toEqual(expected);
    });
  }

  it("only writes catalogue fields", () => {
    for (const file of Object.keys(EXPECTED))
      for (const k of Object.keys(mapHeatpump(load(file)))) expect(HEATPUMP_FIELDS).toHaveProperty(k);
  });
});

describe("fall-backs and absences", () => {
  it("reads deprecated and array fall-backs when the newest name is missing", () => {
    const resp: FeaturesResponse = {
      data: [
        feature("heating.secondaryCircuit.sensors.temperature.return", {
          value: { type: "number", value: 27.1 },
        }),
        feature("heating.scop.total", { value: { type: "number", value: 3.7 } }),
        feature("heating.heat.production.heating", { day: { type: "array", value: [12.5, 30.1] } }),
        feature("heating.power.consumption.dhw", { day: { type: "array", value: [1.25, 2] } }),
      ],
    };
    expect(mapHeatpump(resp)).toEqual({
      return_c: 27.1,
      spf_total: 3.7,
      heat_heating_day_kwh: 12.5,
      elec_dhw_day_kwh: 1.25,
    });
  });

  it("prefers the newest name when both are present", () => {
    const resp: FeaturesResponse = {
      data: [
        feature("heating.dhw.sensors.temperature.hotWaterStorage", { value: { type: "number", value: 40 } }),
        feature("heating.dhw.sensors.temperature.dhwCylinder", { value: { type: "number", value: 41 } }),
      ],
    };
    expect(mapHeatpump(resp)).toEqual({ dhw_c: 41 });
  });

  it("a notConnected sensor falls through to the next name, a disabled one is absent", () => {
    const resp: FeaturesResponse = {
      data: [
        feature("heating.dhw.sensors.temperature.dhwCylinder", {
          status: { type: "string", value: "notConnected" },
        }),
        feature("heating.dhw.sensors.temperature.hotWaterStorage", {
          status: { type: "string", value: "connected" },
          value: { type: "number", value: 48.5 },
        }),
        feature("heating.sensors.temperature.outside", { value: { type: "number", value: 5 } }, false),
        feature("heating.inverters.0.sensors.power.output", {
          status: { type: "string", value: "notConnected" },
          value: { type: "number", value: 0 },
        }),
      ],
    };
    const hp = mapHeatpump(resp);
    expect(hp).toEqual({ dhw_c: 48.5 });
    expect(hp).not.toHaveProperty("outside_c");
    expect(hp).not.toHaveProperty("inverter_w");
  });

  it("rejects a body without a data array as a payload error", () => {
    expect(() => parseFeaturesBody({ error: "x" })).toThrow(/no `data` array/);
    expect(() => parseFeaturesBody("<html>")).toThrow(expect.objectContaining({ kind: "payload" }));
  });
});

describe("raw viessmann_feature points", () => {
  const T = Date.UTC(2025, 9, 5, 12, 0, 0);

  it("one point per enabled feature with numeric or boolean properties, stamped with the poll time", () => {
    const resp = load("Vitocal250A.json");
    const points = toPoints(resp, "7633107093013212-0", T);
    const hp = points.filter((p) => p.measurement === MEASUREMENT.heatpump);
    expect(hp).toHaveLength(1);
    expect(hp[0]!.fields).toEqual(EXPECTED["Vitocal250A.json"]);
    const raw = points.filter((p) => p.measurement === MEASUREMENT.viessmannFeature);
    const withNumbers = resp.data.filter((f) => f.isEnabled && Object.keys(featureFields(f)).length > 0);
    expect(raw).toHaveLength(withNumbers.length);
    expect(raw.length).toBeGreaterThan(100);
    for (const p of points) {
      expect(p.timeMs).toBe(T);
      expect(p.tags.device).toBe("7633107093013212-0");
      expect(() => encodePoint(p)).not.toThrow();
    }
    const byFeature = new Map(raw.map((p) => [p.tags.feature, p.fields]));
    expect(byFeature.get("heating.sensors.temperature.outside")).toEqual({ value: 12.2 });
    expect(byFeature.get("heating.compressors.0")).toEqual({ active: 0 });
    expect(byFeature.get("heating.compressors.0.statistics")).toEqual({ hours: 8118, starts: 1502 });
    expect(byFeature.get("heating.power.consumption.heating")?.["day.0"]).toBe(4.6);
    // Disabled features (empty properties) write nothing.
    expect(byFeature.has("heating.power.consumption.cooling")).toBe(false);
  });

  it("a notConnected sensor writes no raw value either", () => {
    const raw = toPoints(load("Vitocal222S.json"), "d", T).filter(
      (p) => p.tags.feature === "heating.inverters.0.sensors.power.output",
    );
    expect(raw).toEqual([]);
  });

  it("every dump encodes as line protocol", () => {
    for (const file of Object.keys(EXPECTED)) {
      const points = toPoints(load(file), "d", T);
      expect(points.length).toBeGreaterThan(20);
      for (const p of points) encodePoint(p);
    }
  });
});
