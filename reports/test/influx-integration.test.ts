/**
 * Both sources, same daily rows: simulated history written into a fresh bucket of a real InfluxDB 2,
 * then the daily rows of the InfluxDB source (Flux) compared with those of the local source over the
 * same file. Runs only when INFLUX_URL is set (with INFLUX_TOKEN allowed to create buckets, and
 * INFLUX_ORG); README "Reports" says how to start InfluxDB in Docker for it.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InfluxDB } from "@influxdata/influxdb-client";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../../collector/src/simulator/history.ts";
import { createReports } from "../src/index.ts";

const URL = process.env.INFLUX_URL;
const TOKEN = process.env.INFLUX_TOKEN ?? "";
const ORG = process.env.INFLUX_ORG ?? "";
const TZ = "Europe/Berlin";
// Four days around the DST change, so 23- and 24-hour days are compared.
const END = "2026-03-30";
const NOW = Date.parse("2026-04-02T00:00:00Z");

async function api(path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${URL}${path}`, {
    ...init,
    headers: { Authorization: `Token ${TOKEN}`, "Content-Type": "application/json", ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status}: ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

describe.skipIf(!URL)("InfluxDB integration (INFLUX_URL set)", () => {
  it("daily rows from Flux equal daily rows from the local source on the same simulated history", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-it-"));
    const file = join(dir, "history.lp");
    await writeHistory({ days: 4, end: END, seed: 7, out: file, tz: TZ });

    const orgs = (await api(`/api/v2/orgs?org=${encodeURIComponent(ORG)}`)) as { orgs: { id: string }[] };
    const orgID = orgs.orgs[0]!.id;
    const bucket = `reports-it-${Date.now()}`;
    const created = (await api("/api/v2/buckets", {
      method: "POST",
      body: JSON.stringify({ orgID, name: bucket, retentionRules: [] }),
    })) as { id: string };
    try {
      const write = new InfluxDB({ url: URL!, token: TOKEN }).getWriteApi(ORG, bucket, "ns", {
        batchSize: 5000,
        flushInterval: 0,
        maxRetries: 2,
        gzipThreshold: 1000,
      });
      write.writeRecords(readFileSync(file, "utf8").split("\n").filter(Boolean));
      await write.close();

      const common = { REPORT_TZ: TZ, DATA_DIR: join(dir, "data") };
      const local = createReports({
        env: { ...common, LOCAL_SOURCE: file },
        now: () => NOW,
        noDiskCache: true,
      });
      const influx = createReports({
        env: { ...common, INFLUX_URL: URL, INFLUX_TOKEN: TOKEN, INFLUX_ORG: ORG, INFLUX_BUCKET: bucket },
        now: () => NOW,
        noDiskCache: true,
      });
      const from = "2026-03-27";
      const a = await local.dailyRows(from, END);
      const b = await influx.dailyRows(from, END);
      expect(b.find((r) => r.day === "2026-03-29")?.hours).toBe(23);
      expect(a.filter((r) => r.heat_kwh !== null).length).toBe(4);
      expect(b).toEqual(a);
      expect(await influx.extent()).toEqual(await local.extent());
      const s = await influx.status(Date.parse("2026-03-30T18:00:00Z"));
      expect(s.power_w.value).not.toBeNull();
      await influx.close();
    } finally {
      await api(`/api/v2/buckets/${created.id}`, { method: "DELETE" });
    }
  }, 300_000);
});

describe.skipIf(!!URL)("InfluxDB integration", () => {
  it("skipped: set INFLUX_URL, INFLUX_TOKEN (allowed to create buckets) and INFLUX_ORG to run it (README: Reports)", () => {
    console.info(
      "reports/test/influx-integration.test.ts: skipped because INFLUX_URL is not set; see README.md, section Reports, to run it against InfluxDB in Docker",
    );
    expect(URL).toBeUndefined();
  });
});
