import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseDevice, isHeatPump } from "../../../src/sources/viessmann/discovery.ts";
import type { InstallationsResponse } from "../../../src/sources/viessmann/types.ts";
import { fakeInstallations } from "../../fakes/viessmann-api.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/viessmann");
const NONE = { installationId: undefined, gatewaySerial: undefined, deviceId: undefined };

describe("discovery: choosing the heat pump", () => {
  it("the real installations listing holds only a gas boiler: no heat pump, a fatal message listing it", () => {
    const resp = JSON.parse(
      readFileSync(join(FIXTURES, "installationsResponse.json"), "utf8"),
    ) as InstallationsResponse;
    expect(() => chooseDevice(resp, NONE)).toThrow(
      expect.objectContaining({
        kind: "payload",
        fatalForSource: true,
        message: expect.stringMatching(/no Viessmann heat pump.*E3_Vitodens_100_0421.*VIESSMANN_DEVICE_ID/),
      }),
    );
    // ...unless the user names the device explicitly.
    expect(chooseDevice(resp, { ...NONE, deviceId: "0" }).chosen).toEqual({
      installationId: "2012616",
      gatewaySerial: "7633107093013212",
      deviceId: "0",
      modelId: "E3_Vitodens_100_0421",
    });
  });

  it("a heat pump by role beats the gateway and room controller", () => {
    const { chosen, others } = chooseDevice(fakeInstallations() as InstallationsResponse, NONE);
    expect(chosen.deviceId).toBe("0");
    expect(others).toHaveLength(2);
  });

  it("recognises legacy heat pumps by model id (the Vitoconnect device list of VitoconnectOpto2.json)", () => {
    const gw = JSON.parse(readFileSync(join(FIXTURES, "VitoconnectOpto2.json"), "utf8")) as {
      data: {
        feature: string;
        properties: { devices?: { value: { id: string; modelId: string; roles: string[] }[] } };
      }[];
    };
    const devices = gw.data.find((f) => f.feature === "gateway.devices")!.properties.devices!.value;
    const pumps = devices.filter((d) => isHeatPump(d)).map((d) => d.modelId);
    expect(pumps).toEqual(["CU401B_S"]);
    expect(isHeatPump({ id: "0", modelId: "E3_Vitocal_16", roles: [] })).toBe(true);
    expect(isHeatPump({ id: "0", modelId: "E3_Vitodens_100_0421", roles: ["type:boiler"] })).toBe(false);
  });

  it("prefers a heat pump behind an online gateway", () => {
    const dev = (id: string) => ({ id, modelId: "E3_Vitocal_16", roles: ["type:heatpump"] });
    const resp: InstallationsResponse = {
      data: [
        {
          id: 1,
          gateways: [
            { serial: "A", aggregatedStatus: "Offline", devices: [dev("0")] },
            { serial: "B", aggregatedStatus: "WorksProperly", devices: [dev("0")] },
          ],
        },
      ],
    };
    expect(chooseDevice(resp, NONE).chosen.gatewaySerial).toBe("B");
    expect(chooseDevice(resp, { ...NONE, gatewaySerial: "A" }).chosen.gatewaySerial).toBe("A");
  });
});
