/**
 * `npm run build:site [-- --force] [--rebuild-archive] [--rebuild]`: builds the site once from the
 * configured report source into SITE_OUT. `--force` renders every page; `--rebuild-archive` also
 * renders every archived month again from the data as it is now and removes archived months without
 * data; `--rebuild` drops the report cache and recomputes every day from the store as it is now,
 * without the published figures the site otherwise keeps for days the store lost (warning first).
 * On failure the last good site stays published and the exit code is 1; an unknown option or a
 * configuration error exits 2.
 */
import { createLogger, systemClock } from "../../core/src/effects.ts";
import { parseCommandLine, runCommand } from "../../core/src/command-line.ts";
import { ConfigError, readEnv } from "../../core/src/env.ts";
import { cacheDir, dropCache } from "../../reports/src/engine/cache.ts";
import { createReports } from "../../reports/src/index.ts";
import { loadAlertSettings } from "../../core/src/alerts/settings.ts";
import { alertPageSecrets, createBuilderAlerts } from "./alerts/builder-alerts.ts";
import { buildSite } from "./build.ts";
import { loadSiteConfig } from "./config.ts";
import { checkRetention } from "./retention.ts";
import { collectSecrets } from "./secrets.ts";

const USAGE = "usage: npm run build:site [-- --force] [--rebuild-archive] [--rebuild]";

export async function buildOnce(
  opts: { force?: boolean; rebuildArchive?: boolean; rebuild?: boolean } = {},
): Promise<boolean | "config"> {
  const env = readEnv();
  let logger = createLogger({ level: env.LOG_LEVEL === "debug" ? "debug" : "info" }, "site");
  try {
    const config = loadSiteConfig(env);
    const alertSettings = loadAlertSettings(env);
    // The alert variables' secrets too: never in a log line, never on a page.
    const secrets = [...collectSecrets(env, config.dataDir), ...alertPageSecrets(env)];
    logger = createLogger(
      { secrets: secrets.map((s) => s.value), level: env.LOG_LEVEL === "debug" ? "debug" : "info" },
      "site",
    );
    if (opts.rebuild) {
      dropCache(config.dataDir);
      logger.info(`--rebuild: dropped the report cache in ${cacheDir(config.dataDir)}`);
    }
    const reports = createReports({ env, logger });
    // After the build: the health check, then the alerts judged from the store (alerts/builder-alerts.ts).
    const alerts = createBuilderAlerts({
      settings: alertSettings,
      reports,
      site: config,
      logger,
      clock: systemClock,
    });
    try {
      await checkRetention(reports.config.source, logger);
      await buildSite({
        reports,
        config,
        clock: systemClock,
        logger,
        secrets,
        force: opts.force ?? false,
        rebuildArchive: opts.rebuildArchive ?? false,
        rebuild: opts.rebuild ?? false,
      });
      await alerts.afterBuild(true);
    } catch (e) {
      await alerts.afterBuild(false);
      throw e;
    } finally {
      await reports.close();
    }
    return true;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof ConfigError) {
      // The configuration names the variable and the fix; no build was tried.
      process.stderr.write(`${msg}\n`);
      return "config";
    }
    logger.error(`site build failed, the last good site stays published: ${msg}`);
    if (!(e instanceof Error) || !["BuildError", "ConfigError", "ExpectedError"].includes(e.name)) {
      logger.debug(e instanceof Error ? (e.stack ?? msg) : msg);
    }
    return false;
  }
}

if (import.meta.main)
  runCommand(async () => {
    const { values } = parseCommandLine(process.argv.slice(2), {
      force: { type: "boolean", default: false },
      "rebuild-archive": { type: "boolean", default: false },
      rebuild: { type: "boolean", default: false },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const ok = await buildOnce({
      force: values.force,
      rebuildArchive: values["rebuild-archive"],
      rebuild: values.rebuild,
    });
    return ok === "config" ? 2 : ok ? 0 : 1;
  }, USAGE);
