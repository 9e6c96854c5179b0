/**
 * What the simulated Pro 3EM answers, per RPC method: `Shelly.GetDeviceInfo`, `Shelly.GetStatus`,
 * `EM.GetStatus`/`EMData.GetStatus` (triphase) and `EM1.GetStatus`/`EM1Data.GetStatus` ids 0..2
 * (monophase), with the error objects of a real device for unknown methods and ids. Shapes follow
 * the real devices' answers in test/fixtures/shelly and the Shelly Gen2 API docs of the EM, EMData,
 * EM1 and EM1Data components (https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/EM and
 * its siblings); numbers are rounded as the device does.
 */
import { SHELLY_ID } from "./ids.ts";
import type { LiveModel } from "./live.ts";
import type { Json, RpcAnswer } from "./shelly-http.ts";

const MAC = "5133A7000000";

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function deviceInfo(live: LiveModel, authEnabled: boolean) {
  return {
    name: "Heat pump (simulated)",
    id: SHELLY_ID,
    mac: MAC,
    slot: 0,
    model: "SPEM-003CEBEU",
    gen: 2,
    fw_id: "20250508-110717/1.6.1-g8dbd358",
    ver: "1.6.1",
    app: "Pro3EM",
    auth_en: authEnabled,
    auth_domain: authEnabled ? SHELLY_ID : null,
    profile: live.profile,
  };
}

function emStatus(live: LiveModel) {
  const r = live.meter();
  const out: Record<string, unknown> = { id: 0 };
  let aprt = 0;
  let current = 0;
  ["a", "b", "c"].forEach((p, i) => {
    const va = r.voltageV[i]! * r.currentA[i]!;
    aprt += va;
    current += r.currentA[i]!;
    out[`${p}_current`] = r.currentA[i];
    out[`${p}_voltage`] = r.voltageV[i];
    out[`${p}_act_power`] = r.phaseW[i];
    out[`${p}_aprt_power`] = r1(va);
    out[`${p}_pf`] = r.pf[i];
    out[`${p}_freq`] = r.frequencyHz;
  });
  out.n_current = null;
  out.total_current = r3(current);
  out.total_act_power = r3(r.phaseW[0] + r.phaseW[1] + r.phaseW[2]);
  out.total_aprt_power = r3(aprt);
  out.user_calibrated_phase = [];
  return out;
}

function emDataStatus(live: LiveModel) {
  const m = live.sync();
  const [a, b, c] = m.phaseEnergyWh;
  return {
    id: 0,
    a_total_act_energy: r2(a),
    a_total_act_ret_energy: r2(m.energyRetWh),
    b_total_act_energy: r2(b),
    b_total_act_ret_energy: 0,
    c_total_act_energy: r2(c),
    c_total_act_ret_energy: 0,
    total_act: r2(m.energyWh),
    total_act_ret: r2(m.energyRetWh),
  };
}

function em1Status(live: LiveModel, id: number) {
  const r = live.meter();
  return {
    id,
    current: r.currentA[id],
    voltage: r.voltageV[id],
    act_power: r.phaseW[id],
    aprt_power: r1(r.voltageV[id]! * r.currentA[id]!),
    pf: r.pf[id],
    freq: r.frequencyHz,
    calibration: "factory",
  };
}

function em1DataStatus(live: LiveModel, id: number) {
  const m = live.sync();
  // Channel A carries the heat pump; B and C carry nothing (so their sum is the history's energy_wh).
  const total = id === 0 ? m.energyWh : 0;
  return { id, total_act_energy: r2(total), total_act_ret_energy: id === 0 ? r2(m.energyRetWh) : 0 };
}

function getStatus(live: LiveModel) {
  const m = live.sync();
  const unixtime = Math.floor(m.t / 1000);
  const two = (n: number) => String(Math.floor(n)).padStart(2, "0");
  const time = `${two(m.localHour)}:${two((m.localHour % 1) * 60)}`;
  const out: Record<string, unknown> = {
    ble: {},
    cloud: { connected: false },
    eth: { ip: null },
    modbus: {},
    mqtt: { connected: false },
    sys: {
      mac: MAC,
      restart_required: false,
      time,
      unixtime,
      uptime: live.uptimeS(),
      ram_size: 247_000,
      ram_free: 112_000,
      fs_size: 524_288,
      fs_free: 188_416,
      cfg_rev: 12,
      kvs_rev: 0,
      schedule_rev: 0,
      webhook_rev: 0,
      available_updates: {},
      reset_reason: 3,
    },
    "temperature:0": { id: 0, tC: 41.2, tF: 106.2 },
    wifi: { sta_ip: "127.0.0.1", status: "got ip", ssid: "simulated", rssi: -58 },
    ws: { connected: false },
  };
  if (live.profile === "monophase") {
    for (const id of [0, 1, 2]) {
      out[`em1:${id}`] = em1Status(live, id);
      out[`em1data:${id}`] = em1DataStatus(live, id);
    }
  } else {
    out["em:0"] = emStatus(live);
    out["emdata:0"] = emDataStatus(live);
  }
  return out;
}

export function rpc(live: LiveModel, method: string, params: Json, authEnabled: boolean): RpcAnswer {
  const mono = live.profile === "monophase";
  const id = params.id === undefined ? 0 : Number(params.id);
  const badId = () => ({
    error: { code: -105, message: `Argument 'id', value ${String(params.id)} not found!` },
  });
  switch (method) {
    case "Shelly.GetDeviceInfo":
      return { result: deviceInfo(live, authEnabled) };
    case "Shelly.GetStatus":
      return { result: getStatus(live) };
    case "EM.GetStatus":
      if (!mono && id === 0) return { result: emStatus(live) };
      break;
    case "EMData.GetStatus":
      if (!mono && id === 0) return { result: emDataStatus(live) };
      break;
    case "EM1.GetStatus":
      if (mono) return id >= 0 && id <= 2 ? { result: em1Status(live, id) } : badId();
      break;
    case "EM1Data.GetStatus":
      if (mono) return id >= 0 && id <= 2 ? { result: em1DataStatus(live, id) } : badId();
      break;
  }
  if ((method === "EM.GetStatus" || method === "EMData.GetStatus") && !mono) return badId();
  return { error: { code: 404, message: `No handler for ${method}` } };
}
