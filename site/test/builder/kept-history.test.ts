/**
 * History is append-only: when the store loses data (InfluxDB's retention, journal files deleted),
 * the published days keep their figures, file for file, through a running builder, a restart and a
 * lost report cache (the builder-data volume); late points still update a day; only --rebuild
 * recomputes from the store, and warns first. Both stores, over the history of
 * support/losing-store.ts (45 days to 2026-04-05, February and March archived).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { addDays, dayList } from "../../../core/src/time.ts";
import { dropCache } from "../../../reports/src/engine/cache.ts";
import { createReports, type ReportsEngine } from "../../../reports/src/index.ts";
import type { DailyRow } from "../../../reports/src/types.ts";
import { buildSite } from "../../builder/build.ts";
import { loadSiteConfig } from "../../builder/config.ts";
import { listFiles } from "../../builder/publish.ts";
import { createSiteRenderer, type SiteRenderer } from "../../builder/render/site-renderer.ts";
import {
  influxStore,
  journalStore,
  LOSS_NOW,
  LOSS_TZ,
  lossHistory,
  type LosingStore,
} from "../support/losing-store.ts";

const full = lossHistory();
/** The oldest 20 days (2026-02-20 .. 2026-03-11) and ten days in the middle (2026-03-20 .. 29). */
const OLDEST = dayList("2026-02-20", "2026-03-11");
const MIDDLE = dayList("2026-03-20", "2026-03-29");
/** A closed day whose points from 10:00 to 16:00 local (08:00-14:00Z) arrive late. */
const LATE = "2026-04-02";
const lateFrom = Date.parse(`${LATE}T08:00:00Z`);
const lateTo = Date.parse(`${LATE}T14:00:00Z`);
const timeOf = (line: string) => Number(line.slice(line.lastIndexOf(" ") + 1, -6));

/** The history without the days `lost`, and without the late day's hours unless they arrived. */
function holding(lost: readonly string[], lateArrived: boolean): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [day, lines] of full) {
    if (lost.includes(day)) continue;
    out.set(
      day,
      day === LATE && !lateArrived ? lines.filter((l) => timeOf(l) < lateFrom || timeOf(l) >= lateTo) : lines,
    );
  }
  return out;
}

/** Every JSON file of a site but status.json (the dashboard's time-stamped values), by path. */
function jsonFiles(site: string): Map<string, string> {
  return new Map(
    listFiles(site)
      .filter((f) => f.endsWith(".json") && !f.startsWith(".") && f !== "status.json")
      .map((f) => [f, readFileSync(join(site, f), "utf8")]),
  );
}

/** Every file of a folder, by path. */
function files(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

/** The paths whose text differs (or that are missing) in `now`, of those in `was`. */
function changed(was: Map<string, string>, now: Map<string, string>): string[] {
  return [...was].filter(([rel, text]) => now.get(rel) !== text).map(([rel]) => rel);
}

const dayRow = (site: string, day: string) =>
  (JSON.parse(readFileSync(join(site, "day", `${day}.json`), "utf8")) as { rows: DailyRow[] }).rows[0]!;

/** The row of `day` computed from the whole history (a local journal of its own, no cache). */
async function rowFromFullHistory(dir: string, day: string): Promise<DailyRow> {
  const store = journalStore(join(dir, "full-journal"));
  await store.hold(full);
  const reports = createReports({
    env: { ...store.env, DATA_DIR: join(dir, "full-data"), REPORT_TZ: LOSS_TZ },
    now: () => LOSS_NOW,
    noDiskCache: true,
  });
  const [row] = await reports.dailyRows(day, day);
  await reports.close();
  return row!;
}

let renderer: SiteRenderer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kept-history-"));
  renderer = await createSiteRenderer();
}, 300_000);

describe.each([
  {
    name: "the local journal",
    make: (d: string) => Promise.resolve(journalStore(join(d, "journal"))),
    cached: 0,
  },
  // Days older than InfluxDB's replay horizon (35 days: up to 2026-02-28) are "final": while the
  // report cache holds them the engine never asks the store about them again. Eight of the lost days
  // are such; 2026-02-28 is kept all the same, as its data reaches into 2026-03-01, which is not.
  { name: "InfluxDB", make: () => influxStore(), cached: 8 },
])("published history survives data lost from $name", ({ name, make, cached }) => {
  let store: LosingStore;
  let engine: ReportsEngine;
  let config: ReturnType<typeof loadSiteConfig>;
  let logger = memoryLogger();
  let first: { json: Map<string, string>; archive: Map<string, string>; frozen: Map<string, string> };

  const newEngine = () =>
    createReports({
      env: { ...store.env, DATA_DIR: config.dataDir, REPORT_TZ: LOSS_TZ },
      now: () => LOSS_NOW,
    });
  const build = async (opts: { rebuild?: boolean } = {}) => {
    logger = memoryLogger();
    return buildSite({
      reports: engine,
      config,
      clock: { now: () => LOSS_NOW },
      logger,
      secrets: [],
      renderer,
      ...opts,
    });
  };
  const keptLine = () => logger.lines.find((l) => l.includes("kept the published figures of")) ?? "";

  beforeAll(async () => {
    const own = join(dir, name.replaceAll(" ", "-"));
    store = await make(own);
    config = loadSiteConfig({ DATA_DIR: join(own, "data") });
    await store.hold(holding([], false));
    engine = newEngine();
    await build();
    first = {
      json: jsonFiles(config.siteOut),
      archive: files(join(config.siteOut, "archive")),
      frozen: files(config.archiveDir),
    };
  }, 300_000);
  afterAll(async () => {
    await engine?.close();
    await store?.close();
  });

  it("publishes the history and archives February and March", () => {
    expect(first.json.has("day/2026-02-20.json")).toBe(true);
    expect([...first.frozen.keys()].sort()).toEqual([
      "2026-02.html",
      "2026-02.json",
      "2026-03.html",
      "2026-03.json",
    ]);
    expect(dayRow(config.siteOut, "2026-03-01").elec_kwh).toBeGreaterThan(1);
  });

  it("the oldest 20 days lost: every JSON twin and every archive file stays byte for byte", async () => {
    await store.hold(holding(OLDEST, false));
    await build();
    expect(changed(first.json, jsonFiles(config.siteOut))).toEqual([]);
    expect(changed(first.archive, files(join(config.siteOut, "archive")))).toEqual([]);
    expect(changed(first.frozen, files(config.archiveDir))).toEqual([]);
    // The lost days, and 2026-03-12, whose counter step across midnight started on the 11th; the
    // final days the report cache still holds aside.
    const from = cached ? "2026-02-28" : "2026-02-20";
    expect(keptLine()).toContain(`of ${21 - cached} days (${from} to 2026-03-12) the store now holds less`);
  }, 300_000);

  it("ten middle days lost as well: their twins stay, and so do the week, month and season totals", async () => {
    await store.hold(holding([...OLDEST, ...MIDDLE], false));
    await build();
    expect(changed(first.json, jsonFiles(config.siteOut))).toEqual([]);
    expect(dayRow(config.siteOut, "2026-03-25").elec_kwh).toBe(
      (JSON.parse(first.json.get("day/2026-03-25.json")!) as { rows: DailyRow[] }).rows[0]!.elec_kwh,
    );
    // And the days around the gap (2026-03-19 and 2026-03-30), whose data reaches into it.
    expect(keptLine()).toContain(
      `of ${33 - cached} days (${cached ? "2026-02-28" : "2026-02-20"} to 2026-03-30)`,
    );
  }, 300_000);

  it("late points for a closed day still update it: more data wins", async () => {
    const before = dayRow(config.siteOut, LATE);
    await store.hold(holding([...OLDEST, ...MIDDLE], true));
    await build();
    const after = dayRow(config.siteOut, LATE);
    expect(after.coverage_elec_pct).toBeGreaterThan(before.coverage_elec_pct);
    expect(after).toEqual(await rowFromFullHistory(join(dir, name.replaceAll(" ", "-")), LATE));
    // The late day, the next day (which compares itself with it) and their week, month and season.
    const moved = changed(first.json, jsonFiles(config.siteOut)).sort();
    expect(moved).toEqual([
      `day/${LATE}.json`,
      `day/${addDays(LATE, 1)}.json`,
      "month/2026-04.json",
      "season/2025-26.json",
      "week/2026-W14.json",
    ]);
  }, 300_000);

  it("the report cache and the archive lost (the builder-data volume): the rows come back from the site", async () => {
    const published = jsonFiles(config.siteOut);
    await engine.close();
    rmSync(join(config.dataDir, "reports-cache"), { recursive: true });
    rmSync(config.archiveDir, { recursive: true });
    engine = newEngine();
    await build();
    expect(changed(published, jsonFiles(config.siteOut))).toEqual([]);
    expect(changed(first.archive, files(join(config.siteOut, "archive")))).toEqual([]);
    expect(changed(first.frozen, files(config.archiveDir))).toEqual([]);
    expect(keptLine()).toContain("of 33 days (2026-02-20 to 2026-03-30) the store now holds less data for");
  }, 300_000);

  it("every page rendered again (a new design): kept days drawn from their rows and published buckets", async () => {
    const twins = (site: string) =>
      new Map(
        listFiles(site)
          .filter((f) => /^day\/[\d-]+\.(json|csv)$/.test(f))
          .map((f) => [f, readFileSync(join(site, f), "utf8")]),
      );
    const published = twins(config.siteOut);
    logger = memoryLogger();
    const r = await buildSite({
      reports: engine,
      config,
      clock: { now: () => LOSS_NOW },
      logger,
      secrets: [],
      renderer,
      force: true,
    });
    expect(r.carried).toBe(0);
    expect(changed(published, twins(config.siteOut))).toEqual([]);
    // A lost day's chart still has its curves: the published five-minute buckets.
    expect(readFileSync(join(config.siteOut, "day/2026-03-25.csv"), "utf8")).toMatch(
      /\r\n2026-03-25T12:00:00Z,\d/,
    );
  }, 300_000);

  it("--rebuild recomputes from the store, warning first how many published days it lacks", async () => {
    await engine.close();
    dropCache(config.dataDir);
    engine = newEngine();
    await build({ rebuild: true });
    const warned = logger.lines.findIndex((l) =>
      l.includes(
        "--rebuild: the store holds less data than the published site for 30 days (2026-02-20 to 2026-03-29)",
      ),
    );
    expect(warned).toBeGreaterThanOrEqual(0);
    expect(warned).toBeLessThan(logger.lines.findIndex((l) => l.includes(`built ${config.siteOut}`)));
    expect(dayRow(config.siteOut, "2026-03-25").elec_kwh).toBeNull();
    expect(existsSync(join(config.siteOut, "day", "2026-02-20.json"))).toBe(false);
  }, 300_000);
});
