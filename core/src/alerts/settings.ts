/**
 * The alert settings, read from the environment (and `.env`) by the collector, the site builder and
 * `npm run alerts`: where notifications go (ntfy, a webhook), the builder's health check, and each
 * condition's threshold. Every variable has a default and is in README's configuration table.
 * zod/mini, like the collector's own configuration: this module is part of the collector's bundle.
 */
import * as z from "zod/mini";
import { type Env, parseConfig } from "../env.ts";
import { CONDITION_NAMES, type ConditionName, isConditionName } from "./conditions.ts";

const isHttpUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
};
const httpUrl = (name: string, example: string) =>
  z.optional(
    z.string().check(z.refine(isHttpUrl, { error: `must be an http(s) URL, e.g. ${name}=${example}` })),
  );

/** A number with a default and bounds; the message names the variable and an example. */
const bounded = (name: string, def: number, min: number, max: number, unit: string, integer = false) =>
  z._default(
    z.coerce.number({ error: `must be a number of ${unit}, e.g. ${name}=${def}` }).check(
      z.refine((n: number) => !integer || Number.isInteger(n), {
        error: `must be a whole number of ${unit}, e.g. ${name}=${def}`,
      }),
      z.minimum(min, { error: `must be at least ${min} ${unit}; e.g. ${name}=${def}` }),
      z.maximum(max, { error: `must be at most ${max} ${unit}; e.g. ${name}=${def}` }),
    ),
    def,
  );

/** A comma-separated list, trimmed, empty entries dropped. */
const list = () => z._default(z.pipe(z.string(), z.transform(splitList)), [] as string[]);

function splitList(s: string): string[] {
  return s
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

const schema = z.object({
  NTFY_URL: httpUrl("NTFY_URL", "https://ntfy.sh/heatpump-7f3k2q"),
  NTFY_TOKEN: z.optional(z.string()),
  ALERT_WEBHOOK_URL: httpUrl("ALERT_WEBHOOK_URL", "https://example.org/hooks/heatpump"),
  SITE_URL: httpUrl("SITE_URL", "http://heatpump.local:8080/"),
  HEALTHCHECK_URL: httpUrl("HEALTHCHECK_URL", "https://hc-ping.com/<uuid>"),
  ALERT_TIMEOUT_S: bounded("ALERT_TIMEOUT_S", 20, 1, 300, "seconds"),
  ALERT_REMIND_H: bounded("ALERT_REMIND_H", 24, 0, 24 * 30, "hours"),
  ALERTS_OFF: z._default(
    z.pipe(z.string(), z.transform(splitList)).check(
      z.refine((names: string[]) => names.every(isConditionName), {
        error: `must list condition names, among ${CONDITION_NAMES.join(", ")}`,
      }),
    ),
    [] as string[],
  ),
  ALERT_METER_SILENT_MIN: bounded("ALERT_METER_SILENT_MIN", 10, 1, 7 * 24 * 60, "minutes"),
  ALERT_HEATPUMP_SILENT_POLLS: bounded("ALERT_HEATPUMP_SILENT_POLLS", 3, 1, 1000, "polls", true),
  ALERT_DELIVERY_MIN: bounded("ALERT_DELIVERY_MIN", 30, 1, 7 * 24 * 60, "minutes"),
  ALERT_DEVICE_FAULT_IGNORE: list(),
  ALERT_SHORT_CYCLING_STARTS_PER_H: bounded(
    "ALERT_SHORT_CYCLING_STARTS_PER_H",
    3,
    0.1,
    60,
    "starts per hour",
  ),
  ALERT_SHORT_CYCLING_HOURS: bounded("ALERT_SHORT_CYCLING_HOURS", 6, 1, 48, "hours", true),
  ALERT_COP_LOW_PCT: bounded("ALERT_COP_LOW_PCT", 75, 1, 100, "percent"),
  ALERT_COP_LOW_DAYS: bounded("ALERT_COP_LOW_DAYS", 14, 3, 366, "days", true),
  ALERT_LOGIN_DAYS: bounded("ALERT_LOGIN_DAYS", 14, 1, 179, "days"),
  ALERT_DISK_MIN_PCT: bounded("ALERT_DISK_MIN_PCT", 5, 0, 100, "percent"),
  ALERT_DISK_MIN_GB: bounded("ALERT_DISK_MIN_GB", 1, 0, 1_000_000, "GB"),
});

export interface AlertSettings {
  /** The ntfy topic URL and its access token (a protected topic). */
  readonly ntfy: { readonly url: string; readonly token: string | undefined } | undefined;
  readonly webhook: { readonly url: string } | undefined;
  /** The site's public address, for the link in notifications (`url`, ntfy's Click). */
  readonly siteUrl: string | undefined;
  /** The builder's dead-man's switch (healthchecks.io and the like). */
  readonly healthcheckUrl: string | undefined;
  /** How long one channel may take for one notification, all attempts included, ms. */
  readonly timeoutMs: number;
  /** A reminder while an alert stays open, this often (ms); 0: never. */
  readonly remindMs: number;
  /** Conditions switched off (ALERTS_OFF). */
  readonly off: ReadonlySet<ConditionName>;
  readonly meterSilentMs: number;
  readonly heatpumpSilentPolls: number;
  readonly deliveryMs: number;
  /** Device message codes that never raise device_fault (ALERT_DEVICE_FAULT_IGNORE). */
  readonly deviceFaultIgnore: ReadonlySet<string>;
  readonly shortCyclingStartsPerH: number;
  readonly shortCyclingHours: number;
  readonly copLowPct: number;
  readonly copLowDays: number;
  readonly loginDays: number;
  readonly diskMinPct: number;
  readonly diskMinBytes: number;
  /** Values no log line may show (URLs, tokens and their secret parts); never on a page either. */
  readonly secrets: readonly string[];
}

const MIN = 60_000;

/** Validates the alert variables of `env`; throws ConfigError naming each bad one. */
export function loadAlertSettings(env: Env): AlertSettings {
  const c = parseConfig(schema, env);
  return Object.freeze({
    ntfy: c.NTFY_URL ? { url: c.NTFY_URL, token: c.NTFY_TOKEN } : undefined,
    webhook: c.ALERT_WEBHOOK_URL ? { url: c.ALERT_WEBHOOK_URL } : undefined,
    siteUrl: c.SITE_URL,
    healthcheckUrl: c.HEALTHCHECK_URL,
    timeoutMs: c.ALERT_TIMEOUT_S * 1000,
    remindMs: c.ALERT_REMIND_H * 60 * MIN,
    off: new Set(c.ALERTS_OFF.filter(isConditionName)),
    meterSilentMs: c.ALERT_METER_SILENT_MIN * MIN,
    heatpumpSilentPolls: c.ALERT_HEATPUMP_SILENT_POLLS,
    deliveryMs: c.ALERT_DELIVERY_MIN * MIN,
    deviceFaultIgnore: new Set(c.ALERT_DEVICE_FAULT_IGNORE),
    shortCyclingStartsPerH: c.ALERT_SHORT_CYCLING_STARTS_PER_H,
    shortCyclingHours: c.ALERT_SHORT_CYCLING_HOURS,
    copLowPct: c.ALERT_COP_LOW_PCT,
    copLowDays: c.ALERT_COP_LOW_DAYS,
    loginDays: c.ALERT_LOGIN_DAYS,
    diskMinPct: c.ALERT_DISK_MIN_PCT,
    diskMinBytes: c.ALERT_DISK_MIN_GB * 1e9,
    secrets: alertSecrets(env),
  });
}

/**
 * The secret parts of the alert variables, for the loggers' redaction and the builder's scan of its
 * pages: each URL whole and without its query, its path (an ntfy topic is a password; a webhook's
 * or a health check's path often holds its token), a long last path segment on its own, its query
 * values and a password in it; the ntfy token. Read from `env` as given, valid or not.
 */
export function alertSecrets(env: Env): string[] {
  const out = new Set<string>();
  const add = (s: string | undefined, min = 6) => {
    if (s && s.length >= min) out.add(s);
  };
  add(env.NTFY_TOKEN);
  for (const name of ["NTFY_URL", "ALERT_WEBHOOK_URL", "HEALTHCHECK_URL"] as const) {
    const raw = env[name];
    if (!raw) continue;
    add(raw);
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      continue;
    }
    add(decodeURIComponent(u.password));
    add(`${u.origin}${u.pathname}`);
    if (u.pathname.length > 1) add(u.pathname.replace(/\/+$/, ""), 4);
    // An ntfy topic is the password itself (a server's message may name it); a webhook's or a health
    // check's last segment only when it is long enough to be a token (not `/hooks/heatpump`).
    add(u.pathname.split("/").filter(Boolean).at(-1), name === "NTFY_URL" ? 10 : 16);
    for (const v of u.searchParams.values()) add(v, 8);
  }
  return [...out];
}

/** The names of the channels configured, for messages and the alerts page (never their addresses). */
export function channelNames(s: AlertSettings): string[] {
  return [...(s.ntfy ? ["ntfy"] : []), ...(s.webhook ? ["webhook"] : [])];
}
