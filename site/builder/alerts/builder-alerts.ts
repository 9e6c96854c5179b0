/**
 * What the site builder does after each build (`npm run builder` and `npm run build:site`): the
 * dead-man's switch first (HEALTHCHECK_URL after a good build, its `/fail` twin after a failed one),
 * then the alerts it judges from what the store shows (judge.ts, cop-low.ts), told through the shared
 * alerter (core/src/alerts; state in DATA_DIR/alerts-builder.json, which the next build's pages show).
 * Nothing here fails a build or holds it up beyond the channels' own time limit; a store that cannot
 * be read now (the build failed for it, say) leaves every alert as it was.
 */
import { createAlerter } from "../../../core/src/alerts/alerter.ts";
import { pingHealthcheck } from "../../../core/src/alerts/health-ping.ts";
import { createNotifier, type Notifier } from "../../../core/src/alerts/notifier.ts";
import { type AlertSettings, alertSecrets } from "../../../core/src/alerts/settings.ts";
import { alertFilePath } from "../../../core/src/alerts/state-file.ts";
import type { Judgment } from "../../../core/src/alerts/state.ts";
import type { Clock, Logger } from "../../../core/src/effects.ts";
import type { Env } from "../../../core/src/env.ts";
import { addDays, dayOf } from "../../../core/src/time.ts";
import type { ReportsEngine } from "../../../reports/src/index.ts";
import type { SiteConfig } from "../config.ts";
import type { Secret } from "../secrets.ts";
import { JUDGED_WITHIN_DAYS, judgeCopLow, seasonStart } from "./cop-low.ts";
import { judgeDeviceFault, judgeShortCycling, judgeSilences, mirrorCollector } from "./judge.ts";
import { createFactsReader, type FactsReader } from "./store-facts.ts";

/** How far back the heat pump's messages and the collector's points are looked for, ms. */
const FACTS_WINDOW_MS = 6 * 3_600_000;

interface BuilderAlertsDeps {
  readonly settings: AlertSettings;
  readonly reports: Pick<ReportsEngine, "config" | "status" | "dailyRows">;
  readonly site: Pick<SiteConfig, "dataDir">;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Tests: another notifier (shorter back-off) or facts reader. */
  readonly notifier?: Notifier;
  readonly facts?: FactsReader;
}

interface BuilderAlerts {
  /** After a build, good or failed. Never rejects. */
  afterBuild(good: boolean): Promise<void>;
}

/** The alert variables' secret parts, for the build's scan of its pages (they never go on a page). */
export function alertPageSecrets(env: Env): Secret[] {
  return alertSecrets(env).map((value) => ({
    name: "an alert variable (NTFY_*, ALERT_WEBHOOK_URL, HEALTHCHECK_URL)",
    value,
  }));
}

export function createBuilderAlerts(deps: BuilderAlertsDeps): BuilderAlerts {
  const { settings, reports, clock } = deps;
  const log = deps.logger.child("alerts");
  const facts = deps.facts ?? createFactsReader(reports.config.source);
  const alerter = createAlerter({
    program: "builder",
    path: alertFilePath(deps.site.dataDir, "builder"),
    notifier: deps.notifier ?? createNotifier(settings),
    logger: log,
    remindMs: settings.remindMs,
  });
  const on = (j: Judgment) => !settings.off.has(j.condition);

  async function judgments(nowMs: number): Promise<Judgment[]> {
    const c = reports.config;
    const status = await reports.status(nowMs);
    const f = await facts.read({
      nowMs,
      factsFromMs: nowMs - FACTS_WINDOW_MS,
      powerFromMs: nowMs - settings.shortCyclingHours * 3_600_000,
    });
    const out = [
      ...judgeSilences(status, {
        settings,
        hpIntervalMs: c.hpIntervalMs,
        tz: c.tz,
        reason: f.collector.get("heatpump_silent"),
      }),
      judgeDeviceFault(f.messages, settings, c.tz, nowMs),
      judgeShortCycling(f.power, nowMs, {
        settings,
        thresholdW: c.startingPowerW,
        elecIntervalMs: c.elecIntervalMs,
      }),
      ...mirrorCollector(f.collector, nowMs, c.tz),
    ];
    if (!settings.off.has("cop_low")) {
      const today = dayOf(c.tz, nowMs);
      const yesterday = addDays(today, -1);
      const rows = await reports.dailyRows(seasonStart(yesterday), yesterday);
      out.push(judgeCopLow(rows, addDays(today, -JUDGED_WITHIN_DAYS), settings));
    }
    return out.filter(on);
  }

  async function ping(good: boolean): Promise<void> {
    if (!settings.healthcheckUrl) return;
    const r = await pingHealthcheck(settings.healthcheckUrl, good);
    if (!r.ok)
      log.warn(
        `the health check (HEALTHCHECK_URL) did not take the ${good ? "" : "failure "}ping: ${r.detail}`,
      );
  }

  return {
    async afterBuild(good) {
      await ping(good);
      let js: Judgment[];
      const nowMs = clock.now();
      try {
        js = await judgments(nowMs);
      } catch (e) {
        log.warn(`cannot judge the alerts now (${(e as Error).message}); they stay as they were`);
        return;
      }
      try {
        await alerter.judge(js, nowMs);
      } catch (e) {
        log.error(`alerts: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    },
  };
}
