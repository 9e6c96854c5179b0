/**
 * Benchmark of the site builder over simulated history (local source, real report engine):
 * a warm regeneration cycle with one week, one year and three years of history, the
 * three-years / one-week ratio, and page sizes. Prints figures; asserts nothing.
 * Targets (issue 6): warm cycle with one year <= 15 s; 3 years / 1 week <= 1.3; dashboard
 * <= 300 KB, day page <= 200 KB, zero JavaScript.
 *
 * "Now" is 20:00 local on the last simulated day, so that day (and its week, month and season) is
 * open and re-rendered on every cycle, as in production. A warm cycle is what `npm run builder`
 * does every SITE_INTERVAL: one engine kept across cycles, the previous site published.
 * Histories are shared with the report engine's benchmark (reports/bench/histories.ts); the
 * first build of each size renders every page and is slow (minutes for three years).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { memoryLogger } from "../../collector/src/effects.ts";
import { BENCH_DIR as dir, benchHistory, END, NOW, SIZES, TZ } from "../../reports/bench/histories.ts";
import { createReports } from "../../reports/src/index.ts";
import { buildSite } from "../tools/build-site.ts";
import { listFiles } from "../tools/publish.ts";

const WARM_RUNS = 5;
const PAUSE_MS = 3000;

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
  `site builder cycle (local source, ${TZ}, now = ${END} 20:00 local), machine load ${(await import("node:os")).loadavg()[0]!.toFixed(1)}`,
);
const warm: Record<string, number> = {};
let yearSite = "";
for (const [name, days] of SIZES) {
  const file = await benchHistory(days, "  ");
  const dataDir = join(dir, `site-${days}`);
  const config = {
    dataDir,
    siteOut: join(dataDir, "site"),
    archiveDir: join(dataDir, "archive"),
    intervalS: 300,
  };
  const reports = createReports({
    env: { LOCAL_SOURCE: file, DATA_DIR: dataDir, REPORT_TZ: TZ },
    now: () => NOW,
  });
  const deps = { reports, config, clock: { now: () => NOW }, logger: memoryLogger(), secrets: [] };
  const first = await buildSite(deps);
  console.log(
    `  ${name.padEnd(8)} first build ${s(first.ms.total)} (${first.rendered} pages rendered, ${first.carried} carried over)`,
  );
  const runs = [];
  for (let k = 0; k < WARM_RUNS; k++) {
    // Production cycles are minutes apart; the replaced site is removed in the background between them.
    await new Promise((r) => setTimeout(r, PAUSE_MS));
    runs.push(await buildSite(deps));
  }
  await reports.close();
  const m = median(runs.map((r) => r.ms.total));
  const mid = runs.find((r) => r.ms.total === m)!;
  warm[name] = m;
  console.log(
    `  ${name.padEnd(8)} warm cycle  ${s(m)} median of ${WARM_RUNS} (${mid.rendered} pages rendered, ${mid.carried} carried over; engine ${s(mid.ms.engine)}, render ${s(mid.ms.render)}, publish ${s(mid.ms.publish)})`,
  );
  if (days === 365) yearSite = config.siteOut;
}

console.log(`warm cycle, 1 year: ${s(warm["1 year"]!)} (target <= 15 s)`);
console.log(
  `warm cycle ratio 3 years / 1 week: ${(warm["3 years"]! / warm["1 week"]!).toFixed(2)} (target <= 1.3)`,
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
  const config = {
    dataDir,
    siteOut: join(dataDir, "site"),
    archiveDir: join(dataDir, "archive"),
    intervalS: 300,
  };
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
  const deps = { reports, config, clock: { now: () => NOW }, logger: memoryLogger(), secrets: [] };
  standIn.stats.reset();
  const first = await buildSite(deps);
  console.log(
    `  first build ${s(first.ms.total)}: ${standIn.stats.queries} queries, ${kb(standIn.stats.responseBytes)} (${kb(standIn.stats.wireBytes)} on the wire)`,
  );
  for (let k = 0; k < 3; k++) {
    standIn.stats.reset();
    const r = await buildSite(deps);
    const { queries, responseBytes, wireBytes } = standIn.stats;
    console.log(
      `  warm cycle ${s(r.ms.total)}: ${queries} queries for 1 open day (target <= 3 per open day + a constant), ${kb(responseBytes)} (${kb(wireBytes)} on the wire, gzip)`,
    );
  }
  await reports.close();
  await standIn.close();
}

const size = (rel: string) => statSync(join(yearSite, rel)).size;
const files = listFiles(yearSite);
const html = files.filter((f) => f.endsWith(".html"));
const withScript = html.filter((f) => /<script\b/i.test(readFileSync(join(yearSite, f), "utf8")));
const dayPages = readdirSync(join(yearSite, "day")).filter((n) => !n.includes("."));
const daySizes = dayPages.map((d) => size(`day/${d}/index.html`));
console.log(`page sizes (1 year site, uncompressed):`);
console.log(`  dashboard        ${kb(size("index.html"))} (target <= 300 KB)`);
console.log(
  `  day page         ${kb(size(`day/${END}/index.html`))} today, largest ${kb(Math.max(...daySizes))} (target <= 200 KB)`,
);
console.log(
  `  week/month/season ${kb(size("week/2026-W14/index.html"))} / ${kb(size("month/2026-03/index.html"))} / ${kb(size("season/2025-26/index.html"))}`,
);
console.log(
  `  JavaScript: ${files.filter((f) => f.endsWith(".js")).length} .js files, ${withScript.length} pages with <script> (target 0)`,
);
console.log(`  ${html.length} HTML pages, ${files.length} files`);
