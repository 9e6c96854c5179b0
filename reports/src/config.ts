/**
 * Report engine configuration: the environment parsed once into a frozen, typed object.
 * Source rule: LOCAL_SOURCE set -> local line protocol; else INFLUX_URL set -> InfluxDB; else the
 * collector's journal in DATA_DIR/journal. Zone rule, the same for every command (the simulator's
 * and the demo's history included): REPORT_TZ, else the machine's zone.
 */
import { resolve } from "node:path";
import { z } from "zod";
import { JOURNAL_DIR } from "../../core/src/data/data-dir.ts";
import { HOME_ENV, homeOf, type HomeSettings } from "../../core/src/data/home.ts";
import { parseConfig, type Env, withTokenFile } from "../../core/src/env.ts";
import { ANALYSIS_ENV, analysisSettings, checkAnalysisEnv } from "./analysis-config.ts";
import type { AnalysisSettings } from "./types.ts";

const isZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * The machine's zone: TZ when it names one (Node follows it; a leading `:` as in `TZ=:Europe/Berlin`
 * is the POSIX way of saying "a file name"), else the system's, else UTC.
 */
export function machineZone(env: Env): string {
  const tz = env.TZ?.replace(/^:/, "");
  if (tz && isZone(tz)) return tz;
  const system = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return system && isZone(system) ? system : "UTC";
}

const zone = (name: string) =>
  z.string().refine(isZone, { message: `must be an IANA time zone name, e.g. ${name}=Europe/Berlin` });

const positive = (name: string, def: number, example: string) =>
  z.coerce
    .number({ error: `must be a number, e.g. ${name}=${example}` })
    .positive({ error: `must be above 0, e.g. ${name}=${example}` })
    .default(def);

const schema = z
  .object({
    REPORT_TZ: zone("REPORT_TZ").optional(),
    TZ: z.string().optional(),
    LOCAL_SOURCE: z.string().optional(),
    STARTING_POWER_W: positive("STARTING_POWER_W", 100, "100"),
    MAX_POWER_W: positive("MAX_POWER_W", 15_000, "15000"),
    DATA_DIR: z.string().default("./data"),
    INFLUX_URL: z.url({ error: "must be a URL, e.g. INFLUX_URL=http://localhost:8086" }).optional(),
    INFLUX_TOKEN: z.string().optional(),
    INFLUX_ORG: z.string().optional(),
    INFLUX_BUCKET: z.string().optional(),
    SHELLY_INTERVAL: positive("SHELLY_INTERVAL", 10, "10"),
    VIESSMANN_INTERVAL: positive("VIESSMANN_INTERVAL", 300, "300"),
    ...ANALYSIS_ENV,
    ...HOME_ENV,
  })
  .superRefine((c, ctx) => {
    checkAnalysisEnv(c, ctx);
    if (c.INFLUX_URL && !c.LOCAL_SOURCE) {
      for (const name of ["INFLUX_TOKEN", "INFLUX_ORG", "INFLUX_BUCKET"] as const) {
        if (!c[name])
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: "is required when INFLUX_URL is set (or set LOCAL_SOURCE to read line-protocol files)",
          });
      }
    }
  });

export type ReportSource =
  | { kind: "local"; path: string }
  | { kind: "influx"; url: string; token: string; org: string; bucket: string };

export interface ReportsConfig {
  /** IANA zone of local days: REPORT_TZ, else the machine's zone (machineZone). */
  readonly tz: string;
  readonly source: ReportSource;
  /** Absolute DATA_DIR; the cache lives in DATA_DIR/reports-cache. */
  readonly dataDir: string;
  /** Electric power at or above this counts as running (W, default 100). */
  readonly startingPowerW: number;
  /**
   * The most the installation can draw (W, default 15000: a heat pump with its backup heater). A
   * counter that rises faster, and a power reading above it, are outliers.
   */
  readonly maxPowerW: number;
  /**
   * The home read (HOME_ID, default `home`): the points tagged with it, and the untagged ones when
   * HOME_UNTAGGED (default HOME_ID) names it. What the meters cover follows from their roles.
   */
  readonly home: HomeSettings;
  /** Expected spacing of `electric` samples (ms, SHELLY_INTERVAL, default 10 s). */
  readonly elecIntervalMs: number;
  /** Expected spacing of `heatpump` samples (ms, VIESSMANN_INTERVAL, default 300 s). */
  readonly hpIntervalMs: number;
  readonly secrets: readonly string[];
  /** Degree-day base, indoor and design temperatures, prices (analysis-config.ts). */
  readonly settings: AnalysisSettings;
}

export function loadReportsConfig(env: Env, cwd = process.cwd()): ReportsConfig {
  const c = parseConfig(schema, withTokenFile(env, cwd));
  const tz = c.REPORT_TZ ?? machineZone(env);
  const dataDir = resolve(cwd, c.DATA_DIR);
  const source: ReportSource = c.LOCAL_SOURCE
    ? { kind: "local", path: resolve(cwd, c.LOCAL_SOURCE) }
    : c.INFLUX_URL
      ? {
          kind: "influx",
          url: c.INFLUX_URL,
          token: c.INFLUX_TOKEN!,
          org: c.INFLUX_ORG!,
          bucket: c.INFLUX_BUCKET!,
        }
      : { kind: "local", path: resolve(dataDir, JOURNAL_DIR) };
  return Object.freeze({
    tz,
    source,
    dataDir,
    startingPowerW: c.STARTING_POWER_W,
    maxPowerW: c.MAX_POWER_W,
    home: homeOf(c),
    elecIntervalMs: c.SHELLY_INTERVAL * 1000,
    hpIntervalMs: c.VIESSMANN_INTERVAL * 1000,
    secrets: [c.INFLUX_TOKEN].filter((s): s is string => !!s),
    settings: analysisSettings(c, { tz, cwd }),
  });
}
