/**
 * The collector's configuration: environment variables (and `.env`), validated once at start into
 * a frozen, typed Config. The only reader of the environment in the collector.
 * Every variable is documented in README.md's configuration table.
 */
import { isIP } from "node:net";
import { resolve } from "node:path";
// zod/mini: the same validation core as `zod` with functions instead of methods, so the production
// bundle keeps only what is used (about 7 MB less RSS than the full `zod`; run from .ts sources both
// load every zod module, no difference). See README.md, "Production runs a bundle".
import * as z from "zod/mini";
import { type Env, parseConfig, readEnv, withTokenFile } from "../../core/src/env.ts";
import { type AlertSettings, loadAlertSettings } from "../../core/src/alerts/settings.ts";
import { loadMqttConfig, type MqttConfig, mqttSecrets } from "../../core/src/mqtt/config.ts";
import { passwordsOf } from "./url-credentials.ts";
import { DEFAULT_MAX_POWER_W } from "./plausibility.ts";
import { budgetProblem } from "./sources/viessmann/refresh-reserve.ts";
import { HOME_ENV, homeOf, type HomeSettings } from "../../core/src/data/home.ts";
import type { MeterRole } from "../../core/src/data/catalogue.ts";
import { type MeterChannel, parseMeters } from "./sources/shelly/meters.ts";

const seconds = (name: string, def: number, min: number, max: number) =>
  z._default(
    z.coerce
      .number({ error: `must be a number of seconds, e.g. ${name}=${def}` })
      .check(
        z.int({ error: `must be a whole number of seconds, e.g. ${name}=${def}` }),
        z.minimum(min, { error: `must be at least ${min} seconds; set e.g. ${name}=${def}` }),
        z.maximum(max, { error: `must be at most ${max} seconds; set e.g. ${name}=${def}` }),
      ),
    def,
  );

const httpUrlExact = (name: string, example: string) =>
  z.string().check(
    z.refine(
      (s) => {
        try {
          const u = new URL(s);
          return u.protocol === "http:" || u.protocol === "https:";
        } catch {
          return false;
        }
      },
      { error: `must be an http(s) URL, e.g. ${name}=${example}` },
    ),
  );
/** A base URL without trailing slashes. */
const httpUrl = (name: string, example: string) =>
  z.pipe(
    httpUrlExact(name, example),
    z.transform((s: string) => s.replace(/\/+$/, "")),
  );

const schema = z
  .object({
    DATA_DIR: z._default(z.string(), "./data"),
    SHELLY_URL: z.optional(httpUrl("SHELLY_URL", "http://192.168.1.50")),
    // Several meters with roles (sources/shelly/meters.ts); SHELLY_URL alone is one heatpump meter.
    SHELLY_METERS: z.optional(z.string()),
    SHELLY_PASSWORD: z.optional(z.string()),
    SHELLY_INTERVAL: seconds("SHELLY_INTERVAL", 10, 1, 3600),
    INFLUX_URL: z.optional(httpUrl("INFLUX_URL", "http://localhost:8086")),
    INFLUX_TOKEN: z.optional(z.string()),
    INFLUX_ORG: z.optional(z.string()),
    INFLUX_BUCKET: z.optional(z.string()),
    INFLUX_FLUSH_INTERVAL: seconds("INFLUX_FLUSH_INTERVAL", 10, 1, 3600),
    VIESSMANN_CLIENT_ID: z.optional(z.string()),
    VIESSMANN_INTERVAL: seconds("VIESSMANN_INTERVAL", 300, 60, 86_400),
    VIESSMANN_DAILY_BUDGET: z._default(
      z.coerce
        .number({ error: "must be a number of calls per UTC day, e.g. VIESSMANN_DAILY_BUDGET=1400" })
        .check(
          z.int({ error: "must be a whole number of calls, e.g. VIESSMANN_DAILY_BUDGET=1400" }),
          z.minimum(10, { error: "must be at least 10 calls per day; the free plan allows 1450" }),
          z.maximum(100_000, { error: "is too large; the free plan allows 1450 calls per day" }),
        ),
      1400,
    ),
    VIESSMANN_API_URL: z._default(
      httpUrl("VIESSMANN_API_URL", "https://api.viessmann-climatesolutions.com"),
      "https://api.viessmann-climatesolutions.com",
    ),
    VIESSMANN_AUTH_URL: z._default(
      httpUrl("VIESSMANN_AUTH_URL", "https://iam.viessmann-climatesolutions.com"),
      "https://iam.viessmann-climatesolutions.com",
    ),
    // Kept exactly as given: the redirect URI must match the registered one byte for byte.
    VIESSMANN_REDIRECT_URI: z._default(
      httpUrlExact("VIESSMANN_REDIRECT_URI", "http://localhost:4200/"),
      "http://localhost:4200/",
    ),
    // Where `npm run login` waits for the browser: an IP address, never a name (no DNS surprises).
    VIESSMANN_LOGIN_LISTEN: z.optional(
      z.string().check(
        z.refine((s) => isIP(s) !== 0, {
          error:
            "must be an IP address to listen on, e.g. VIESSMANN_LOGIN_LISTEN=0.0.0.0 inside a container " +
            "whose port is published, or 127.0.0.1",
        }),
      ),
    ),
    VIESSMANN_INSTALLATION_ID: z.optional(z.string()),
    VIESSMANN_GATEWAY_SERIAL: z.optional(z.string()),
    VIESSMANN_DEVICE_ID: z.optional(z.string()),
    // The same variable, default and meaning as the report engine's (reports/src/config.ts).
    MAX_POWER_W: z._default(
      z.coerce
        .number({ error: "must be a number of watts, e.g. MAX_POWER_W=15000" })
        .check(z.positive({ error: "must be above 0, e.g. MAX_POWER_W=15000" })),
      DEFAULT_MAX_POWER_W,
    ),
    // The same variable, default and meaning as the report engine's: the live compressor state and
    // COP now (MQTT) count the heat pump as running from this power on.
    STARTING_POWER_W: z._default(
      z.coerce
        .number({ error: "must be a number of watts, e.g. STARTING_POWER_W=100" })
        .check(z.positive({ error: "must be above 0, e.g. STARTING_POWER_W=100" })),
      100,
    ),
    ...HOME_ENV,
    LOG_LEVEL: z._default(
      z.enum(["debug", "info", "warn", "error"], { error: "must be one of debug, info, warn, error" }),
      "info",
    ),
  })
  .check(
    z.superRefine((c, ctx) => {
      const budget = c.VIESSMANN_CLIENT_ID
        ? budgetProblem(c.VIESSMANN_DAILY_BUDGET, c.VIESSMANN_INTERVAL)
        : undefined;
      if (budget) ctx.addIssue({ code: "custom", path: ["VIESSMANN_DAILY_BUDGET"], message: budget });
      if (c.SHELLY_METERS !== undefined && c.SHELLY_URL !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["SHELLY_METERS"],
          message:
            "and SHELLY_URL are both set; set one: SHELLY_URL for the heat pump's meter alone, or " +
            `SHELLY_METERS with it as heatpump=${c.SHELLY_URL} among the others`,
        });
      else if (c.SHELLY_METERS !== undefined)
        for (const message of parseMeters(c.SHELLY_METERS).problems)
          ctx.addIssue({ code: "custom", path: ["SHELLY_METERS"], message });
      if (c.INFLUX_URL) {
        for (const name of ["INFLUX_TOKEN", "INFLUX_ORG", "INFLUX_BUCKET"] as const) {
          if (!c[name])
            ctx.addIssue({
              code: "custom",
              path: [name],
              message:
                "is required when INFLUX_URL is set (or unset INFLUX_URL to keep data in the local journal only)",
            });
        }
      }
    }),
  );

export interface ShellyConfig {
  readonly url: string;
  readonly password: string | undefined;
  /** Poll interval, ms. Default 10 s. */
  readonly intervalMs: number;
}

/** One meter of SHELLY_METERS (or SHELLY_URL: the heatpump meter, no channel). */
export interface ShellyMeterConfig extends ShellyConfig {
  readonly role: MeterRole;
  /** The device component that meters this role; undefined: the device decides. */
  readonly channel: MeterChannel | undefined;
  /** Where its URL was set, for messages: `SHELLY_METERS (backup)`; undefined: SHELLY_URL. */
  readonly setting?: string;
}

export interface InfluxConfig {
  readonly url: string;
  readonly token: string;
  readonly org: string;
  readonly bucket: string;
  /** How often the collector sends new journal lines to InfluxDB, ms. Default 10 s. */
  readonly flushIntervalMs?: number;
}

export interface ViessmannConfig {
  readonly clientId: string;
  /** Wanted poll interval, ms (default 300 s); stretched when the budget is short. */
  readonly intervalMs: number;
  /** Calls per UTC day, all calls counted (default 1400 of the free plan's 1450). */
  readonly dailyBudget: number;
  readonly apiUrl: string;
  readonly authUrl: string;
  readonly redirectUri: string;
  /**
   * Address `npm run login` listens on for the browser's redirect (VIESSMANN_LOGIN_LISTEN). Default:
   * the loopback address of the redirect URI's host, so nobody else on the network reaches it.
   */
  readonly loginListen?: string | undefined;
  readonly installationId: string | undefined;
  readonly gatewaySerial: string | undefined;
  readonly deviceId: string | undefined;
}

export interface Config {
  /** Absolute path of the data directory (journal, tokens, budget, caches). */
  readonly dataDir: string;
  /** The heat pump's meter (SHELLY_URL, or SHELLY_METERS' heatpump), undefined without a Shelly. */
  readonly shelly: ShellyConfig | undefined;
  /** Every Shelly meter, the heatpump one first; each is polled on its own (one source each). */
  readonly meters: readonly ShellyMeterConfig[];
  /** HOME_ID and HOME_UNTAGGED: the `home` tag written on every point. */
  readonly home: HomeSettings;
  readonly influx: InfluxConfig | undefined;
  readonly viessmann: ViessmannConfig | undefined;
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /**
   * The most the installation can draw, W (MAX_POWER_W, default 15000): a power reading beyond ±this
   * is left out as implausible (plausibility.ts).
   */
  readonly maxPowerW: number;
  /** Where alerts go and their thresholds (NTFY_URL, ALERT_*; core/src/alerts/settings.ts). */
  readonly alerts: AlertSettings;
  /** The MQTT output to Home Assistant (MQTT_URL, ...; core/src/mqtt/config.ts), or undefined without it. */
  readonly mqtt: MqttConfig | undefined;
  /** STARTING_POWER_W: the power (W) from which the heat pump counts as running (live values over MQTT). */
  readonly startingPowerW: number;
  /** Secret values, for the logger's redaction (passwords written into a URL included). */
  readonly secrets: readonly string[];
}

/** Validates `env` (default: process.env + .env) into a frozen Config; throws ConfigError. */
export function loadConfig(env: Env = readEnv(), cwd = process.cwd()): Config {
  const c = parseConfig(schema, withTokenFile(env, cwd));
  const alerts = loadAlertSettings(env);
  const mqtt = loadMqttConfig(env);
  const intervalMs = c.SHELLY_INTERVAL * 1000;
  const meters: ShellyMeterConfig[] = c.SHELLY_METERS
    ? parseMeters(c.SHELLY_METERS).meters.map((m) => ({
        url: m.url,
        // A password written into the meter's URL is that meter's; SHELLY_PASSWORD the others'.
        password: m.password ?? c.SHELLY_PASSWORD,
        intervalMs,
        role: m.role,
        channel: m.channel,
        setting: `SHELLY_METERS (${m.role})`,
      }))
    : c.SHELLY_URL
      ? [{ url: c.SHELLY_URL, password: c.SHELLY_PASSWORD, intervalMs, role: "heatpump", channel: undefined }]
      : [];
  const heatpump = meters.find((m) => m.role === "heatpump");
  const config: Config = {
    dataDir: resolve(cwd, c.DATA_DIR),
    shelly: heatpump && { url: heatpump.url, password: heatpump.password, intervalMs },
    meters,
    home: homeOf(c),
    influx: c.INFLUX_URL
      ? {
          url: c.INFLUX_URL,
          token: c.INFLUX_TOKEN!,
          org: c.INFLUX_ORG!,
          bucket: c.INFLUX_BUCKET!,
          flushIntervalMs: c.INFLUX_FLUSH_INTERVAL * 1000,
        }
      : undefined,
    viessmann: c.VIESSMANN_CLIENT_ID
      ? {
          clientId: c.VIESSMANN_CLIENT_ID,
          intervalMs: c.VIESSMANN_INTERVAL * 1000,
          dailyBudget: c.VIESSMANN_DAILY_BUDGET,
          apiUrl: c.VIESSMANN_API_URL,
          authUrl: c.VIESSMANN_AUTH_URL,
          redirectUri: c.VIESSMANN_REDIRECT_URI,
          loginListen: c.VIESSMANN_LOGIN_LISTEN,
          installationId: c.VIESSMANN_INSTALLATION_ID,
          gatewaySerial: c.VIESSMANN_GATEWAY_SERIAL,
          deviceId: c.VIESSMANN_DEVICE_ID,
        }
      : undefined,
    logLevel: c.LOG_LEVEL,
    maxPowerW: c.MAX_POWER_W,
    alerts,
    mqtt,
    startingPowerW: c.STARTING_POWER_W,
    secrets: [
      c.SHELLY_PASSWORD,
      c.INFLUX_TOKEN,
      ...[c.SHELLY_URL, c.INFLUX_URL, c.VIESSMANN_API_URL, c.VIESSMANN_AUTH_URL].flatMap(passwordsOf),
      // SHELLY_METERS' URLs (SHELLY_URL's is above).
      ...(c.SHELLY_METERS ? meters.flatMap((m) => passwordsOf(m.url)) : []),
      ...alerts.secrets,
      ...mqttSecrets(env),
    ].filter((s): s is string => !!s),
  };
  return Object.freeze(config);
}
