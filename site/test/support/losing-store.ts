/**
 * A store that loses data (kept-history.test.ts), as both stores lose it: the local journal as
 * segment files per local day, which are deleted, and InfluxDB (the Flux stand-in) whose days
 * go as its retention deletes them. The InfluxDB store sits behind a proxy at one URL, so the report
 * engine sees the same bucket throughout (same cache key, same per-day counts) while the stand-in
 * behind it is swapped for one without the lost days (the stand-in cannot delete).
 *
 * The history: 45 simulated days to 2026-04-05 in Europe/Berlin, electricity once a minute (enough
 * for every figure, a sixth of the lines), built at 18:00 local on the last day. February and March
 * are then closed and archived; the days up to 2026-02-28 are older than InfluxDB's replay horizon
 * (35 days: "final"), the later ones inside it.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { historyChunks } from "../../../collector/simulator/history.ts";
import { dayOf } from "../../../core/src/time.ts";
import { type InfluxStandIn, startInfluxStandIn } from "../../../reports/test/helpers/flux-stand-in/index.ts";

export const LOSS_TZ = "Europe/Berlin";
export const LOSS_NOW = Date.parse("2026-04-05T16:00:00Z");
const DAYS = 45;
const END = "2026-04-05";

const timeOf = (line: string) => Number(line.slice(line.lastIndexOf(" ") + 1, -6));

/** The history's lines by local day, oldest first; electric lines once a minute. */
export function lossHistory(): Map<string, string[]> {
  const byDay = new Map<string, string[]>();
  let electric = 0;
  for (const chunk of historyChunks({ days: DAYS, end: END, seed: 7, tz: LOSS_TZ })) {
    for (const line of chunk.trimEnd().split("\n")) {
      if (line.startsWith("electric") && electric++ % 6 !== 0) continue;
      const day = dayOf(LOSS_TZ, timeOf(line));
      let lines = byDay.get(day);
      if (!lines) byDay.set(day, (lines = []));
      lines.push(line);
    }
  }
  return byDay;
}

/** A store holding some of the history, with the variables that point the report engine at it. */
export interface LosingStore {
  readonly env: Record<string, string>;
  /** The store's data becomes `days` (lines by local day): days not in it are lost, lines added arrive late. */
  hold(days: ReadonlyMap<string, readonly string[]>): Promise<void>;
  close(): Promise<void>;
}

/**
 * The local journal in `dir`: a segment file per local day, deleted when the day is lost; lines that
 * arrive late go into a new segment (the journal only ever appends).
 */
export function journalStore(dir: string): LosingStore {
  mkdirSync(dir, { recursive: true });
  const held = new Map<string, { lines: Set<string>; files: string[] }>();
  return {
    env: { LOCAL_SOURCE: dir },
    async hold(days) {
      for (const [day, h] of held)
        if (!days.has(day)) {
          for (const f of h.files) rmSync(join(dir, f));
          held.delete(day);
        }
      for (const [day, lines] of days) {
        const h = held.get(day) ?? { lines: new Set<string>(), files: [] };
        held.set(day, h);
        const late = lines.filter((l) => !h.lines.has(l));
        if (late.length === 0) continue;
        const file = `${day}-${h.files.length}.lp`;
        writeFileSync(join(dir, file), late.join("\n") + "\n");
        h.files.push(file);
        for (const l of late) h.lines.add(l);
      }
    },
    async close() {},
  };
}

/** InfluxDB: the stand-in behind a proxy, replaced by a new one holding `days` on each change. */
export async function influxStore(): Promise<LosingStore> {
  const token = "losing-store-token";
  let standIn: InfluxStandIn | null = null;
  // One connection per request on both sides: a kept-alive one could outlive the stand-in it
  // reached, or be closed by the proxy while the engine computes, and reset.
  const proxy: Server = createServer((req, res) => {
    const target = new URL(req.url ?? "/", standIn!.url);
    const { connection: _c, "keep-alive": _k, ...headers } = req.headers;
    const up = request(target, { method: req.method, headers, agent: false }, (answer) => {
      const { connection: _ac, "keep-alive": _ak, ...back } = answer.headers;
      res.writeHead(answer.statusCode ?? 502, { ...back, connection: "close" });
      answer.pipe(res);
    });
    up.on("error", (e) => res.destroy(e));
    req.pipe(up);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    env: { INFLUX_URL: url, INFLUX_TOKEN: token, INFLUX_ORG: "home", INFLUX_BUCKET: "heatpump" },
    async hold(days) {
      const next = await startInfluxStandIn({
        org: "home",
        orgId: "0123456789abcdef",
        bucket: "heatpump",
        token,
      });
      const all = [...days.values()].flat();
      if (all.length) next.load(all.join("\n"));
      const old = standIn;
      standIn = next;
      await old?.close();
    },
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await standIn?.close();
    },
  };
}
