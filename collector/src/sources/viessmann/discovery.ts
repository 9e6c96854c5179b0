/**
 * Finds the heat pump once: `GET /iot/v2/equipment/installations?includeGateways=true`, picks the
 * device with role `type:heatpump` or a Vitocal model id (PyViCare's rule), and remembers the ids
 * in `DATA_DIR/viessmann-device.json` so later starts cost no call. VIESSMANN_INSTALLATION_ID,
 * VIESSMANN_GATEWAY_SERIAL and VIESSMANN_DEVICE_ID override (all three: no call at all).
 */
import { join } from "node:path";
import type { ViessmannConfig } from "../../config.ts";
import { type Logger, withoutControlChars } from "../../../../core/src/effects.ts";
import { ExpectedError } from "../../../../core/src/errors.ts";
import type { ApiClient } from "./client.ts";
import { readJson, writeJsonAtomic } from "../../../../core/src/durable-file.ts";
import type { DeviceIds, InstallationDevice, InstallationsResponse } from "./types.ts";

const DEVICE_FILE_NAME = "viessmann-device.json";
const INSTALLATIONS_PATH = "/iot/v2/equipment/installations?includeGateways=true";

type Overrides = Pick<ViessmannConfig, "installationId" | "gatewaySerial" | "deviceId">;

const HEAT_PUMP_MODEL = /Vitocal|VBC70|V200WO1A|CU401B/i;

export const isHeatPump = (d: InstallationDevice): boolean =>
  (d.roles ?? []).includes("type:heatpump") || HEAT_PUMP_MODEL.test(d.modelId ?? "");

/** Ids and models come from the server and go into log lines: without control characters. */
const describe = (ids: DeviceIds, extra = "") =>
  withoutControlChars(
    `installation ${ids.installationId}, gateway ${ids.gatewaySerial}, device ${ids.deviceId}` +
      (ids.modelId ? ` (${ids.modelId}${extra})` : ""),
  );

const matches = (ids: DeviceIds, o: Overrides) =>
  (!o.installationId || o.installationId === ids.installationId) &&
  (!o.gatewaySerial || o.gatewaySerial === ids.gatewaySerial) &&
  (!o.deviceId || o.deviceId === ids.deviceId);

/** Pure: the heat pump to poll (online gateways first) and a line for every other device. */
export function chooseDevice(
  resp: InstallationsResponse,
  o: Overrides,
): { chosen: DeviceIds; others: string[] } {
  const all: { ids: DeviceIds; heatPump: boolean; online: boolean; label: string }[] = [];
  for (const inst of resp.data ?? [])
    for (const gw of inst.gateways ?? [])
      for (const d of gw.devices ?? []) {
        const ids: DeviceIds = {
          installationId: String(inst.id),
          gatewaySerial: gw.serial,
          deviceId: d.id,
          ...(d.modelId ? { modelId: d.modelId } : {}),
        };
        const label = describe(ids, d.deviceType ? `, ${d.deviceType}` : "");
        all.push({ ids, heatPump: isHeatPump(d), online: gw.aggregatedStatus !== "Offline", label });
      }
  const candidates = all.filter((c) => matches(c.ids, o) && (c.heatPump || o.deviceId));
  candidates.sort((a, b) => Number(b.online) - Number(a.online));
  const pick = candidates[0];
  if (!pick)
    throw new ExpectedError(
      "payload",
      `no Viessmann heat pump found on this account (devices: ${all.map((c) => c.label).join("; ") || "none"}); ` +
        "set VIESSMANN_INSTALLATION_ID, VIESSMANN_GATEWAY_SERIAL and VIESSMANN_DEVICE_ID to choose one",
      { fatalForSource: true },
    );
  return { chosen: pick.ids, others: all.filter((c) => c !== pick).map((c) => c.label) };
}

export async function discover(opts: {
  config: Overrides;
  dataDir: string;
  client: ApiClient;
  logger: Logger;
}): Promise<DeviceIds> {
  const { config: o, dataDir, client, logger } = opts;
  if (o.installationId && o.gatewaySerial && o.deviceId) {
    const ids = { installationId: o.installationId, gatewaySerial: o.gatewaySerial, deviceId: o.deviceId };
    logger.info(`using ${describe(ids)} from VIESSMANN_INSTALLATION_ID/GATEWAY_SERIAL/DEVICE_ID`);
    return ids;
  }
  const path = join(dataDir, DEVICE_FILE_NAME);
  let saved: DeviceIds | undefined;
  try {
    saved = readJson(path) as DeviceIds | undefined;
  } catch {
    saved = undefined; // damaged: discover again
  }
  if (saved && typeof saved.deviceId === "string" && matches(saved, o)) {
    logger.info(`using ${describe(saved)} remembered in ${path}`);
    return saved;
  }
  const resp = (await client.getJson(INSTALLATIONS_PATH)) as InstallationsResponse;
  if (typeof resp !== "object" || resp === null || !Array.isArray(resp.data))
    throw new ExpectedError("payload", "the Viessmann installations answer has no `data` array");
  const { chosen, others } = chooseDevice(resp, o);
  writeJsonAtomic(path, chosen, { pretty: true });
  logger.info(`chose heat pump ${describe(chosen)}; remembered in ${path}`);
  logger.info(
    others.length ? `other devices on the account: ${others.join("; ")}` : "no other devices on the account",
  );
  return chosen;
}
