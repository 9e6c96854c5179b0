import { describe, expect, it } from "vitest";
import { MEASUREMENT } from "../../../core/src/data/catalogue.ts";
import { featuresResponse } from "../../simulator/features.ts";
import { VIESSMANN_IDS } from "../../simulator/ids.ts";
import { Model } from "../../simulator/model.ts";
import { mapHeatpump, parseFeaturesBody, toPoints } from "../../src/sources/viessmann/parse.ts";

interface Prop {
  value: unknown;
}
interface F {
  feature: string;
  isEnabled: boolean;
  properties: Record<string, Prop>;
}

function modelAt(iso: string, days: number): Model {
  const end = Date.parse(iso);
  const m = new Model({ seed: 9, tz: "Europe/Berlin", startMs: end - days * 86_400_000 });
  m.advanceTo(end + 1);
  return m;
}

describe("simulated features response", () => {
  const m = modelAt("2026-02-04T17:30:00Z", 10); // a Wednesday evening
  const body = featuresResponse(m, VIESSMANN_IDS, "http://127.0.0.1:1");
  const features = body.data as F[];
  const get = (name: string) => features.find((f) => f.feature === name)!;

  it("has the shape of a real dump (every key of a Vitocal 250-A feature object)", () => {
    for (const f of body.data) {
      expect(Object.keys(f as object).sort()).toEqual(
        expect.arrayContaining([
          "apiVersion",
          "commands",
          "deviceId",
          "feature",
          "gatewayId",
          "isEnabled",
          "isReady",
          "properties",
          "timestamp",
          "uri",
        ]),
      );
    }
    expect(get("heating.sensors.temperature.outside").properties).toMatchObject({
      status: { type: "string", value: "connected" },
      value: { type: "number", unit: "celsius" },
    });
    expect(
      (get("heating.dhw.sensors.temperature.hotWaterStorage") as unknown as { deprecated: unknown })
        .deprecated,
    ).toBeDefined();
  });

  it(
    "keeps summaries and arrays consistent " +
      "(currentDay = day[0], lastSevenDays = sum of day[0..6], week from Monday)",
    () => {
      const arrays = get("heating.power.consumption.heating").properties as unknown as Record<
        string,
        { value: number[] }
      >;
      const summary = get("heating.power.consumption.summary.heating").properties as unknown as Record<
        string,
        { value: number }
      >;
      const day = arrays.day!.value;
      expect(summary.currentDay!.value).toBeCloseTo(day[0]!, 1);
      expect(summary.lastSevenDays!.value).toBeCloseTo(
        day.slice(0, 7).reduce((a, b) => a + b, 0),
        0,
      );
      // Wednesday: this week = Monday + Tuesday + today.
      expect(arrays.week!.value[0]).toBeCloseTo(day[0]! + day[1]! + day[2]!, 0);
      const total = (
        get("heating.power.consumption.total").properties as unknown as Record<string, { value: number[] }>
      ).day!.value;
      const dhw = (
        get("heating.power.consumption.dhw").properties as unknown as Record<string, { value: number[] }>
      ).day!.value;
      total.forEach((v, i) => expect(v).toBeCloseTo(day[i]! + dhw[i]!, 0));
    },
  );

  it("maps to every canonical field and to raw feature points with the collector's parser", () => {
    const resp = parseFeaturesBody(body);
    const r = mapHeatpump(resp);
    expect(r.flow_c).toBeCloseTo(m.flowC, 0);
    expect(r.dhw_c).toBeCloseTo(m.tankC, 0);
    expect(r.compressor_hours).toBe(Math.floor(m.compressorSeconds / 3600));
    expect(r.dhw_active).toBe(m.mode === "dhw" ? 1 : 0);
    const points = toPoints(resp, "7633100000000001-0", m.t);
    expect(points.some((p) => p.measurement === MEASUREMENT.heatpump)).toBe(true);
    expect(points.filter((p) => p.measurement === MEASUREMENT.viessmannFeature).length).toBeGreaterThan(20);
  });
});

describe("simulated features against the real Vitocal 250-A dump", () => {
  it("uses the real property names, types and units for every feature the dump also has", async () => {
    const { readFile } = await import("node:fs/promises");
    const real = JSON.parse(
      await readFile(new URL("../fixtures/viessmann/Vitocal250A.json", import.meta.url), "utf8"),
    ) as { data: F[] };
    const m = modelAt("2026-01-10T12:00:00Z", 2);
    const sim = featuresResponse(m, VIESSMANN_IDS, "http://127.0.0.1:1").data as F[];
    const byName = new Map(real.data.map((f) => [f.feature, f]));
    let compared = 0;
    for (const f of sim) {
      const r = byName.get(f.feature);
      if (!r || !r.isEnabled || !f.isEnabled) continue;
      const shape = (x: F) =>
        Object.fromEntries(
          Object.entries(x.properties).map(([k, p]) => [
            k,
            { type: (p as { type?: string }).type, unit: (p as { unit?: string }).unit },
          ]),
        );
      expect({ feature: f.feature, ...shape(f) }).toEqual({ feature: r.feature, ...shape(r) });
      compared++;
    }
    expect(compared).toBeGreaterThan(25);
  });
});
