import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HEATPUMP_MESSAGE_FIELDS, MEASUREMENT } from "../../../../core/src/data/catalogue.ts";
import { encodePoint, parseLine } from "../../../../core/src/data/line-protocol.ts";
import { messageFields } from "../../../src/sources/viessmann/messages.ts";
import { indexFeatures, parseFeaturesBody, toPoints } from "../../../src/sources/viessmann/parse.ts";
import type { Feature, FeaturesResponse } from "../../../src/sources/viessmann/types.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/viessmann");
const load = (name: string): FeaturesResponse =>
  parseFeaturesBody(JSON.parse(readFileSync(join(FIXTURES, name), "utf8")));
const fields = (r: FeaturesResponse) => messageFields(indexFeatures(r));
const T = Date.parse("2026-01-10T12:00:00Z");

describe("the heat pump's messages", () => {
  it("an active error from device.messages.errors.raw becomes its code, priority and the device's time", () => {
    expect(fields(load("deviceerrors-F.1100.json"))).toEqual({
      errors_reported: 1,
      error_count: 1,
      critical_count: 1,
      error_codes: "F.1100",
      errors: "F.1100 (criticalError, since 2000-07-22T20:37:44.000Z)",
      warning_codes: "",
    });
  });

  it("an empty error list is 'no active error', reported", () => {
    for (const file of ["Vitocal151A.json", "Vitocal252.json"])
      expect(fields(load(file))).toEqual({
        errors_reported: 1,
        error_count: 0,
        critical_count: 0,
        error_codes: "",
        errors: "",
        warning_codes: "",
      });
  });

  it("info, status and service lists without an error list: their codes, and errors not reported", () => {
    expect(fields(load("Vitocal250A.json"))).toEqual({
      errors_reported: 0,
      error_count: 0,
      critical_count: 0,
      error_codes: "",
      errors: "",
      warning_codes: "",
      service_codes: "",
      status_codes: "S.134,S.123,S.165,S.120,S.219,S.218,S.217",
      info_codes: "I.114",
    });
  });

  it("no message feature at all gives no point: not reported, never 'no fault'", () => {
    for (const file of [
      "Vitocal200S.json",
      "Vitocal200S_AWB-M-E-AC-201.D10.json",
      "Vitocal333G-with-Vitovent300F.json",
    ]) {
      expect(fields(load(file))).toBeUndefined();
      expect(toPoints(load(file), "d", T).some((p) => p.measurement === MEASUREMENT.heatpumpMessage)).toBe(
        false,
      );
    }
  });

  it("a fault code or an error priority on another list counts; a legacy heating.errors.active too", () => {
    const f = (feature: string, entries: unknown[]): Feature => ({
      feature,
      isEnabled: true,
      properties: { entries: { type: "array", value: entries } },
    });
    const on = (...features: Feature[]) => messageFields(new Map(features.map((x) => [x.feature, x])));
    expect(
      on(
        f("device.messages.status.raw", [
          { errorCode: "S.125", priority: "status" },
          { errorCode: "F.454", priority: "status", timestamp: "2026-01-10T10:00:00.000Z" },
        ]),
        f("device.messages.service.raw", [{ errorCode: "A.11", priority: "warning" }, { errorCode: "P.1" }]),
      ),
    ).toMatchObject({
      errors_reported: 0,
      error_count: 1,
      error_codes: "F.454",
      errors: "F.454 (status, since 2026-01-10T10:00:00.000Z)",
      warning_codes: "A.11",
      service_codes: "A.11,P.1",
      status_codes: "S.125,F.454",
    });
    expect(on(f("heating.errors.active", [{ errorCode: "F.160", priority: "error" }]))).toMatchObject({
      errors_reported: 1,
      error_count: 1,
      critical_count: 0,
      error_codes: "F.160",
    });
    // Entries without a code, or a code with a newline and commas in it, never break the point.
    expect(
      on(f("device.messages.errors.raw", [{ priority: "error" }, { errorCode: "F.1\n2,3" }])),
    ).toMatchObject({
      error_codes: "F.12 3",
    });
  });

  it("is one point of the poll, beside the heat pump's, in line protocol that reads back as written", () => {
    const resp: FeaturesResponse = {
      data: [...load("Vitocal250A.json").data, ...load("deviceerrors-F.1100.json").data],
    };
    const points = toPoints(resp, "7633107093013212-0", T);
    const msg = points.filter((p) => p.measurement === MEASUREMENT.heatpumpMessage);
    expect(msg).toHaveLength(1);
    expect(msg[0]!.tags).toEqual({ device: "7633107093013212-0" });
    expect(msg[0]!.fields).toMatchObject({ errors_reported: 1, error_codes: "F.1100", info_codes: "I.114" });
    for (const k of Object.keys(msg[0]!.fields)) expect(HEATPUMP_MESSAGE_FIELDS).toHaveProperty(k);
    const back = parseLine(encodePoint(msg[0]!))!;
    expect(back.fields).toEqual(msg[0]!.fields);
    expect(back.timeMs).toBe(T);
  });
});
