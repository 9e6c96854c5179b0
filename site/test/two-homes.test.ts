/**
 * Two homes in one bucket (the `home` tag, HOME_ID, HOME_UNTAGGED): the site built for each home
 * from the shared bucket equals, file for file and byte for byte, the site built from that home's
 * points alone. Each home has its heat pump meter and its backup heater's (role `backup`), polled
 * at the same times as the other home's, so a home filter that let one point through would change a
 * counter step, a mean, a page.
 *
 * Variants: both homes tagged (InfluxDB stand-in, and the local store for one home); home a's points
 * stored without the tag (a store from before homes), HOME_UNTAGGED=a: home a reads them, home b
 * (HOME_UNTAGGED=a) does not, and as a control home b told that the untagged points are its own
 * (HOME_UNTAGGED unset) gets a different site.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHistory } from "../../collector/simulator/history.ts";
import { memoryLogger } from "../../core/src/effects.ts";
import { createReports } from "../../reports/src/index.ts";
import { type InfluxStandIn, startInfluxStandIn } from "../../reports/test/helpers/flux-stand-in/index.ts";
import { buildSite } from "../builder/build.ts";
import { loadSiteConfig } from "../builder/config.ts";
import { listFiles } from "../builder/publish.ts";

const TZ = "Europe/Berlin";
/** 18:00 local on the last day: that day is open. */
const NOW = Date.parse("2026-01-14T17:00:00Z");

type Env = Record<string, string>;

/** Home a's backup heater run (UTC), 2026-01-13. */
const RUN = [Date.parse("2026-01-13T10:00:00Z"), Date.parse("2026-01-13T11:00:00Z")] as const;

/** `text` with each backup meter reading's power and energy set by `f(time, energy)`. */
function backup(text: string, f: (t: number, wh: number) => [number, number]): string {
  return text.replace(
    /^(electric,[^ ]*,role=backup) power_w=([-0-9.]+),energy_wh=([0-9.]+) (\d+)$/gm,
    (_m, key: string, _w: string, wh: string, ns: string) => {
      const [w, e] = f(Number(ns.slice(0, -6)), Number(wh));
      return `${key} power_w=${w},energy_wh=${Math.round(e * 1000) / 1000} ${ns}`;
    },
  );
}

/** Builds the site (once) from the store `env` names, as of NOW; returns its folder. */
async function buildFrom(env: Env, dataDir: string): Promise<string> {
  const config = loadSiteConfig({ DATA_DIR: dataDir });
  const reports = createReports({ env: { ...env, DATA_DIR: dataDir, REPORT_TZ: TZ }, now: () => NOW });
  await buildSite({ reports, config, clock: { now: () => NOW }, logger: memoryLogger(), secrets: [] });
  await reports.close();
  return config.siteOut;
}

/**
 * Every published file of a site (the builder's own dot files aside), as bytes; status.json
 * without a file store's own counts of lines left out when `fileProblems` is false (they are the
 * file's, of every home in it, and InfluxDB has none: store-parity.test.ts).
 */
function siteFiles(site: string, fileProblems = true): Map<string, Buffer> {
  return new Map(
    listFiles(site)
      .filter((f) => !f.split("/").some((part) => part.startsWith(".")))
      .map((f) => {
        const bytes = readFileSync(join(site, f));
        if (f !== "status.json" || fileProblems) return [f, bytes];
        const { file_problems: _file, ...status } = JSON.parse(bytes.toString("utf8")) as Record<
          string,
          unknown
        >;
        return [f, Buffer.from(JSON.stringify(status))];
      }),
  );
}

function expectSameSite(actual: string, expected: string, fileProblems = true): void {
  const a = siteFiles(actual, fileProblems);
  const b = siteFiles(expected, fileProblems);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [rel, bytes] of b) expect(a.get(rel)?.equals(bytes), rel).toBe(true);
}

/** Files that differ between two sites (or are in one only). */
function differing(x: string, y: string): string[] {
  const a = siteFiles(x);
  const b = siteFiles(y);
  return [...new Set([...a.keys(), ...b.keys()])].filter(
    (f) => !a.get(f)?.equals(b.get(f) ?? Buffer.alloc(0)),
  );
}

describe("two homes in one bucket: each home's site equals the site of its points alone", () => {
  let dir: string;
  let standIn: InfluxStandIn;
  const text: Record<string, string> = {};
  const influx = (bucket: string): Env => ({
    INFLUX_URL: standIn.url,
    INFLUX_TOKEN: standIn.token,
    INFLUX_ORG: "home",
    INFLUX_BUCKET: bucket,
  });
  const sites: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "two-homes-"));
    // Two winter days and today: cold enough for the backup heater; other seeds, other weather.
    for (const [home, seed] of [
      ["a", 21],
      ["b", 22],
    ] as const) {
      const out = join(dir, `${home}.lp`);
      await writeHistory({ days: 3, end: "2026-01-14", seed, out, tz: TZ, home });
      text[home] = readFileSync(out, "utf8");
    }
    // The simulator's backup heaters stay off these days, their counters both at 52000 Wh: home a's
    // runs at 3 kW from 10:00 to 11:00 UTC on the 13th (3 kWh, its counter 52000 -> 55000 Wh), home
    // b's meter reads 1000 Wh more throughout. Mixed up, the homes' backup counters would step.
    text.a = backup(text.a!, (t, wh) =>
      t < RUN[0] ? [0, wh] : t < RUN[1] ? [3000, wh + (3000 * (t - RUN[0])) / 3_600_000] : [0, wh + 3000],
    );
    text.b = backup(text.b!, (_t, wh) => [0, wh + 1000]);
    // Home a stored before homes: no tag.
    text.untaggedA = text.a!.replace(/,home=a(?=[, ])/g, "");
    // One journal of both homes, in time order: every hour's bytes hold lines of both.
    const timeOf = (l: string) => BigInt(l.slice(l.lastIndexOf(" ") + 1));
    const merged = (text.a! + text.b!)
      .trimEnd()
      .split("\n")
      .sort((x, y) => (timeOf(x) < timeOf(y) ? -1 : timeOf(x) > timeOf(y) ? 1 : 0));
    writeFileSync(join(dir, "shared.lp"), merged.join("\n") + "\n");
    standIn = await startInfluxStandIn({ org: "home", bucket: "shared" });
    for (const b of ["a", "b", "untagged"]) standIn.createBucket(b);
    standIn.load(text.a!.trimEnd(), { bucket: "a" });
    standIn.load(text.b!.trimEnd(), { bucket: "b" });
    standIn.load((text.a! + text.b!).trimEnd(), { bucket: "shared" });
    standIn.load((text.untaggedA! + text.b!).trimEnd(), { bucket: "untagged" });

    const build = async (name: string, env: Env) => (sites[name] = await buildFrom(env, join(dir, name)));
    await build("aAlone", { ...influx("a"), HOME_ID: "a" });
    await build("bAlone", { ...influx("b"), HOME_ID: "b" });
    await build("aShared", { ...influx("shared"), HOME_ID: "a" });
    await build("bShared", { ...influx("shared"), HOME_ID: "b" });
    await build("aSharedLocal", { LOCAL_SOURCE: join(dir, "shared.lp"), HOME_ID: "a" });
    await build("aUntagged", { ...influx("untagged"), HOME_ID: "a", HOME_UNTAGGED: "a" });
    await build("bUntagged", { ...influx("untagged"), HOME_ID: "b", HOME_UNTAGGED: "a" });
    await build("bClaimsUntagged", { ...influx("untagged"), HOME_ID: "b" });
  }, 600_000);
  afterAll(() => standIn?.close());

  it("the data has what the test claims: both homes' meters polled at the same times, a backup meter each", () => {
    for (const home of ["a", "b"]) {
      const lines = text[home]!.split("\n");
      expect(
        lines.filter((l) => l.startsWith(`electric,`) && l.includes(`,home=${home},role=backup `)).length,
      ).toBeGreaterThan(1000);
      expect(lines.filter((l) => l.startsWith("heatpump,")).length).toBeGreaterThan(500);
    }
    const times = (t: string) => new Set(t.split("\n").map((l) => l.slice(l.lastIndexOf(" ") + 1)));
    const ofB = times(text.b!);
    const shared = [...times(text.a!)].filter((t) => ofB.has(t));
    expect(shared.length).toBeGreaterThan(10_000);
    // Home a's backup heater ran on the 13th: 3 kWh (55000 - 52000 Wh), nothing on the 12th.
    const day = (d: string) =>
      JSON.parse(readFileSync(join(sites.aAlone!, `day/${d}.json`), "utf8")) as Record<string, unknown>;
    expect([day("2026-01-12").backup_elec_kwh, day("2026-01-13").backup_elec_kwh]).toEqual([0, 3]);
    // The two homes' sites differ: the homes differ.
    expect(differing(sites.aAlone!, sites.bAlone!).length).toBeGreaterThan(10);
  });

  it("both homes tagged: each home's site from the shared bucket is its own", () => {
    expectSameSite(sites.aShared!, sites.aAlone!);
    expectSameSite(sites.bShared!, sites.bAlone!);
  });

  it("the local store filters the home as the Flux queries do: home a from a shared file", () => {
    expectSameSite(sites.aSharedLocal!, sites.aAlone!, false);
  });

  it("a's points untagged, HOME_UNTAGGED=a: home a reads them, home b does not", () => {
    expectSameSite(sites.aUntagged!, sites.aAlone!);
    expectSameSite(sites.bUntagged!, sites.bAlone!);
    // Control: home b told the untagged points are its own reads a's too, and its site is not b's.
    expect(differing(sites.bClaimsUntagged!, sites.bAlone!).length).toBeGreaterThan(10);
  });

  it("asked InfluxDB only queries of the subset", () => {
    expect(standIn.stats.log.filter((q) => q.status !== 200)).toEqual([]);
  });
});
