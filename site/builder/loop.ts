/**
 * `npm run builder`: rebuilds the site every SITE_INTERVAL seconds on a cron schedule, never two
 * builds at once (a tick that finds a build running is skipped). One report engine and one renderer
 * serve every cycle, so the engine's indexes stay warm and Astro's pages stay loaded: a cycle costs
 * the pages that changed, not a new Astro build. SIGTERM/SIGINT wait for a running build, then exit.
 */
import { CronJob } from "cron";
import { createLogger, systemClock } from "../../core/src/effects.ts";
import { commandLineOrExit, exitNow } from "../../core/src/command-line.ts";
import { readEnv } from "../../core/src/env.ts";
import { createReports } from "../../reports/src/index.ts";
import { buildSite } from "./build.ts";
import { loadSiteConfig, type SiteConfig } from "./config.ts";
import { createSiteRenderer, type SiteRenderer } from "./render/site-renderer.ts";
import { scheduleFor } from "./schedule.ts";
import { collectSecrets } from "./secrets.ts";

await commandLineOrExit(
  {},
  "usage: npm run builder   (no options: SITE_INTERVAL, SITE_OUT and the data source come from the environment)",
);
const env = readEnv();
const level = env.LOG_LEVEL === "debug" ? "debug" : "info";
let logger = createLogger({ level }, "builder");
let config: SiteConfig;
try {
  config = loadSiteConfig(env);
} catch (e) {
  // A configuration error names the variable and the fix: exit 2, like every command.
  logger.error((e as Error).message);
  config = await exitNow(2);
}
const secrets = collectSecrets(env, config.dataDir);
logger = createLogger({ level, secrets: secrets.map((s) => s.value) }, "builder");
const reports = createReports({ env, logger: logger.child("reports") });
const schedule = scheduleFor(config.intervalS);

// Made by the first cycle (compiling the pages after a code change, about 2 s) and kept; a cycle
// that fails to make it fails like any build and the next one tries again.
let renderer: SiteRenderer | undefined;
let running: Promise<void> | null = null;
let lastStart = 0;
let failures = 0;

async function cycle(): Promise<void> {
  if (running) return; // never two builds at once
  if (schedule.minGapMs && Date.now() - lastStart < schedule.minGapMs) return;
  lastStart = Date.now();
  running = (async () => {
    try {
      // Re-read each cycle: the Viessmann token file appears after `npm run login` and rotates.
      const current = collectSecrets(env, config.dataDir);
      renderer ??= await createSiteRenderer();
      await buildSite({ reports, config, clock: systemClock, logger, secrets: current, renderer });
      if (failures) logger.info(`site builds work again after ${failures} failed attempt(s)`);
      failures = 0;
    } catch (e) {
      failures++;
      logger.error(`site build failed, the last good site stays published: ${(e as Error).message}`);
    } finally {
      running = null;
    }
  })();
  await running;
}

const job = CronJob.from({
  cronTime: schedule.cronTime,
  onTick: cycle,
  start: true,
  waitForCompletion: true,
  runOnInit: true,
  timeZone: "UTC",
});
logger.info(`rebuilding ${config.siteOut} every ${config.intervalS} s (cron "${schedule.cronTime}")`);

async function stop(signal: string): Promise<void> {
  logger.info(`${signal}: stopping after the running build, if any`);
  await job.stop();
  if (running) await running;
  await reports.close();
  process.exit(0);
}
process.once("SIGTERM", () => void stop("SIGTERM"));
process.once("SIGINT", () => void stop("SIGINT"));
