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
import { type AlertSettings, loadAlertSettings } from "../../core/src/alerts/settings.ts";
import { loadMqttConfig, type MqttConfig } from "../../core/src/mqtt/config.ts";
import { alertPageSecrets, createBuilderAlerts } from "./alerts/builder-alerts.ts";
import { buildSite } from "./build.ts";
import { loadSiteConfig, type SiteConfig } from "./config.ts";
import { createSiteRenderer, type SiteRenderer } from "./render/site-renderer.ts";
import { checkRetention } from "./retention.ts";
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
let alertSettings: AlertSettings;
let mqttConfig: MqttConfig | undefined;
try {
  config = loadSiteConfig(env);
  alertSettings = loadAlertSettings(env);
  mqttConfig = loadMqttConfig(env);
} catch (e) {
  // A configuration error names the variable and the fix: exit 2, like every command.
  logger.error((e as Error).message);
  config = alertSettings = await exitNow(2);
}
// The alert variables' secrets too: never in a log line, never on a page.
const alertSecrets = alertPageSecrets(env);
const secrets = [...collectSecrets(env, config.dataDir), ...alertSecrets];
logger = createLogger({ level, secrets: secrets.map((s) => s.value) }, "builder");
const reports = createReports({ env, logger: logger.child("reports") });
const schedule = scheduleFor(config.intervalS);
// Once, at start: what the InfluxDB bucket's retention means for the history (README, "Docker Compose").
await checkRetention(reports.config.source, logger);
// After each build: the health check, then the alerts judged from the store (alerts/builder-alerts.ts).
const alerts = createBuilderAlerts({
  settings: alertSettings,
  reports,
  site: config,
  logger,
  clock: systemClock,
});
// With MQTT_URL: the figures and open alerts to Home Assistant after each build (mqtt-publisher.ts).
const mqtt =
  mqttConfig &&
  (await import("./mqtt-publisher.ts")).startBuilderMqtt(mqttConfig, { logger, dataDir: config.dataDir });

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
      const current = [...collectSecrets(env, config.dataDir), ...alertSecrets];
      renderer ??= await createSiteRenderer();
      await buildSite({ reports, config, clock: systemClock, logger, secrets: current, renderer });
      if (failures) logger.info(`site builds work again after ${failures} failed attempt(s)`);
      failures = 0;
      await alerts.afterBuild(true);
      await mqtt?.afterBuild(reports, Date.now());
    } catch (e) {
      failures++;
      logger.error(`site build failed, the last good site stays published: ${(e as Error).message}`);
      await alerts.afterBuild(false);
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
  await mqtt?.close(1000);
  await reports.close();
  process.exit(0);
}
process.once("SIGTERM", () => void stop("SIGTERM"));
process.once("SIGINT", () => void stop("SIGINT"));
