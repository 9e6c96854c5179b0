/**
 * Secrets that must never reach the published site: the InfluxDB token (variable or token file),
 * the Shelly and MQTT passwords and the Viessmann tokens in DATA_DIR/viessmann-token.json. The build scans
 * every file it writes and fails rather than publish one.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { VIESSMANN_TOKEN_FILE } from "../../core/src/data/data-dir.ts";
import type { Env } from "../../core/src/env.ts";

export interface Secret {
  /** Where it comes from (a variable or file name): safe to print. */
  name: string;
  value: string;
}

/** Values shorter than this would match by accident (and are not real tokens anyway). */
const MIN_LENGTH = 6;

export function collectSecrets(env: Env, dataDir: string): Secret[] {
  const out: Secret[] = [];
  const add = (name: string, value: unknown) => {
    if (typeof value === "string" && value.trim().length >= MIN_LENGTH)
      out.push({ name, value: value.trim() });
  };
  add("INFLUX_TOKEN", env.INFLUX_TOKEN);
  add("SHELLY_PASSWORD", env.SHELLY_PASSWORD);
  add("MQTT_PASSWORD", env.MQTT_PASSWORD);
  if (env.INFLUX_TOKEN_FILE && existsSync(env.INFLUX_TOKEN_FILE)) {
    add("INFLUX_TOKEN_FILE", readFileSync(env.INFLUX_TOKEN_FILE, "utf8"));
  }
  const tokenFile = join(dataDir, VIESSMANN_TOKEN_FILE);
  if (existsSync(tokenFile)) {
    try {
      const tokens = JSON.parse(readFileSync(tokenFile, "utf8")) as Record<string, unknown>;
      for (const [k, v] of Object.entries(tokens))
        if (/token|secret/i.test(k)) add(`${VIESSMANN_TOKEN_FILE} ${k}`, v);
    } catch {
      // An unreadable token file holds nothing we could leak in a readable form; the collector reports it.
    }
  }
  return out;
}

/** Names of the secrets found in `text` (never the values). */
export function secretsIn(text: string, secrets: readonly Secret[]): string[] {
  return secrets.filter((s) => text.includes(s.value)).map((s) => s.name);
}
