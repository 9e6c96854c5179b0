/**
 * The report engine's entry point: `createReports()` reads the configuration (REPORT_TZ,
 * LOCAL_SOURCE, INFLUX_*, DATA_DIR, STARTING_POWER_W, HOME_ID, HOME_UNTAGGED) and returns the
 * `Reports` of that home the site reads. Source rule: LOCAL_SOURCE set -> local files; else
 * INFLUX_URL -> InfluxDB; else the collector's journal in DATA_DIR/journal.
 */
import { readEnv } from "../../core/src/env.ts";
import type { Logger } from "../../core/src/effects.ts";
import type { Reports } from "./types.ts";
import { loadReportsConfig, type ReportsConfig } from "./config.ts";
import { cacheDir as cacheDirOf } from "./engine/cache.ts";
import { createEngine } from "./engine/engine.ts";
import { LocalSource } from "./store/local-source.ts";
import { InfluxSource } from "./store/influx-source.ts";
import type { RawSource } from "./store/raw-source.ts";

interface ReportsOptions {
  /** Environment (process.env + .env by default) from which REPORT_TZ, LOCAL_SOURCE, INFLUX_*, DATA_DIR are read. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The clock (ms since epoch); default Date.now. Decides which days are closed. */
  now?: () => number;
  logger?: Logger;
  /** Keep the row cache and file indexes in memory only (default false: DATA_DIR/reports-cache). */
  noDiskCache?: boolean;
}

/** The configured engine, plus `config` and `close()` (ends the InfluxDB client, if any). */
export type ReportsEngine = Reports & { readonly config: ReportsConfig; close(): Promise<void> };

export function createReports(opts: ReportsOptions = {}): ReportsEngine {
  const config = loadReportsConfig(opts.env ?? readEnv());
  const dir = opts.noDiskCache ? null : cacheDirOf(config.dataDir);
  const raw: RawSource =
    config.source.kind === "local"
      ? new LocalSource({
          path: config.source.path,
          home: config.home,
          cacheDir: dir,
          logger: opts.logger,
          now: opts.now,
        })
      : new InfluxSource({
          ...config.source,
          home: config.home,
          tz: config.tz,
          now: opts.now ?? Date.now,
          cacheDir: dir,
          logger: opts.logger,
        });
  const engine = createEngine(raw, {
    tz: config.tz,
    settings: config.settings,
    thresholdW: config.startingPowerW,
    maxPowerW: config.maxPowerW,
    elecIntervalMs: config.elecIntervalMs,
    hpIntervalMs: config.hpIntervalMs,
    cacheDir: dir,
    now: opts.now ?? Date.now,
    logger: opts.logger,
  });
  return Object.assign(engine, { config });
}
