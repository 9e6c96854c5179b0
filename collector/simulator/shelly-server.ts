/**
 * A Shelly meter on loopback, fed by the live model: the heat pump's Pro 3EM (shelly-rpc.ts) or the
 * backup heater's Pro EM or Plus 1PM (shelly-backup-rpc.ts). HTTP, routing and digest auth are the shared
 * device side (shelly-http.ts); nonces live an hour and are reusable with a rising `nc` as on firmware
 * 2.x (`stale=true` after that), and the oldest is forgotten past 64 so no client is ever throttled.
 * The answers themselves are in shelly-rpc.ts; faults.ts adds latency, the `shellyDown` 503 and the
 * `meterSilent` dropped connection.
 */
import { createServer, type Server } from "node:http";
import type { Faults } from "./faults.ts";
import { BACKUP_METER_IDS, type BackupMeterKind, SHELLY_ID } from "./ids.ts";
import type { LiveModel } from "./live.ts";
import { send, shellyHttp } from "./shelly-http.ts";
import { rpc } from "./shelly-rpc.ts";
import { backupRpc } from "./shelly-backup-rpc.ts";

interface ShellyServerOptions {
  live: LiveModel;
  faults: Faults;
  password?: string;
  /** The backup heater's meter instead of the heat pump's Pro 3EM. */
  backup?: BackupMeterKind;
}

export function startShellyServer(o: ShellyServerOptions): Server {
  const { live, faults } = o;
  const authEnabled = o.password !== undefined && o.password !== "";
  const { backup } = o;
  const device = shellyHttp({
    id: backup ? BACKUP_METER_IDS[backup] : SHELLY_ID,
    password: o.password,
    nonces: { ttlMs: 3_600_000, slots: 64, whenFull: "evict" },
    call: (method, params) =>
      backup ? backupRpc(backup, live, method, params, authEnabled) : rpc(live, method, params, authEnabled),
    // `meterSilent`: no answer at all, the connection dropped (a meter without power or network).
    // The heat pump's meter only: the faults speak of it, the backup meter goes on answering.
    intercept: async (res) => {
      if (faults.meterSilent && !backup) {
        res.socket?.destroy();
        return 0;
      }
      await faults.delay();
      return undefined;
    },
    // `shellyDown`: every /rpc call answers 503; GET /shelly still answers.
    beforeCall: (_method, res) => (faults.shellyDown && !backup ? send(res, 503, undefined) : undefined),
  });
  return createServer((req, res) => void device.handle(req, res));
}
