/**
 * A Shelly Pro 3EM on loopback, fed by the live model: Gen2 RPC over HTTP (`GET|POST /rpc/<Method>`
 * answers the bare result, `POST /rpc` the full frame), `Shelly.GetDeviceInfo`, `Shelly.GetStatus`,
 * `EM.GetStatus`/`EMData.GetStatus` (triphase) or `EM1.GetStatus`/`EM1Data.GetStatus` ids 0..2
 * (monophase), and optional SHA-256 digest auth (RFC 7616, realm = device id, user `admin`, nonces
 * reusable with a rising `nc` for an hour as on firmware 2.x; GetDeviceInfo stays open).
 * Shapes follow fixtures/shelly (real devices) and notes/shelly-pro3em.md.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Faults } from "./faults.ts";
import { SHELLY_ID } from "./ids.ts";
import type { LiveModel } from "./live.ts";

const MAC = "5133A7000000";
const NONCE_TTL_MS = 3_600_000;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export interface ShellyServerOptions {
  live: LiveModel;
  faults: Faults;
  password?: string;
}

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
  const time = `${String(Math.floor(m.localHour)).padStart(2, "0")}:${String(Math.floor((m.localHour % 1) * 60)).padStart(2, "0")}`;
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

type RpcAnswer = { result: unknown } | { error: { code: number; message: string }; http: number };

function rpc(
  live: LiveModel,
  method: string,
  params: Record<string, unknown>,
  authEnabled: boolean,
): RpcAnswer {
  const mono = live.profile === "monophase";
  const id = params.id === undefined ? 0 : Number(params.id);
  const badId = () => ({
    error: { code: -105, message: `Argument 'id', value ${String(params.id)} not found!` },
    http: 500,
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
  return { error: { code: 404, message: `No handler for ${method}` }, http: 404 };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (s += c));
    req.on("end", () => resolve(s));
    req.on("error", reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    connection: "close",
    ...headers,
  });
  res.end(text);
}

/** Parses `Digest k="v", k=v` (values split at the first `=`: fw 2.x nonces are Base64 with padding). */
function parseDigest(header: string): Record<string, string> | undefined {
  if (!/^Digest\s/i.test(header)) return undefined;
  const out: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/([a-z]+)=(?:"([^"]*)"|([^,\s]*))/gi))
    out[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? "";
  return out;
}

export function startShellyServer(o: ShellyServerOptions): Server {
  const { live, faults } = o;
  const authEnabled = o.password !== undefined && o.password !== "";
  const ha1 = authEnabled ? sha256(`admin:${SHELLY_ID}:${o.password}`) : "";
  const nonces = new Map<string, { issuedMs: number; nc: number }>();

  const challenge = (res: ServerResponse, stale = false) => {
    const nonce = randomBytes(12).toString("base64");
    nonces.set(nonce, { issuedMs: Date.now(), nc: 0 });
    if (nonces.size > 64) nonces.delete(nonces.keys().next().value!);
    send(res, 401, undefined, {
      "www-authenticate": `Digest qop="auth", realm="${SHELLY_ID}", nonce="${nonce}", algorithm=SHA-256${stale ? ", stale=true" : ""}`,
    });
  };

  /** True when the request may proceed; otherwise the 401 has been sent. */
  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    const d = parseDigest(req.headers.authorization ?? "");
    if (!d) return (challenge(res), false);
    const n = nonces.get(d.nonce ?? "");
    if (!n || Date.now() - n.issuedMs > NONCE_TTL_MS) return (challenge(res, true), false);
    const nc = parseInt(d.nc ?? "", 16);
    const ha2 = sha256(`${req.method}:${d.uri}`);
    const expected = sha256(`${ha1}:${d.nonce}:${d.nc}:${d.cnonce}:auth:${ha2}`);
    if (d.username !== "admin" || d.realm !== SHELLY_ID || d.response !== expected || !(nc > n.nc)) {
      return (challenge(res), false);
    }
    n.nc = nc;
    return true;
  };

  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const body = req.method === "POST" ? await readBody(req) : "";
      await faults.delay();
      if (url.pathname === "/shelly") return send(res, 200, deviceInfo(live, authEnabled));
      let method: string;
      let params: Record<string, unknown> = {};
      let frameId: unknown;
      if (url.pathname === "/rpc" && req.method === "POST") {
        const frame = JSON.parse(body || "{}") as {
          id?: unknown;
          method?: string;
          params?: Record<string, unknown>;
        };
        method = frame.method ?? "";
        params = frame.params ?? {};
        frameId = frame.id ?? 0;
      } else if (url.pathname.startsWith("/rpc/")) {
        method = decodeURIComponent(url.pathname.slice(5));
        if (req.method === "POST" && body) params = JSON.parse(body) as Record<string, unknown>;
        for (const [k, v] of url.searchParams) params[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
      } else {
        return send(res, 404, undefined);
      }
      if (authEnabled && method !== "Shelly.GetDeviceInfo" && !authorized(req, res)) return;
      if (faults.shellyDown) return send(res, 503, undefined);
      const a = rpc(live, method, params, authEnabled);
      if (frameId !== undefined) {
        return send(res, 200, {
          id: frameId,
          src: SHELLY_ID,
          ...("result" in a ? { result: a.result } : { error: a.error }),
        });
      }
      if ("result" in a) return send(res, 200, a.result);
      return send(res, a.http, a.error);
    })().catch(() => send(res, 400, { code: -103, message: "Bad request" }));
  });
}
