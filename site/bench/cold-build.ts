/**
 * One cold build in a process of its own, for site/bench/site.ts: `node site/bench/cold-build.ts DAYS`
 * builds the site of the DAYS-day bench history from nothing (no report cache, no published site,
 * no archive) and prints one JSON line: pages rendered, where the time went and the process's peak
 * resident memory (worker threads included: they live in the same process).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { memoryLogger } from "../../core/src/effects.ts";
import { BENCH_DIR, benchHistory, NOW, TZ } from "../../reports/bench/histories.ts";
import { createReports } from "../../reports/src/index.ts";
import { buildSite } from "../builder/build.ts";
import { loadSiteConfig } from "../builder/config.ts";

export interface ColdBuild {
  days: number;
  rendered: number;
  threaded: number;
  ms: { engine: number; render: number; publish: number; total: number };
  /** Whole process, start to end (Node start and module loading included). */
  wallMs: number;
  peakRssMb: number;
}

const days = Number(process.argv[2]);
if (!Number.isInteger(days) || days <= 0) {
  process.stderr.write("usage: node site/bench/cold-build.ts DAYS\n");
  process.exit(2);
}
const file = await benchHistory(days);
const dataDir = join(BENCH_DIR, `site-${days}`);
rmSync(dataDir, { recursive: true, force: true });
const config = loadSiteConfig({ DATA_DIR: dataDir });
const reports = createReports({
  env: { LOCAL_SOURCE: file, DATA_DIR: dataDir, REPORT_TZ: TZ },
  now: () => NOW,
});
const r = await buildSite({
  reports,
  config,
  clock: { now: () => NOW },
  logger: memoryLogger(),
  secrets: [],
});
await reports.close();
const out: ColdBuild = {
  days,
  rendered: r.rendered,
  threaded: r.threaded,
  ms: r.ms,
  wallMs: Math.round(performance.now()),
  // maxRSS is in KiB.
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
