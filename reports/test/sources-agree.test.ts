/**
 * The same metric code on both sources: the hand-computed history served by a loopback InfluxDB
 * stand-in (raw points of the queried range as annotated CSV, the way InfluxDB answers samplesQuery)
 * must give exactly the daily rows the local source gives. The real-InfluxDB version of this check
 * is influx-integration.test.ts.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Point } from "../../collector/src/store/line-protocol.ts";
import { createReports } from "../src/index.ts";
import { type FluxServer, startFluxServer } from "./helpers/flux-server.ts";
import { analyticsDay } from "./helpers/analytics-day.ts";
import { lines, march, october } from "./helpers/hand-data.ts";

const NOW = Date.parse("2026-11-01T12:00:00Z");
const points: Point[] = [...analyticsDay(), ...march(), ...october()];

/**
 * Raw points of [start, stop) as annotated CSV. Of the electric and collector fields only those the
 * query names (`r._field == "..."`) are sent, so a field the samples query forgets is missing here too.
 */
function rawCsv(query: string, startMs: number, stopMs: number): string {
  const head = [
    "#group,false,false,false,false,true,true,true",
    "#datatype,string,long,dateTime:RFC3339,double,string,string,string",
    "#default,_result,,,,,,",
    ",result,table,_time,_value,_field,_measurement,source",
  ];
  const rows: string[] = [];
  for (const p of points) {
    if (p.timeMs < startMs || p.timeMs >= stopMs) continue;
    for (const [f, v] of Object.entries(p.fields)) {
      if (p.measurement !== "heatpump" && !query.includes(`r._field == "${f}"`)) continue;
      rows.push(
        `,,0,${new Date(p.timeMs).toISOString()},${String(v)},${f},${p.measurement},${p.tags.source ?? ""}`,
      );
    }
  }
  return [...head, ...rows].join("\r\n") + "\r\n";
}

const EMPTY =
  "#datatype,string,long,dateTime:RFC3339,long\r\n#group,false,false,false,false\r\n#default,_result,,,\r\n,result,table,_time,_value\r\n";

let server: FluxServer;

beforeAll(async () => {
  // Only the raw-sample query carries data here; fingerprints and edges answer empty.
  server = await startFluxServer((q) => {
    const m = /range\(start: (\S+), stop: (\S+)\)/.exec(q);
    return q.includes('keep(columns: ["_time", "_measurement", "_field", "_value", "source"])') && m
      ? rawCsv(q, Date.parse(m[1]!), Date.parse(m[2]!))
      : EMPTY;
  });
});
afterAll(() => server.close());

describe("local and InfluxDB sources agree", () => {
  it("identical daily rows over DST days, a reset, a gap, zero electricity, modes, defrosts and export", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-agree-"));
    const file = join(dir, "history.lp");
    writeFileSync(file, lines(points));
    const common = { REPORT_TZ: "Europe/Berlin", DATA_DIR: join(dir, "data") };
    const local = createReports({
      env: { ...common, LOCAL_SOURCE: file },
      now: () => NOW,
      noDiskCache: true,
    });
    const influx = createReports({
      env: {
        ...common,
        INFLUX_URL: server.url,
        INFLUX_TOKEN: "t",
        INFLUX_ORG: "home",
        INFLUX_BUCKET: "heatpump",
      },
      now: () => NOW,
      noDiskCache: true,
    });
    for (const [from, to] of [
      // Modes, defrosts, export and the hourly electricity of the analytics day.
      ["2026-01-14", "2026-01-16"],
      ["2026-03-28", "2026-03-31"],
      ["2026-10-24", "2026-10-26"],
    ] as const) {
      const a = await local.dailyRows(from, to);
      expect(a.some((r) => r.heat_kwh !== null)).toBe(true);
      // Export where the meter has a returned-energy counter (January, March), none in October.
      expect(a.some((r) => r.export_kwh !== null && r.export_kwh > 0)).toBe(!from.startsWith("2026-10"));
      expect(await influx.dailyRows(from, to)).toEqual(a);
    }
  });
});
