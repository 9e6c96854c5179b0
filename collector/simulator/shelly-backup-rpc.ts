/**
 * What the simulated backup-heater meter answers: a Shelly Pro EM-50 whose channel 1 meters the backup
 * heater (channel 0 idle, its relay `switch:0` unmetered), or a Shelly Plus 1PM whose `switch:0` does.
 * Power and energy are the model's backup heater (Model.backupW, Model.backupEnergyWh); the voltage is
 * the mains' nominal 230 V (drawing it from the heat pump meter's noise would shift that meter's
 * random sequence, and with it every seeded answer). Shapes follow real answers (collector/test/fixtures/shelly:
 * a Pro EM-50 on fw 1.1, a Plus 1PM on fw 1.1.0) and the Shelly Gen2 API docs of EM1, EM1Data and
 * Switch (https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Switch and its siblings);
 * numbers are rounded as those devices do. A resistance heater: power factor 1, no returned energy.
 */
import { BACKUP_METER_IDS, type BackupMeterKind } from "./ids.ts";
import type { LiveModel } from "./live.ts";
import type { Json, RpcAnswer } from "./shelly-http.ts";

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

const DEVICES = {
  proem: { model: "SPEM-002CEBEU50", app: "ProEM", mac: "5133A7000001", name: "Backup heater (simulated)" },
  plus1pm: { model: "SNSW-001P16EU", app: "Plus1PM", mac: "5133A7000002", name: "Backup heater (simulated)" },
} as const;

function deviceInfo(kind: BackupMeterKind, authEnabled: boolean) {
  const d = DEVICES[kind];
  const id = BACKUP_METER_IDS[kind];
  return {
    name: d.name,
    id,
    mac: d.mac,
    slot: 0,
    model: d.model,
    gen: 2,
    fw_id: "20241011-114451/1.4.4-g6d2a586",
    ver: "1.4.4",
    app: d.app,
    auth_en: authEnabled,
    auth_domain: authEnabled ? id : null,
  };
}

const MAINS_V = 230;

/** The backup heater now: power (W), its meter's counter (Wh), the mains voltage (V), at unix second `ts`. */
function reading(live: LiveModel) {
  const m = live.sync();
  const w = Math.max(0, m.backupW);
  return { w, wh: m.backupEnergyWh, voltageV: MAINS_V, ts: Math.floor(m.t / 1000) };
}

function em1(id: number, w: number, voltageV: number) {
  const current = w / voltageV;
  return {
    id,
    current: r3(current),
    voltage: voltageV,
    act_power: r1(w),
    aprt_power: r1(voltageV * current),
    pf: w > 0 ? 1 : 0,
    freq: 50,
    calibration: "factory",
  };
}

function switchStatus(live: LiveModel) {
  const { w, wh, voltageV, ts } = reading(live);
  const counter = (total: number) => ({ total: r3(total), by_minute: [0, 0, 0], minute_ts: ts - (ts % 60) });
  return {
    id: 0,
    source: "init",
    output: true,
    apower: r1(w),
    voltage: voltageV,
    freq: 50,
    current: r3(w / voltageV),
    pf: w > 0 ? 1 : 0,
    aenergy: counter(wh),
    ret_aenergy: counter(0),
    temperature: { tC: 41.3, tF: 106.3 },
  };
}

function getStatus(kind: BackupMeterKind, live: LiveModel): Json {
  const { w, wh, voltageV, ts } = reading(live);
  const sys = { mac: DEVICES[kind].mac, restart_required: false, unixtime: ts, uptime: live.uptimeS() };
  const common = {
    ble: {},
    cloud: { connected: false },
    mqtt: { connected: false },
    sys,
    ws: { connected: false },
  };
  if (kind === "plus1pm")
    return { ...common, "input:0": { id: 0, state: false }, "switch:0": switchStatus(live) };
  return {
    ...common,
    "em1:0": em1(0, 0, voltageV),
    "em1:1": em1(1, w, voltageV),
    "em1data:0": { id: 0, total_act_energy: 0, total_act_ret_energy: 0 },
    "em1data:1": { id: 1, total_act_energy: r2(wh), total_act_ret_energy: 0 },
    // The Pro EM's relay: no metering of its own.
    "switch:0": { id: 0, source: "init", output: false, temperature: { tC: 38.5, tF: 101.3 } },
  };
}

export function backupRpc(
  kind: BackupMeterKind,
  live: LiveModel,
  method: string,
  params: Json,
  authEnabled: boolean,
): RpcAnswer {
  const id = params.id === undefined ? 0 : Number(params.id);
  const badId = () => ({
    error: { code: -105, message: `Argument 'id', value ${String(params.id)} not found!` },
  });
  if (method === "Shelly.GetDeviceInfo") return { result: deviceInfo(kind, authEnabled) };
  if (method === "Shelly.GetStatus") return { result: getStatus(kind, live) };
  const status = getStatus(kind, live);
  const component: Record<string, string> =
    kind === "plus1pm"
      ? { "Switch.GetStatus": "switch" }
      : { "EM1.GetStatus": "em1", "EM1Data.GetStatus": "em1data", "Switch.GetStatus": "switch" };
  const prefix = component[method];
  if (prefix === undefined) return { error: { code: 404, message: `No handler for ${method}` } };
  const value = status[`${prefix}:${id}`];
  return value === undefined ? badId() : { result: value };
}
