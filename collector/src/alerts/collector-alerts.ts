/**
 * The collector's alerts: once a minute it judges what only it can see (delivery to InfluxDB, the
 * Viessmann login, the disk: judgments.ts; the meters beside the heat pump's: meter-watch.ts),
 * tells the owner through the shared alerter (core/src/alerts: state in
 * DATA_DIR/alerts-collector.json, ntfy and webhook), and journals `alert` points so the site shows
 * them, with the reason behind a heat pump silence (viessmann-watch.ts).
 *
 * It runs on its own timer beside the polls: a check never waits for a poll, and a poll never waits
 * for a notification (each channel has its own time limit, and a check still running skips the next
 * one). Stopping ends the timer and any notification in flight at once; what was not delivered stays
 * in the state file's outbox for the next start.
 */
import { alertFilePath } from "../../../core/src/alerts/state-file.ts";
import { createAlerter } from "../../../core/src/alerts/alerter.ts";
import { createNotifier, type Notifier } from "../../../core/src/alerts/notifier.ts";
import type { Judgment } from "../../../core/src/alerts/state.ts";
import type { Clock, Logger } from "../../../core/src/effects.ts";
import { isExpected } from "../../../core/src/errors.ts";
import type { Point } from "../../../core/src/data/line-protocol.ts";
import type { Config } from "../config.ts";
import type { Source } from "../sources/source.ts";
import { readTokenFile, tokenFilePath } from "../sources/viessmann/token-store.ts";
import type { InfluxWriter } from "../store/influx-writer.ts";
import { withoutCredentials } from "../url-credentials.ts";
import { type AlertPointInput, alertPointSchedule } from "./alert-points.ts";
import {
  diskFacts,
  type DiskFacts,
  judgeDelivery,
  judgeDisk,
  judgeLogin,
  rejectedFacts,
} from "./judgments.ts";
import { watchMeters } from "./meter-watch.ts";
import { watchViessmann } from "./viessmann-watch.ts";

/** How often the collector checks, ms. */
const CHECK_EVERY_MS = 60_000;

interface CollectorAlertsDeps {
  readonly config: Config;
  readonly journalDir: string;
  readonly writer: InfluxWriter | undefined;
  /** The journal's append: the `alert` points go where every reading goes. */
  readonly append: (points: readonly Point[]) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Tests: another notifier (shorter back-off), another disk reader, another period. */
  readonly notifier?: Notifier;
  readonly disk?: (dir: string) => Promise<DiskFacts | undefined>;
  readonly everyMs?: number;
}

interface CollectorAlerts {
  /** The sources, the Viessmann one watched for the reason behind a silence. */
  wrap(sources: readonly Source[]): Source[];
  /** Checks now, then every minute. */
  start(): void;
  /** One check (the timer's); resolves when its notifications are done. */
  check(): Promise<void>;
  /** Ends the timer and any notification in flight. */
  stop(): void;
}

export function createCollectorAlerts(deps: CollectorAlertsDeps): CollectorAlerts {
  const { config, clock } = deps;
  const settings = config.alerts;
  const log = deps.logger.child("alerts");
  const notifier = deps.notifier ?? createNotifier(settings);
  const alerter = createAlerter({
    program: "collector",
    path: alertFilePath(config.dataDir, "collector"),
    notifier,
    logger: log,
    remindMs: settings.remindMs,
  });
  const watch = config.viessmann
    ? watchViessmann({
        dataDir: config.dataDir,
        dailyBudget: config.viessmann.dailyBudget,
        startMs: clock.now(),
      })
    : undefined;
  const meters = watchMeters(clock.now());
  const schedule = alertPointSchedule();
  const abort = new AbortController();
  let failingSinceMs: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  function token() {
    try {
      return readTokenFile(tokenFilePath(config.dataDir));
    } catch (e) {
      if (isExpected(e)) return "unreadable" as const;
      throw e;
    }
  }

  async function judgments(nowMs: number): Promise<Judgment[]> {
    const state = deps.writer?.state();
    if (state === undefined || state === "ok") failingSinceMs = undefined;
    else failingSinceMs ??= nowMs;
    const out: Judgment[] = [];
    if (config.influx)
      out.push(
        judgeDelivery(
          {
            state,
            failingSinceMs,
            rejected: rejectedFacts(deps.journalDir),
            journalDir: deps.journalDir,
            where: `InfluxDB at ${withoutCredentials(config.influx.url)}`,
          },
          nowMs,
          settings,
        ),
      );
    if (config.viessmann) out.push(judgeLogin(token(), nowMs, settings));
    out.push(judgeDisk(await (deps.disk ?? diskFacts)(config.dataDir), config.dataDir, settings));
    const aux = meters.judge(nowMs, settings);
    if (aux) out.push(aux);
    return out.filter((j) => !settings.off.has(j.condition));
  }

  /** The points for the site: the judgments, and the reason behind a heat pump silence. */
  function points(js: readonly Judgment[], nowMs: number): Point[] {
    const opened = new Map(alerter.current().open.map((a) => [a.condition, a.openedMs]));
    const inputs: AlertPointInput[] = js
      .filter((j) => j.open !== null)
      .map((j) => ({
        condition: j.condition,
        open: j.open === true,
        severity: j.severity,
        title: j.title,
        message: j.message,
        openedMs: opened.get(j.condition) ?? nowMs,
        key: `${j.title}|${j.key ?? ""}`,
      }));
    if (watch && !settings.off.has("heatpump_silent")) {
      const r = watch.reason(nowMs);
      inputs.push({
        condition: "heatpump_silent",
        open: r.reason !== "",
        severity: "warning",
        title: "Heat pump readings silent",
        message: r.reason,
        openedMs: r.lastOkMs,
        key: r.reason,
      });
    }
    return schedule(inputs, nowMs);
  }

  async function check(): Promise<void> {
    const nowMs = clock.now();
    const js = await judgments(nowMs);
    try {
      // Journaled before the notices are sent: the site learns of it even if a channel hangs.
      const due = points(js, nowMs);
      if (due.length > 0) await deps.append(due);
    } catch (e) {
      // A full disk is a gap here as everywhere (the journal logs it); anything else is a bug.
      if (!isExpected(e)) throw e;
    }
    await alerter.judge(js, nowMs, abort.signal);
  }

  const guarded = () => {
    running ??= check()
      .catch((e: unknown) =>
        log.error(`check failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
      )
      .finally(() => (running = undefined));
    return running;
  };

  return {
    wrap: (sources) => sources.map((s) => (s.name === "viessmann" && watch ? watch.wrap(s) : meters.wrap(s))),
    start() {
      void guarded();
      timer = setInterval(() => void guarded(), deps.everyMs ?? CHECK_EVERY_MS);
      timer.unref();
    },
    check: guarded,
    stop() {
      if (timer) clearInterval(timer);
      abort.abort();
    },
  };
}
