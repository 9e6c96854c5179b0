import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HEATPUMP_FIELDS, MEASUREMENT } from "../../../../core/src/data/catalogue.ts";
import { encodePoint } from "../../../../core/src/data/line-protocol.ts";
import { EXPECTED } from "../../fixtures/viessmann/expected-readings.ts";
import {
  featureFields,
  mapHeatpump,
  parseFeaturesBody,
  toPoints,
} from "../../../src/sources/viessmann/parse.ts";
import type { Feature, FeaturesResponse } from "../../../src/sources/viessmann/types.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/viessmann");
const load = (name: string): FeaturesResponse =>
  parseFeaturesBody(JSON.parse(readFileSync(join(FIXTURES, name), "utf8")));

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

describe("cooling_active: the active program's demand, else the mode", () => {
  /** A real dump with circuit 0's active program and mode set as given (the program features are the dump's). */
  const withState = (file: string, program: string, mode: string): FeaturesResponse => {
    const values = new Map([
      ["heating.circuits.0.operating.programs.active", program],
      ["heating.circuits.0.operating.modes.active", mode],
    ]);
    const data = load(file).data.map((f) => {
      const value = values.get(f.feature);
      return value === undefined ? f : { ...f, properties: { value: { type: "string", value } } };
    });
    return { data };
  };

  it.each([
    // 151-A: programs.normalCooling has demand `cooling` -> 1, whatever the mixed mode says.
    ["Vitocal151A.json", "normalCooling", "heatingCooling", 1],
    // 250-A: comfortCoolingEnergySaving, demand `cooling` (reason summerEco) -> 1.
    ["Vitocal250A.json", "comfortCoolingEnergySaving", "heatingCooling", 1],
    // normalHeating, demand `heating` -> 0 in the mixed mode too.
    ["Vitocal250A.json", "normalHeating", "heatingCooling", 0],
    // summerEco has no demand: the mode decides; `cooling` -> 1, `standby` -> 0.
    ["Vitocal250A.json", "summerEco", "cooling", 1],
    ["Vitocal151A.json", "standby", "standby", 0],
    // Legacy `normal` has demand `unknown`: mode dhwAndHeating cannot cool -> 0.
    ["Vitocal333G-with-Vitovent300F.json", "normal", "dhwAndHeating", 0],
  ])("%s, program %s, mode %s -> %i", (file, program, mode, expected) => {
    expect(mapHeatpump(withState(file, program, mode)).cooling_active).toBe(expected);
  });

  it.each([
    // No demand and a mixed mode: nothing says which way the circuit works.
    ["Vitocal151A.json", "standby", "heatingCooling"],
    ["Vitocal333G-with-Vitovent300F.json", "normal", "dhwAndHeatingCooling"],
    // A program without a feature of its own, and a mode the map does not know.
    ["Vitocal250A.json", "noSuchProgram", "forcedNormal"],
  ])("%s, program %s, mode %s -> absent", (file, program, mode) => {
    expect(mapHeatpump(withState(file, program, mode))).not.toHaveProperty("cooling_active");
  });
});
