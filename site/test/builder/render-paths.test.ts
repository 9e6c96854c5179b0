/**
 * One renderer, three ways of using it, the same site: the long-running builder (one renderer kept
 * across cycles, each cycle rendering only what changed), a one-shot `npm run build:site` (a fresh
 * renderer) and a cold build whose day pages are drawn by worker threads. Then what a failing page
 * does to each, and what a cycle says it cost.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import type { Reports } from "../../../reports/src/types.ts";
import { buildSite } from "../../builder/build.ts";
import { loadSiteConfig } from "../../builder/config.ts";
import { listFiles } from "../../builder/publish.ts";
import { createSiteRenderer } from "../../builder/render/site-renderer.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";

const TZ = "Europe/Berlin";
const at = (day: string, hours: number) => localMidnight(day, TZ) + hours * 3_600_000;
const NOW = at("2026-04-05", 14.5);

function siteConfig() {
  const dataDir = mkdtempSync(join(tmpdir(), "site-render-paths-"));
  return loadSiteConfig({ DATA_DIR: dataDir });
}

/** Every file of a built site and its archive, by path. */
function contents(config: ReturnType<typeof siteConfig>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [dir, prefix] of [
    [config.siteOut, "site/"],
    [config.archiveDir, "archive/"],
  ] as const)
    for (const rel of listFiles(dir).sort()) out.set(prefix + rel, readFileSync(join(dir, rel), "utf8"));
  return out;
}

function expectSameFiles(a: Map<string, string>, b: Map<string, string>): void {
  expect([...b.keys()]).toEqual([...a.keys()]);
  for (const [rel, text] of a) expect({ rel, text: b.get(rel) }).toEqual({ rel, text });
}

const fake = (nowMs: number) => createFakeReports({ tz: TZ, nowMs });

describe("the builder, a one-shot build and worker threads", () => {
  it("write the same files", async () => {
    // One-shot, cold, every day page drawn by two worker threads.
    const oneShot = siteConfig();
    const cold = await buildSite({
      reports: fake(NOW),
      config: oneShot,
      clock: { now: () => NOW },
      logger: memoryLogger(),
      secrets: [],
      threadedFromDays: 1,
      renderThreads: 2,
    });
    expect(cold.threaded).toBe(36 + 6 + 2 + 1); // days, weeks, months, season

    // The builder: one renderer for every cycle; the first cycle two days earlier (on this thread),
    // then cycles as the days pass, each rendering what changed (a month closes and is frozen).
    const builder = siteConfig();
    const renderer = await createSiteRenderer();
    const cycles = [];
    for (const nowMs of [at("2026-04-03", 9), at("2026-04-04", 23.9), NOW, NOW]) {
      cycles.push(
        await buildSite({
          reports: fake(nowMs),
          config: builder,
          clock: { now: () => nowMs },
          logger: memoryLogger(),
          secrets: [],
          renderer,
        }),
      );
    }
    expect(cycles.map((c) => c.threaded)).toEqual([0, 0, 0, 0]);
    expect(cycles.at(-1)!.rendered).toBe(4); // today, this week, month and season
    expect(cycles.at(-1)!.carried).toBe(cold.rendered - 4);

    const files = contents(oneShot);
    expectSameFiles(files, contents(builder));
    // Drawn in the report zone: the 23-hour DST day's time axis starts at local midnight and its
    // next tick, 04:00, comes three hours later (in UTC both would sit an hour to the right).
    const ticks = [
      ...files
        .get("site/day/2026-03-29/index.html")!
        .matchAll(/translate\(([\d.]+),264\)" y="0.7em">(\d\d:00)</g),
    ].map((m) => `${m[2]} at ${m[1]}`);
    expect(ticks.slice(0, 2)).toEqual(["00:00 at 56", "04:00 at 119.6"]);
  }, 120_000);

  it("leave the process in its own time zone", async () => {
    // Plot draws in the process zone, so pages are rendered in the report zone; the rest of the
    // process (the tests run in UTC) keeps its own.
    const before = new Date(Date.UTC(2026, 0, 1)).getHours();
    await buildSite({
      reports: fake(NOW),
      config: siteConfig(),
      clock: { now: () => NOW },
      logger: memoryLogger(),
      secrets: [],
      threadedFromDays: 1,
      renderThreads: 1,
    });
    expect(process.env.TZ).toBe("UTC");
    expect(new Date(Date.UTC(2026, 0, 1)).getHours()).toBe(before);
  }, 60_000);
});

describe("a page that cannot be rendered", () => {
  // A report without its rows: the day page cannot lay out its table.
  const broken = (day: string): Reports => {
    const good = fake(NOW);
    return {
      ...good,
      report: async (p) => {
        const r = await good.report(p);
        return p.kind === "day" && p.id === day ? { ...r, rows: undefined as never } : r;
      },
    };
  };

  for (const threads of [0, 2]) {
    const where = threads ? "worker threads" : "this thread";
    it(`fails the build naming the page, keeps the last good site (${where})`, async () => {
      const config = siteConfig();
      const deps = { config, clock: { now: () => NOW }, secrets: [] };
      await buildSite({ ...deps, reports: fake(NOW), logger: memoryLogger() });
      const before = readFileSync(join(config.siteOut, "day/2026-03-20/index.html"), "utf8");

      const err = await buildSite({
        ...deps,
        reports: broken("2026-03-20"),
        logger: memoryLogger(),
        force: true,
        ...(threads ? { threadedFromDays: 1, renderThreads: threads } : { threadedFromDays: Infinity }),
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(
        /^could not render day\/2026-03-20\/index\.html \(src\/pages\/day\.astro\): /,
      );
      expect(readFileSync(join(config.siteOut, "day/2026-03-20/index.html"), "utf8")).toBe(before);
      expect(readdirSync(config.dataDir).filter((n) => n.includes(".tmp-"))).toEqual([]);
      expect(existsSync(`${config.siteOut}.lock`)).toBe(false);
    }, 60_000);
  }
});

describe("each cycle", () => {
  it("logs one line: pages rendered and carried over, and what the engine, rendering and publishing cost", async () => {
    const config = siteConfig();
    const logger = memoryLogger();
    const deps = { reports: fake(NOW), config, clock: { now: () => NOW }, logger, secrets: [] };
    const cold = await buildSite({ ...deps, threadedFromDays: 1, renderThreads: 2 });
    const warm = await buildSite(deps);
    const built = logger.lines.filter((l) => l.includes(" built "));
    expect(built).toHaveLength(2);
    const line = (r: typeof cold, threads: string) =>
      `built ${config.siteOut}: ${r.rendered} pages rendered${threads}, ${r.carried} unchanged, ` +
      `${r.frozen.length} months archived, ${r.ms.total} ms ` +
      `(engine ${r.ms.engine} ms, render ${r.ms.render} ms, publish ${r.ms.publish} ms)`;
    expect(built[0]).toContain(line(cold, " (45 in 2 worker threads)"));
    expect(built[1]).toContain(line(warm, ""));
    // The parts are measured, not made up: each took time and together they are no more than the whole.
    for (const r of [cold, warm]) {
      expect(Math.min(r.ms.engine, r.ms.render, r.ms.publish)).toBeGreaterThan(0);
      expect(r.ms.engine + r.ms.render + r.ms.publish).toBeLessThanOrEqual(r.ms.total + 2);
    }
  }, 60_000);
});
