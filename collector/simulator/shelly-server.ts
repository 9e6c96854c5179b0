/**
 * A Shelly Pro 3EM on loopback, fed by the live model. HTTP, routing and digest auth are the shared
 * device side (shelly-http.ts); nonces live an hour and are reusable with a rising `nc` as on firmware
 * 2.x (`stale=true` after that), and the oldest is forgotten past 64 so no client is ever throttled.
 * The answers themselves are in shelly-rpc.ts; faults.ts adds latency, the `shellyDown` 503 and the
 * `meterSilent` dropped connection.
 */
import { createServer, type Server } from "node:http";
import type { Faults } from "./faults.ts";
import { SHELLY_ID } from "./ids.ts";
import type { LiveModel } from "./live.ts";
import { send, shellyHttp } from "./shelly-http.ts";
import { rpc } from "./shelly-rpc.ts";

interface ShellyServerOptions {
  live: LiveModel;
  faults: Faults;
  password?: string;
}

export function startShellyServer(o: ShellyServerOptions): Server {
  const { live, faults } = o;
  const authEnabled = o.password !== undefined && o.password !== "";
  const device = shellyHttp({
    id: SHELLY_ID,
    password: o.password,
    nonces: { ttlMs: 3_600_000, slots: 64, whenFull: "evict" },
    call: (method, params) => rpc(live, method, params, authEnabled),
    // `meterSilent`: no answer at all, the connection dropped (a meter without power or network).
    intercept: async (res) => {
      if (faults.meterSilent) {
        res.socket?.destroy();
        return 0;
      }
      await faults.delay();
      return undefined;
    },
    // `shellyDown`: every /rpc call answers 503; GET /shelly still answers.
    beforeCall: (_method, res) => (faults.shellyDown ? send(res, 503, undefined) : undefined),
  });
  return createServer((req, res) => void device.handle(req, res));
}
