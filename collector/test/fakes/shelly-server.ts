/**
 * A fake Shelly meter (Gen2 RPC over HTTP) on loopback: a Pro 3EM (triphase or monophase), a Pro EM
 * (`proem`: em1:0..1) or a Plus 1PM (`plus1pm`: switch:0), for the Shelly source's tests, the
 * collector's outage test and the benchmark. Answers come from the real captures in
 * `../fixtures/shelly/` (see SOURCES.md there); behaviour follows the Shelly Gen2
 * API documentation (https://shelly-api-docs.shelly.cloud/gen2/: RPC over HTTP, digest
 * authentication on firmware 2.x, General/CommonErrors).
 *
 * ```ts
 * const dev = await startFakeShelly({ profile: "triphase", password: "secret" });
 * dev.url;                          // "http://127.0.0.1:<port>", no trailing slash
 * dev.requests;                     // HTTP requests received so far (every path, 401s included)
 * dev.calls;                        // one entry per request: method, path, status, nonce/nc used
 * dev.stats;                        // { challenges, authFailures, throttled }
 * await dev.setFault("down");       // refuse connections (port closed) ...
 * await dev.setFault(undefined);    // ... until cleared (listens on the same port again)
 * dev.setStatus({ "em:0": { a_act_power: 1200 } }); // shallow-merge into Shelly.GetStatus components
 * dev.advance(60_000);              // integrate each phase's active power over 60 s into the Wh counters
 * dev.status();                     // deep copy of what Shelly.GetStatus answers now
 * dev.expireNonces();               // the next authenticated request gets `401 ... stale=true`
 * await dev.close();
 * ```
 *
 * Endpoints: `GET /shelly`, `GET|POST /rpc/<Method>` (params as query or JSON body; answers the bare
 * result or a bare `{code,message}` with HTTP 500/404), `POST /rpc` (full frame `{id,method,params}`,
 * answers `{id,src,result}` or `{id,src,error}`). Methods: Shelly.GetDeviceInfo (never needs auth),
 * Shelly.GetStatus, EM.GetStatus / EMData.GetStatus (triphase, id 0), EM1.GetStatus / EM1Data.GetStatus
 * (monophase, id 0..2; Pro EM 0..1), Switch.GetStatus (Plus 1PM, id 0). Unknown methods: 404
 * `No handler for <Method>`, like the device.
 *
 * HTTP, routing and digest auth are the simulator's device side (../../simulator/shelly-http.ts), the
 * same code the simulated meter runs; this file adds the fixture answers and the scripted faults.
 * Auth (when `password` is set): RFC 7616 digest, SHA-256, user `admin`, realm = device id, Base64
 * nonces with `=` padding (fw 2.x), each nonce reusable with a strictly increasing `nc` up to
 * `nonceMaxUses` (1 = pre-2.0 behaviour: every request needs a fresh challenge). A wrong response gets
 * a fresh challenge without `stale`; an expired nonce gets `stale=true`. Issuing a challenge takes one of
 * `nonceSlots` slots; with none free the device answers 429 for 2 s (fw 2.0, ../../simulator/shelly-nonces.ts).
 */
import { readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseAuthorization } from "../../simulator/digest-check.ts";
import {
  GET_DEVICE_INFO,
  type Json,
  type RpcAnswer,
  send,
  type ShellyProfile,
  shellyHttp,
  TOO_MANY_REQUESTS,
} from "../../simulator/shelly-http.ts";

/** A Pro 3EM's profile, or another meter: `proem` (Pro EM-50), `plus1pm` (Plus 1PM). */
export type FakeShellyProfile = ShellyProfile | "proem" | "plus1pm";

/**
 * - `down`: port closed, connections refused.
 * - `reset`: connections accepted and destroyed without an answer (ECONNRESET).
 * - `slow`: requests are held for `slowMs` (default: until the fault is cleared or the server closes).
 * - `non-json`: HTTP 200 with an HTML body.
 * - `html-500`: HTTP 500 with an HTML body (a proxy or a crashed web server).
 * - `rpc-error`: every RPC method but Shelly.GetDeviceInfo answers HTTP 500 `{code:-114,message}`.
 * - `throttle`: every request answers 429 `{"code":429,"message":"Too many requests"}`.
 * - `em-errors`: `em:0` (or every `em1:N`) reports `errors: ["power_meter_failure"]`; a 1PM's
 *   `switch:0` reports `errors: ["overpower"]`.
 * - `emdata-errors`: `emdata:0` (or every `em1data:N`) reports `errors: ["database_error"]`.
 * - `phase-out-of-range`: phase A reports `a_errors: ["out_of_range:voltage"]` (monophase: `em1:0`
 *   `errors: ["out_of_range:voltage"]`) and a null voltage.
 * - `oversized`: every RPC method but Shelly.GetDeviceInfo answers HTTP 200 with a JSON body of
 *   `oversizeBytes` (default 50 MiB), streamed in 64 KiB chunks and stopped when the client hangs
 *   up; with `oversizeContentLength` the size is announced in Content-Length, else it is chunked.
 *   `bytesSent` counts what left the server.
 */
export type FakeShellyFault =
  | "down"
  | "reset"
  | "slow"
  | "non-json"
  | "html-500"
  | "rpc-error"
  | "throttle"
  | "em-errors"
  | "emdata-errors"
  | "phase-out-of-range"
  | "oversized";

export interface FakeShellyOptions {
  /** Default `triphase`. */
  profile?: FakeShellyProfile;
  /** Enables digest auth (user `admin`). Default: no auth. */
  password?: string;
  /**
   * Device id = digest realm. Default: the fixture's id (`shellypro3em-aabbccddeeff` triphase,
   * `shellypro3em-c8f09e878a5c` monophase, `shellyproem50-08f9e0e7a170` Pro EM,
   * `shellyplus1pm-aabbccddeeff` Plus 1PM).
   */
  deviceId?: string;
  /** Requests one nonce may authenticate (with increasing nc). Default 30000 (fw 2.x); 1 = pre-2.0. */
  nonceMaxUses?: number;
  /** Outstanding nonces the device keeps before it throttles with 429. Default 32. */
  nonceSlots?: number;
  /** For fault `slow`: hold each request this long (ms) and then answer. Default: hold until cleared. */
  slowMs?: number;
  /** Port to listen on (127.0.0.1). Default 0 = any free port. */
  port?: number;
  /** For fault `oversized`: body size, bytes. Default 50 MiB. */
  oversizeBytes?: number;
  /** For fault `oversized`: announce the size in Content-Length (default: chunked, no length). */
  oversizeContentLength?: boolean;
}

export interface FakeShellyCall {
  readonly httpMethod: string;
  readonly path: string;
  readonly status: number;
  /** Nonce and nc of the Authorization header, when one was sent. */
  readonly nonce?: string;
  readonly nc?: string;
}

export interface FakeShelly {
  readonly url: string;
  readonly requests: number;
  readonly calls: readonly FakeShellyCall[];
  readonly stats: { challenges: number; authFailures: number; throttled: number };
  /** Body bytes written by the `oversized` fault so far. */
  readonly bytesSent: number;
  setFault(fault: FakeShellyFault | undefined): Promise<void>;
  setStatus(patch: Record<string, Record<string, unknown>>): void;
  advance(ms: number): void;
  status(): Record<string, Record<string, unknown>>;
  expireNonces(): void;
  close(): Promise<void>;
}

const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../fixtures/shelly/${name}`, import.meta.url), "utf8")) as Json;

function initialState(profile: FakeShellyProfile): { info: Json; status: Record<string, Json> } {
  const ha = fixture("raw/ha_core_pro_3em_fw1.6.1.json") as { shelly: Json; status: Record<string, Json> };
  if (profile === "triphase") return { info: ha.shelly, status: ha.status };
  if (profile === "proem")
    return {
      info: fixture("proem_getdeviceinfo_fw1.4.4.json"),
      status: fixture("proem_getstatus_fw1.1.json") as Record<string, Json>,
    };
  if (profile === "plus1pm") {
    const pm = fixture("raw/aioshelly_gen2_plus1pm_fw1.1.0.json") as {
      shelly: Json;
      status: Record<string, Json>;
    };
    return { info: pm.shelly, status: pm.status };
  }
  const info = (fixture("shelly_getdeviceinfo_monophase_frame.json") as { result: Json }).result;
  const em1 = fixture("shelly_getstatus_monophase_subset.json") as Record<string, Json>;
  // The monophase capture is a subset; the other components come from the triphase capture.
  const { "em:0": _em, "emdata:0": _emd, ...rest } = ha.status;
  return { info, status: { ...rest, ...em1 } };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const PHASES = ["a", "b", "c"] as const;

export async function startFakeShelly(opts: FakeShellyOptions = {}): Promise<FakeShelly> {
  const profile = opts.profile ?? "triphase";
  const state = initialState(profile);
  const deviceId = opts.deviceId ?? String(state.info.id);
  const info: Json = {
    ...state.info,
    id: deviceId,
    auth_en: opts.password !== undefined,
    auth_domain: opts.password !== undefined ? deviceId : null,
  };
  let status: Record<string, Json> = structuredClone(state.status);
  const calls: FakeShellyCall[] = [];
  let requests = 0;
  let fault: FakeShellyFault | undefined;
  let bytesSent = 0;
  const held = new Set<() => void>();

  const withFaults = (): Record<string, Json> => {
    const s = structuredClone(status);
    const comps =
      profile === "triphase"
        ? { em: ["em:0"], data: ["emdata:0"] }
        : profile === "plus1pm"
          ? { em: [], data: [] }
          : {
              em: Object.keys(s).filter((k) => k.startsWith("em1:")),
              data: Object.keys(s).filter((k) => k.startsWith("em1data:")),
            };
    if (fault === "em-errors" && profile === "plus1pm")
      s["switch:0"] = { ...s["switch:0"], errors: ["overpower"] };
    if (fault === "em-errors") for (const k of comps.em) s[k] = { ...s[k], errors: ["power_meter_failure"] };
    if (fault === "emdata-errors") for (const k of comps.data) s[k] = { ...s[k], errors: ["database_error"] };
    if (fault === "phase-out-of-range") {
      if (profile === "triphase")
        s["em:0"] = { ...s["em:0"], a_voltage: null, a_errors: ["out_of_range:voltage"] };
      else if (profile !== "plus1pm")
        s["em1:0"] = { ...s["em1:0"], voltage: null, errors: ["out_of_range:voltage"] };
    }
    return s;
  };

  /** Streams `oversizeBytes` of JSON (`{"pad":"xxx...x"}`) until done or the client hangs up. */
  const oversized = (res: ServerResponse): number => {
    const total = opts.oversizeBytes ?? 50 * 1024 * 1024;
    res.writeHead(200, {
      "Content-Type": "application/json",
      Connection: "close",
      ...(opts.oversizeContentLength ? { "Content-Length": String(total) } : {}),
    });
    const chunk = Buffer.alloc(64 * 1024, "x");
    let left = total;
    const head = Buffer.from('{"pad":"');
    const tail = Buffer.from('"}');
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const piece =
          left === total
            ? head
            : left <= tail.length + chunk.length
              ? Buffer.concat([chunk.subarray(0, left - tail.length), tail])
              : chunk;
        left -= piece.length;
        bytesSent += piece.length;
        if (left === 0) return void res.end(piece);
        if (!res.write(piece)) return void res.once("drain", pump);
      }
    };
    res.on("error", () => undefined); // the client hanging up mid-body is the point
    pump();
    return 200;
  };

  /** Answers one RPC method from the (faulted) fixture state. */
  const rpc = (method: string, params: Json): RpcAnswer => {
    if (method === GET_DEVICE_INFO) return { result: info };
    if (fault === "rpc-error")
      return { error: { code: -114, message: `Method ${method} failed: Unavailable` } };
    const s = withFaults();
    if (method === "Shelly.GetStatus") return { result: s };
    const prefix: Record<string, string> = {
      "EM.GetStatus": "em",
      "EMData.GetStatus": "emdata",
      "EM1.GetStatus": "em1",
      "EM1Data.GetStatus": "em1data",
      "Switch.GetStatus": "switch",
    };
    const comp = prefix[method];
    if (!comp) return { error: { code: 404, message: `No handler for ${method}` } };
    if (params.id === undefined) return { error: { code: -103, message: "Missing required 'id'" } };
    const value = s[`${comp}:${String(params.id)}`];
    if (!value)
      return { error: { code: -105, message: `Argument 'id', value ${String(params.id)} not found!` } };
    return { result: value };
  };

  const device = shellyHttp({
    id: deviceId,
    password: opts.password,
    nonces: { maxUses: opts.nonceMaxUses ?? 30_000, slots: opts.nonceSlots ?? 32, whenFull: "throttle" },
    call: rpc,
    intercept: (res) => {
      if (fault === "throttle") {
        device.stats.throttled++;
        return send(res, 429, TOO_MANY_REQUESTS);
      }
      if (fault === "non-json")
        return send(res, 200, "<html><body>Shelly</body></html>", { "Content-Type": "text/html" });
      if (fault === "html-500")
        return send(res, 500, "<html><body>500 Internal Server Error</body></html>", {
          "Content-Type": "text/html",
        });
      return undefined;
    },
    beforeCall: (method, res) =>
      fault === "oversized" && method !== GET_DEVICE_INFO ? oversized(res) : undefined,
  });

  const server = createServer((req, res) => {
    requests++;
    const a = parseAuthorization(req.headers.authorization) ?? {};
    const record = (status: number) =>
      calls.push({ httpMethod: req.method ?? "", path: req.url ?? "", status, nonce: a.nonce, nc: a.nc });
    if (fault === "reset") {
      record(0);
      req.socket.destroy();
      return;
    }
    const run = () => void device.handle(req, res).then(record);
    if (fault === "slow") {
      const release = () => {
        held.delete(release);
        if (!res.destroyed) run();
      };
      held.add(release);
      if (opts.slowMs !== undefined) setTimeout(release, opts.slowMs).unref();
      return;
    }
    run();
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });

  await listen(opts.port ?? 0);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    calls,
    stats: device.stats,
    get bytesSent() {
      return bytesSent;
    },
    async setFault(next) {
      const was = fault;
      fault = next;
      if (was === "slow" && next !== "slow") for (const release of [...held]) release();
      if (next === "down" && was !== "down") await stop();
      if (was === "down" && next !== "down") await listen(port);
    },
    setStatus(patch) {
      for (const [k, v] of Object.entries(patch)) {
        const merged: Json = { ...status[k], ...v };
        for (const [f, x] of Object.entries(v)) if (x === undefined) delete merged[f];
        status[k] = merged;
      }
    },
    advance(ms) {
      const h = ms / 3_600_000;
      const next = structuredClone(status);
      if (profile === "triphase") {
        const em = next["em:0"] ?? {};
        const d = (next["emdata:0"] ??= {});
        for (const p of PHASES) {
          const w = Number(em[`${p}_act_power`] ?? 0);
          const key = w >= 0 ? `${p}_total_act_energy` : `${p}_total_act_ret_energy`;
          d[key] = round2(Number(d[key] ?? 0) + Math.abs(w) * h);
        }
        d.total_act = round2(PHASES.reduce((s, p) => s + Number(d[`${p}_total_act_energy`] ?? 0), 0));
        d.total_act_ret = round2(PHASES.reduce((s, p) => s + Number(d[`${p}_total_act_ret_energy`] ?? 0), 0));
      } else if (profile === "plus1pm") {
        // `aenergy` counts both directions, `ret_aenergy` (where the device has it) the returned part.
        const sw = next["switch:0"] ?? {};
        const w = Number(sw.apower ?? 0);
        const add = (key: string, wh: number) => {
          const c = (sw[key] as Json | undefined) ?? { total: 0 };
          sw[key] = { ...c, total: Math.round((Number(c.total ?? 0) + wh) * 1000) / 1000 };
        };
        add("aenergy", Math.abs(w) * h);
        if (w < 0 && sw.ret_aenergy !== undefined) add("ret_aenergy", -w * h);
      } else {
        for (const i of profile === "proem" ? [0, 1] : [0, 1, 2]) {
          const w = Number(next[`em1:${i}`]?.act_power ?? 0);
          const d = (next[`em1data:${i}`] ??= { id: i });
          const key = w >= 0 ? "total_act_energy" : "total_act_ret_energy";
          d[key] = round2(Number(d[key] ?? 0) + Math.abs(w) * h);
        }
      }
      status = next;
    },
    status: () => withFaults(),
    expireNonces: () => device.expireNonces(),
    async close() {
      for (const release of [...held]) held.delete(release);
      await stop();
    },
  };
}
