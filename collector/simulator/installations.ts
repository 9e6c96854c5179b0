/**
 * The `GET /iot/v2/equipment/installations` body of one installation with one WiFi gateway
 * (TCU300) and an E3 heat pump, in the shape of the real listing
 * (test/fixtures/viessmann/installationsResponse.json). Shared by the simulator and the test fake.
 */
import type { ViessmannIds } from "./ids.ts";

interface InstallationOptions {
  description: string;
  /** The installation's address object (the simulator's carries the time zone). */
  address?: Record<string, unknown>;
  /** Devices listed between the gateway and the heat pump (e.g. a room controller). */
  otherDevices?: readonly { id: string; modelId: string; deviceType: string; roles: string[] }[];
}

export function installationsBody(ids: ViessmannIds, o: InstallationOptions): unknown {
  const device = (d: { id: string; modelId: string; deviceType: string; roles: string[] }) => ({
    gatewaySerial: ids.gatewaySerial,
    id: d.id,
    modelId: d.modelId,
    status: "Online",
    deviceType: d.deviceType,
    roles: d.roles,
  });
  return {
    data: [
      {
        id: Number(ids.installationId),
        description: o.description,
        ...(o.address ? { address: o.address } : {}),
        gateways: [
          {
            serial: ids.gatewaySerial,
            version: "502.2144.33.0",
            aggregatedStatus: "WorksProperly",
            gatewayType: "TCU300",
            installationId: Number(ids.installationId),
            devices: [
              device({
                id: "gateway",
                modelId: "E3_TCU41_x04",
                deviceType: "tcu",
                roles: ["type:gateway;TCU300", "type:E3"],
              }),
              ...(o.otherDevices ?? []).map(device),
              device({
                id: ids.deviceId,
                modelId: "E3_Vitocal_16",
                deviceType: "heating",
                roles: ["type:E3", "type:heatpump", "type:product;CU401B"],
              }),
            ],
          },
        ],
        aggregatedStatus: "WorksProperly",
        installationType: "Residential",
      },
    ],
    cursor: { next: "" },
  };
}
