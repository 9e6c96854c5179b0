/**
 * The error bodies the simulated Viessmann cloud and the fake one send (simulator/viessmann-bodies.ts)
 * against the real ones PyViCare captured (fixtures/viessmann, see SOURCES.md there).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VIESSMANN_IDS } from "../../simulator/ids.ts";
import {
  communicationErrorBody,
  featuresPath,
  rateLimitBody,
  unauthorizedBody,
} from "../../simulator/viessmann-bodies.ts";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/viessmann/${name}`, import.meta.url), "utf8")) as {
    viErrorId: string;
    extendedPayload: Record<string, unknown>;
  };

describe("Viessmann error bodies", () => {
  it("DEVICE_OFFLINE and GATEWAY_OFFLINE are the captured bodies, key for key", () => {
    for (const [file, reason] of [
      ["device_offline.json", "DEVICE_OFFLINE"],
      ["gateway_offline.json", "GATEWAY_OFFLINE"],
    ] as const) {
      const real = fixture(file);
      const ours = communicationErrorBody(reason, real.viErrorId);
      expect(ours).toEqual(real);
      expect(Object.keys(ours)).toEqual(Object.keys(real));
    }
  });

  it("429 is the captured body; limitReset is 4 s past the next UTC midnight", () => {
    const real = fixture("rate_limit.json");
    const nowMs = Date.UTC(2020, 2, 17, 16, 20, 10); // the capture's own day
    const ours = rateLimitBody({
      clientId: "XXXX",
      userId: "XXXX",
      requestCountLimit: 1450,
      nowMs,
      viErrorId: real.viErrorId,
    });
    expect(ours).toEqual({
      ...real,
      extendedPayload: { ...real.extendedPayload, limitReset: Date.UTC(2020, 2, 18, 0, 0, 4) },
    });
    // 23:59:59.999 still belongs to the day; midnight itself starts the next one.
    const at = (iso: string) =>
      rateLimitBody({
        clientId: "c",
        userId: "u",
        requestCountLimit: 1,
        nowMs: Date.parse(iso),
        viErrorId: "v",
      });
    expect(at("2020-03-17T23:59:59.999Z").extendedPayload.limitReset).toBe(Date.UTC(2020, 2, 18, 0, 0, 4));
    expect(at("2020-03-18T00:00:00.000Z").extendedPayload.limitReset).toBe(Date.UTC(2020, 2, 19, 0, 0, 4));
  });

  it("401 carries the `EXPIRED TOKEN` error PyViCare reads (expired_token.json)", () => {
    const real = JSON.parse(
      readFileSync(new URL("../fixtures/viessmann/expired_token.json", import.meta.url), "utf8"),
    ) as Record<string, unknown>;
    expect(unauthorizedBody("req-1")).toMatchObject(real);
    expect(unauthorizedBody("req-1")).toMatchObject({ statusCode: 401, errorType: "UNAUTHORIZED" });
  });

  it("the features path names installation, gateway and device", () => {
    expect(featuresPath(VIESSMANN_IDS)).toBe(
      "/iot/v2/features/installations/4711001/gateways/7633100000000001/devices/0/features",
    );
  });
});
