/**
 * The MQTT output's settings (README, "Home Assistant and MQTT"), read the same way by the collector
 * and the site builder. MQTT is off without MQTT_URL. Checked by hand rather than with zod: the
 * collector's bundle keeps only the zod it already uses.
 *
 * - MQTT_URL: `mqtt://host[:1883]` or `mqtts://host[:8883]`. A `user:password@` in it is used when
 *   MQTT_USERNAME / MQTT_PASSWORD are unset, and never shown (`displayUrl` has no credentials).
 * - MQTT_BASE_TOPIC (default `heatpump`) and MQTT_DISCOVERY_PREFIX (default `homeassistant`): topic
 *   levels without wildcards (`+`, `#`), empty levels or a leading `$` (the broker's own topics).
 * - HOME_ID (default `home`): part of every topic, client id and Home Assistant unique_id, so two
 *   installations can share a broker; letters, digits, `_` and `-` only, as Home Assistant requires
 *   of the ids in a discovery topic.
 */
import { ConfigError, type Env } from "../env.ts";

export interface MqttConfig {
  /** The broker's URL without credentials (as written otherwise): what connects and what logs show. */
  readonly url: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly baseTopic: string;
  readonly discoveryPrefix: string;
  readonly homeId: string;
}

const MQTT_DEFAULTS = {
  baseTopic: "heatpump",
  discoveryPrefix: "homeassistant",
  homeId: "home",
} as const;

/** Letters, digits, `_` and `-`: Home Assistant's rule for the node and object ids of a discovery topic. */
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Why `topic` cannot be a prefix of topics we publish, or undefined when it can. */
function topicProblem(topic: string): string | undefined {
  if (/[+#]/.test(topic)) return "must not contain the wildcards + or #";
  if (topic.startsWith("$")) return "must not start with $ (the broker's own topics)";
  if (topic.split("/").some((level) => level === ""))
    return "must not have empty levels (// or a / at an end)";
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  if (/[\u0000-\u001f\u007f]/.test(topic)) return "must not contain control characters";
  return undefined;
}

/**
 * MQTT settings from `env`, or undefined when MQTT_URL is unset. Throws ConfigError naming each bad
 * variable and the fix (never a password).
 */
export function loadMqttConfig(env: Env): MqttConfig | undefined {
  const raw = env.MQTT_URL;
  if (!raw) return undefined;
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // Left undefined: reported below without echoing the value (it may hold a password).
  }
  if (!url || (url.protocol !== "mqtt:" && url.protocol !== "mqtts:") || !url.hostname)
    problems.push(
      "MQTT_URL: must be mqtt://host:port or mqtts://host:port, e.g. MQTT_URL=mqtt://192.168.1.10:1883",
    );
  const setting = (name: string, def: string) => {
    const v = env[name] ?? def;
    const problem = topicProblem(v);
    if (problem) problems.push(`${name}: ${problem}, e.g. ${name}=${def}`);
    return v;
  };
  const baseTopic = setting("MQTT_BASE_TOPIC", MQTT_DEFAULTS.baseTopic);
  const discoveryPrefix = setting("MQTT_DISCOVERY_PREFIX", MQTT_DEFAULTS.discoveryPrefix);
  const homeId = env.HOME_ID ?? MQTT_DEFAULTS.homeId;
  if (!ID_PATTERN.test(homeId) || homeId.length > 64)
    problems.push("HOME_ID: must be 1-64 letters, digits, _ or -, e.g. HOME_ID=home");
  const username = env.MQTT_USERNAME ?? (url?.username ? decodeURIComponent(url.username) : undefined);
  const password = env.MQTT_PASSWORD ?? (url?.password ? decodeURIComponent(url.password) : undefined);
  if (password !== undefined && username === undefined)
    problems.push("MQTT_PASSWORD: is set without MQTT_USERNAME; MQTT needs the user name with a password");
  if (problems.length > 0) throw new ConfigError(problems);
  url!.username = "";
  url!.password = "";
  // URL#toString adds a "/" to a bare host; the broker takes none.
  const display = url!.toString().replace(/\/$/, "");
  return Object.freeze({ url: display, username, password, baseTopic, discoveryPrefix, homeId });
}

/** The secrets among the MQTT settings (MQTT_PASSWORD, a password in MQTT_URL), for the logger. */
export function mqttSecrets(env: Env): string[] {
  const out: string[] = [];
  if (env.MQTT_PASSWORD) out.push(env.MQTT_PASSWORD);
  try {
    const pw = env.MQTT_URL ? new URL(env.MQTT_URL).password : "";
    if (pw) out.push(pw, decodeURIComponent(pw));
  } catch {
    // Not a URL: loadMqttConfig says so; nothing to hide in it beyond what the logger blanks anyway.
  }
  return [...new Set(out)];
}
