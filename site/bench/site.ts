/**
 * Benchmark of the site builder over simulated history (local source, real report engine). Prints
 * figures beside the targets of issue 15; asserts nothing. Ratios are measured in this one run, on
 * this machine, against a bare `astro build` of four trivial pages (site/bench/astro-bare): what
 * starting Astro costs here, apart from any page work.
 *
 * - Cold build of one week, one year and three years, each in a process of its own from nothing
 *   (cold-build.ts): time and peak RSS. Target for three years: <= 45 s, <= 600 MB.
 * - Warm cycle, as `npm run builder` runs one every SITE_INTERVAL: one engine and one renderer kept
 *   across cycles, the previous site published. Targets: one year <= 0.5 x the bare astro build;
 *   three years / one week <= 1.2 (the cost of a cycle does not grow with history).
 * - Page sizes of the one-year site: dashboard <= 100 KB, 0 bytes of JavaScript.
 * - The InfluxDB store (Flux stand-in): queries and bytes of a warm cycle.
 *
 * "Now" is 20:00 local on the last simulated day, so that day (and its week, month and season) is
 * open and rendered again on every cycle, as in production. Histories are shared with the report
 * engine's benchmark (reports/bench/histories.ts); generating three years takes minutes once.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { memoryLogger } from "../../core/src/effects.ts";
import { BENCH_DIR as dir, benchHistory, END, NOW, SIZES, TZ } from "../../reports/bench/histories.ts";
import { createReports } from "../../reports/src/index.ts";
import { buildSite, type BuildResult } from "../builder/build.ts";
import { loadSiteConfig } from "../builder/config.ts";
import { listFiles } from "../builder/publish.ts";
import { createSiteRenderer } from "../builder/render/site-renderer.ts";
import type { ColdBuild } from "./cold-build.ts";

const run = promisify(execFile);
const SITE = resolve(import.meta.dirname, "..");
const WARM_RUNS = 5;
/**
 * Cycles run and not measured before the warm runs of each history: a production builder runs for
 * days, so its cycles run compiled code; the first cycles of a process (the one-week history comes
 * first) would measure the JIT warming up instead.
 */
const UNMEASURED_RUNS = 3;
const BARE_RUNS = 3;
const PAUSE_MS = 1000;

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const parts = (r: BuildResult) =>
  `engine ${s(r.ms.engine)}, render ${s(r.ms.render)}, publish ${s(r.ms.publish)}`;

console.log(
  `site builder (local source, ${TZ}, now = ${END} 20:00 local), machine load ${loadavg()[0]!.toFixed(1)}`,
);

// The yardstick: `astro build` of four trivial pages, as a user would start it (a new Node process),
// in a copy of the fixture inside site/.astro (git ignores it; Astro writes its caches into the root).
async function bareAstroBuild(): Promise<number> {
  const root = join(SITE, ".astro", "bench-astro-bare");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(join(SITE, "bench", "astro-bare"), root, { recursive: true });
  const astro = join(SITE, "..", "node_modules", "astro", "bin", "astro.mjs");
  const times = [];
  for (let k = 0; k < BARE_RUNS; k++) {
    const t = performance.now();
    await run(process.execPath, [astro, "build", "--root", root, "--silent"], { cwd: root });
    times.push(performance.now() - t);
  }
  rmSync(root, { recursive: true, force: true });
  return median(times);
}
const bare = await bareAstroBuild();
console.log(`bare astro build of 4 trivial pages: ${s(bare)} (median of ${BARE_RUNS}, Node start included)`);

const warm: Record<string, BuildResult> = {};
/**
 * CPU time of the warm cycles (the process's, the garbage collector's threads included): the wall
 * time of a 0.2 s cycle on a shared 2-core machine swings by a third from run to run, its CPU less.
 */
const warmCpu: Record<string, number> = {};
const cold: Record<string, ColdBuild> = {};
let yearSite = "";
for (const [name, days] of SIZES) {
  const file = await benchHistory(days, "  ");
  const { stdout } = await run(process.execPath, [join(SITE, "bench", "cold-build.ts"), String(days)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const c = JSON.parse(stdout.trim().split("\n").at(-1)!) as ColdBuild;
  cold[name] = c;
  console.log(
    `  ${name.padEnd(8)} cold build  ${s(c.ms.total)}, peak RSS ${c.peakRssMb} MB ` +
      `(${c.rendered} pages rendered, ${c.threaded} days in worker threads; ` +
      `engine ${s(c.ms.engine)}, render ${s(c.ms.render)}, publish ${s(c.ms.publish)}; process ${s(c.wallMs)})`,
  );

  // The long-running builder over the site just built: its first cycle loads the engine's cache.
  const dataDir = join(dir, `site-${days}`);
  const config = loadSiteConfig({ DATA_DIR: dataDir });
  const reports = createReports({
    env: { LOCAL_SOURCE: file, DATA_DIR: dataDir, REPORT_TZ: TZ },
    now: () => NOW,
  });
  const renderer = await createSiteRenderer();
  const deps = { reports, config, clock: { now: () => NOW }, logger: memoryLogger(), secrets: [], renderer };
  await buildSite(deps);
  const runs: BuildResult[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < UNMEASURED_RUNS + WARM_RUNS; k++) {
    // Production cycles are minutes apart.
    await new Promise((r) => setTimeout(r, PAUSE_MS));
    const before = process.cpuUsage();
    const r = await buildSite(deps);
    const used = process.cpuUsage(before);
    if (k >= UNMEASURED_RUNS) {
      runs.push(r);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  await reports.close();
  const m = median(runs.map((r) => r.ms.total));
  const mid = runs.find((r) => r.ms.total === m)!;
  warm[name] = mid;
  warmCpu[name] = median(cpu);
  console.log(
    `  ${name.padEnd(8)} warm cycle  ${s(m)} median of ${WARM_RUNS} after ${UNMEASURED_RUNS} unmeasured, ` +
      `CPU ${s(warmCpu[name])} (${mid.rendered} pages rendered, ${mid.carried} carried over; ${parts(mid)})`,
  );
  if (days === 365) yearSite = config.siteOut;
}

const year = warm["1 year"]!.ms.total;
const threeYears = cold["3 years"]!;
console.log(
  `warm cycle, 1 year: ${s(year)} = ${(year / bare).toFixed(2)} x the bare astro build (target <= 0.5)`,
);
console.log(
  `warm cycle ratio 3 years / 1 week: ${(warm["3 years"]!.ms.total / warm["1 week"]!.ms.total).toFixed(2)} ` +
    `(target <= 1.2); by CPU time ${(warmCpu["3 years"]! / warmCpu["1 week"]!).toFixed(2)}`,
);
console.log(
  `cold build, 3 years: ${s(threeYears.ms.total)} (target <= 45 s), ` +
    `peak RSS ${threeYears.peakRssMb} MB (target <= 600 MB)`,
);

// The InfluxDB store: one year loaded into the Flux stand-in (it evaluates the queries the way
// InfluxDB 2.7 does), a first build, then warm cycles of the same long-running engine; the queries
// and bytes of each warm cycle as the server counted them.
{
  const { startInfluxStandIn } = await import("../../reports/test/helpers/flux-stand-in/index.ts");
  const file = await benchHistory(365, "  ");
  const standIn = await startInfluxStandIn({ org: "home", bucket: "heatpump" });
  const t = performance.now();
  standIn.loadPath(file);
  console.log(`InfluxDB store (Flux stand-in), 1 year loaded in ${s(performance.now() - t)}`);
  const dataDir = join(dir, "site-influx-365");
  const config = loadSiteConfig({ DATA_DIR: dataDir });
  const reports = createReports({
    env: {
      INFLUX_URL: standIn.url,
      INFLUX_TOKEN: standIn.token,
      INFLUX_ORG: "home",
      INFLUX_BUCKET: "heatpump",
      DATA_DIR: dataDir,
      REPORT_TZ: TZ,
    },
    now: () => NOW,
  });
  const renderer = await createSiteRenderer();
  const deps = { reports, config, clock: { now: () => NOW }, logger: memoryLogger(), secrets: [], renderer };
  standIn.stats.reset();
  const first = await buildSite(deps);
  console.log(
    `  first build ${s(first.ms.total)}: ${standIn.stats.queries} queries, ` +
      `${kb(standIn.stats.responseBytes)} (${kb(standIn.stats.wireBytes)} on the wire)`,
  );
  for (let k = 0; k < 3; k++) {
    standIn.stats.reset();
    const r = await buildSite(deps);
    const { queries, responseBytes, wireBytes } = standIn.stats;
    console.log(
      `  warm cycle ${s(r.ms.total)} (${parts(r)}): ${queries} queries for 1 open day ` +
        `(target <= 3 per open day + a constant), ${kb(responseBytes)} ` +
        `(${kb(wireBytes)} on the wire, gzip; target < 1 MB)`,
    );
  }
  await reports.close();
  await standIn.close();
}

const size = (rel: string) => statSync(join(yearSite, rel)).size;
const files = listFiles(yearSite);
const html = files.filter((f) => f.endsWith(".html"));
const scripts = html
  .map((f) => readFileSync(join(yearSite, f), "utf8"))
  .flatMap((text) => text.match(/<script\b[\s\S]*?<\/script>/gi) ?? []);
const jsBytes =
  files.filter((f) => /\.m?js$/.test(f)).reduce((sum, f) => sum + size(f), 0) +
  scripts.reduce((sum, tag) => sum + Buffer.byteLength(tag), 0);
const dayPages = readdirSync(join(yearSite, "day")).filter((n) => !n.includes("."));
const daySizes = dayPages.map((d) => size(`day/${d}/index.html`));
console.log(`page sizes (1 year site, uncompressed):`);
console.log(`  dashboard        ${kb(size("index.html"))} (target <= 100 KB)`);
console.log(
  `  day page         ${kb(size(`day/${END}/index.html`))} today, largest ${kb(Math.max(...daySizes))}`,
);
console.log(
  `  week/month/season ${kb(size("week/2026-W14/index.html"))} / ${kb(size("month/2026-03/index.html"))} / ` +
    kb(size("season/2025-26/index.html")),
);
console.log(`  JavaScript: ${jsBytes} bytes (target 0)`);
console.log(`  ${html.length} HTML pages, ${files.length} files`);
