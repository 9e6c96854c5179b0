/**
 * One pipeline, two stores: the whole site built from InfluxDB and from the local journal of the same
 * data must publish identical JSON twins, CSVs and status values (a file store's own counts of lines
 * left out aside). The history has DST days, a gap, a counter reset and integer, boolean and float
 * fields (support/parity-history.ts), the backup heater's meter (role `backup`) beside the heat
 * pump's, and two homes: the first days stored without the `home` tag (read by the default home,
 * HOME_UNTAGGED = HOME_ID), and a neighbour's points, tagged with its home, interleaved with ours
 * (withNeighbour below): both stores must leave them out alike.
 *
 * InfluxDB is the stand-in of reports/test/helpers/flux-stand-in, which evaluates the Flux subset the
 * way InfluxDB 2.7 does and refuses anything else; with INFLUX_URL set (npm run test:influx starts one
 * in Docker) the same check runs against a real InfluxDB 2.7, after it is ready and every write
 * batch was acknowledged.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../core/src/effects.ts";
import { createReports } from "../../reports/src/index.ts";
import { type InfluxStandIn, startInfluxStandIn } from "../../reports/test/helpers/flux-stand-in/index.ts";
import { buildSite } from "../builder/build.ts";
import { loadSiteConfig } from "../builder/config.ts";
import { listFiles } from "../builder/publish.ts";
import { PARITY_NOW, PARITY_TZ, writeParityHistory } from "./support/parity-history.ts";

type Env = Record<string, string>;

/** Before this the history's points carry no `home` tag (a store from before homes). */
const UNTAGGED_UNTIL = Date.parse("2026-03-28T00:00:00Z");

/**
 * Rewrites the history at `path` for two homes: our points before UNTAGGED_UNTIL lose their `home`
 * tag, and after each of our lines comes the same line of the home `next-door`, its counters and
 * flow temperature shifted (a merge of the two would show in every figure).
 */
function withNeighbour(path: string): void {
  const out: string[] = [];
  for (const line of readFileSync(path, "utf8").trimEnd().split("\n")) {
    const ms = Number(line.slice(line.lastIndexOf(" ") + 1, -6));
    out.push(ms < UNTAGGED_UNTIL ? line.replace(/,home=home(?=[, ])/, "") : line);
    out.push(
      line
        .replace(/,home=home(?=[, ])/, ",home=next-door")
        .replace(/energy_wh=([0-9.]+)/, (_m, wh: string) => `energy_wh=${Number(wh) + 12_345}`)
        .replace(/flow_c=([0-9.]+)/, (_m, c: string) => `flow_c=${Number(c) + 5}`),
    );
  }
  writeFileSync(path, out.join("\n") + "\n");
}

/** Builds the site twice (cold, then warm) from the store `env` names; returns the site folder. */
async function buildFrom(env: Env, dataDir: string): Promise<{ site: string }> {
  const config = loadSiteConfig({ DATA_DIR: dataDir });
  const reports = createReports({
    env: { ...env, DATA_DIR: dataDir, REPORT_TZ: PARITY_TZ },
    now: () => PARITY_NOW,
  });
  const deps = { reports, config, clock: { now: () => PARITY_NOW }, logger: memoryLogger(), secrets: [] };
  await buildSite(deps);
  await buildSite({ ...deps, force: true });
  await reports.close();
  return { site: config.siteOut };
}

/** Every JSON and CSV file of a site, status.json without the file store's own counts. */
function dataFiles(site: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of listFiles(site).filter((f) => /\.(json|csv)$/.test(f) && !f.startsWith("."))) {
    let text = readFileSync(join(site, rel), "utf8");
    if (rel === "status.json") {
      const { file_problems: _local, ...status } = JSON.parse(text) as Record<string, unknown>;
      text = JSON.stringify(status);
    }
    out.set(rel, text);
  }
  return out;
}

function expectSameSite(local: string, influx: string): void {
  const a = dataFiles(local);
  const b = dataFiles(influx);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [rel, text] of a) expect(b.get(rel), rel).toBe(text);
}

describe("the site from InfluxDB (Flux stand-in) equals the site from local files", () => {
  let dir: string;
  let history: string;
  let standIn: InfluxStandIn;
  let local: string;
  let influx: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "store-parity-"));
    history = join(dir, "history.lp");
    await writeParityHistory(history);
    withNeighbour(history);
    standIn = await startInfluxStandIn({ org: "home", bucket: "heatpump" });
    standIn.loadPath(history);
    local = (await buildFrom({ LOCAL_SOURCE: history }, join(dir, "local"))).site;
    influx = (
      await buildFrom(
        {
          INFLUX_URL: standIn.url,
          INFLUX_TOKEN: standIn.token,
          INFLUX_ORG: "home",
          INFLUX_BUCKET: "heatpump",
        },
        join(dir, "influx"),
      )
    ).site;
  }, 300_000);
  afterAll(() => standIn?.close());

  it("publishes identical JSON twins, CSVs and status values", () => {
    expectSameSite(local, influx);
  });

  it("covers what it claims: the DST day, the gap, the reset, and COP points from both stores", () => {
    const files = dataFiles(influx);
    // Two homes, ours partly untagged, and a backup heater that ran (3 kW for a while on one day).
    const text = readFileSync(history, "utf8");
    expect(text).toMatch(/^electric,[^ ]*home=next-door,role=backup /m);
    expect(text).toMatch(/^electric,device=[^, ]*,role=heatpump /m);
    expect(text).toMatch(/^electric,[^ ]*home=home,role=backup power_w=29\d\d/m);
    const backup = [...files]
      .filter(([f]) => /^day\/.*\.json$/.test(f))
      .map(([, t]) => (JSON.parse(t) as { backup_elec_kwh: number | null }).backup_elec_kwh ?? 0);
    expect(Math.max(...backup)).toBeGreaterThan(0.5);
    expect(files.has("day/2026-03-29.csv")).toBe(true);
    // 23 hours of five-minute buckets and the header.
    expect(files.get("day/2026-03-29.csv")!.trimEnd().split("\r\n")).toHaveLength(23 * 12 + 1);
    const gapDay = JSON.parse(files.get("day/2026-03-27.json")!) as { coverage_elec_pct: number };
    expect(gapDay.coverage_elec_pct).toBeLessThan(90);
    const resetDay = JSON.parse(files.get("day/2026-03-30.json")!) as { elec_kwh: number; outliers: number };
    expect(resetDay.elec_kwh).toBeGreaterThan(5);
    expect(resetDay.outliers).toBe(0);
    const copCells = files
      .get("day/2026-03-29.csv")!
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(",").at(-1));
    expect(copCells.filter((c) => c !== "").length).toBeGreaterThan(50);
  });

  it("asked InfluxDB only queries of the subset (the stand-in refuses the rest with a 400)", () => {
    expect(standIn.stats.log.filter((q) => q.status !== 200)).toEqual([]);
    expect(standIn.stats.queries).toBeGreaterThan(10);
  });
});

const URL = process.env.INFLUX_URL;

describe.skipIf(!URL)(
  "the site from a real InfluxDB 2.7 (INFLUX_URL set) equals the site from local files",
  () => {
    const token = process.env.INFLUX_TOKEN ?? "";
    const org = process.env.INFLUX_ORG ?? "";
    const bucket = `store-parity-${Date.now()}`;
    let bucketId: string | undefined;

    async function api(path: string, init: RequestInit = {}): Promise<Response> {
      return fetch(`${URL}${path}`, {
        ...init,
        headers: { Authorization: `Token ${token}`, "Content-Type": "application/json", ...init.headers },
      });
    }

    afterAll(async () => {
      if (bucketId) await api(`/api/v2/buckets/${bucketId}`, { method: "DELETE" });
    });

    it("publishes identical JSON twins, CSVs and status values", async () => {
      // Ready: /health passes (a fresh container takes a few seconds).
      for (let i = 0; ; i++) {
        const ok = await fetch(`${URL}/health`)
          .then(async (r) => r.ok && ((await r.json()) as { status: string }).status === "pass")
          .catch(() => false);
        if (ok) break;
        if (i === 60) throw new Error(`InfluxDB at ${URL} is not ready after 60 s (GET /health)`);
        await sleep(1000);
      }
      const orgs = (await (await api(`/api/v2/orgs?org=${encodeURIComponent(org)}`)).json()) as {
        orgs: { id: string }[];
      };
      const created = await api("/api/v2/buckets", {
        method: "POST",
        body: JSON.stringify({ orgID: orgs.orgs[0]!.id, name: bucket, retentionRules: [] }),
      });
      expect(created.status).toBe(201);
      bucketId = ((await created.json()) as { id: string }).id;

      const dir = mkdtempSync(join(tmpdir(), "store-parity-it-"));
      const history = join(dir, "history.lp");
      await writeParityHistory(history);
      withNeighbour(history);
      // Every batch acknowledged (204) before anything is read.
      const lines = readFileSync(history, "utf8").trimEnd().split("\n");
      for (let i = 0; i < lines.length; i += 5000) {
        const res = await api(
          `/api/v2/write?org=${encodeURIComponent(org)}&bucket=${encodeURIComponent(bucket)}&precision=ns`,
          {
            method: "POST",
            body: lines.slice(i, i + 5000).join("\n"),
            headers: { "Content-Type": "text/plain" },
          },
        );
        expect(res.status, await res.text()).toBe(204);
      }
      const local = (await buildFrom({ LOCAL_SOURCE: history }, join(dir, "local"))).site;
      const influx = (
        await buildFrom(
          { INFLUX_URL: URL!, INFLUX_TOKEN: token, INFLUX_ORG: org, INFLUX_BUCKET: bucket },
          join(dir, "influx"),
        )
      ).site;
      expectSameSite(local, influx);
    }, 600_000);
  },
);
