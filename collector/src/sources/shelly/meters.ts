/**
 * SHELLY_METERS: which Shelly meters the collector polls and what each one meters (its role).
 *
 *   SHELLY_METERS=heatpump=http://192.168.1.20,backup=http://192.168.1.21#em1:1
 *
 * Comma-separated `role=url[#channel]` items. Roles are the catalogue's METER_ROLES, one meter per role,
 * and the heat pump's own meter is required (every COP needs it). The channel names the component
 * of the device that meters this role, as the device names it in Shelly.GetStatus:
 * - `em:0`: a Pro 3EM in its triphase profile, the three phases together;
 * - `em1:<id>`: one channel of a Pro EM (ids 0, 1) or of a Pro 3EM in its monophase profile (0..2);
 * - `switch:<id>`: the metered output of a Plus/Pro 1PM (id 0) or of a 2PM/4PM (0..3).
 * Without a channel the device decides (index.ts, layout.ts): a Pro 3EM is read whole, a device
 * with one metered channel reads that one, a device with more asks for the channel.
 *
 * A meter's password is SHELLY_PASSWORD, or its own in the URL (`http://admin:pw@host`; the user is
 * always admin on a Shelly). A comma or `#` in such a password is written percent-encoded (%2C, %23).
 * Pure: returns meters or the problems, each naming the bad item and a correct example.
 */
import { METER_ROLES, type MeterRole } from "../../../../core/src/data/catalogue.ts";

/** A component of the device: `em:0`, `em1:1`, `switch:0`. */
export interface MeterChannel {
  readonly component: "em" | "em1" | "switch";
  readonly id: number;
}

export interface MeterSpec {
  readonly role: MeterRole;
  /** Base URL, without trailing slashes and without the `#channel`. */
  readonly url: string;
  /** undefined: the device decides (a Pro 3EM whole, a device's only metered channel). */
  readonly channel: MeterChannel | undefined;
  /** The password written into the URL, percent-decoded; undefined without one. */
  readonly password: string | undefined;
}

export const METERS_EXAMPLE = "SHELLY_METERS=heatpump=http://192.168.1.20,backup=http://192.168.1.21#em1:1";

const CHANNEL = /^(em|em1|switch):(\d{1,2})$/;

export function channelText(c: MeterChannel): string {
  return `${c.component}:${c.id}`;
}

function parseChannel(text: string): MeterChannel | undefined {
  const m = CHANNEL.exec(text);
  if (!m) return undefined;
  const component = m[1] as MeterChannel["component"];
  const id = Number(m[2]);
  // EM (the triphase meter) exists once, as em:0.
  if (component === "em" && id !== 0) return undefined;
  return { component, id };
}

function httpUrl(text: string): URL | undefined {
  try {
    const u = new URL(text);
    return u.protocol === "http:" || u.protocol === "https:" ? u : undefined;
  } catch {
    return undefined;
  }
}

function decoded(password: string): string {
  try {
    return decodeURIComponent(password);
  } catch {
    return password;
  }
}

/** Parses SHELLY_METERS; `problems` is empty when every item is valid and a heatpump meter is there. */
export function parseMeters(value: string): { meters: MeterSpec[]; problems: string[] } {
  const meters: MeterSpec[] = [];
  const problems: string[] = [];
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const item of items) {
    const eq = item.indexOf("=");
    const role = eq < 0 ? "" : item.slice(0, eq).trim();
    if (eq < 0 || /^[a-z]+:\/\//i.test(role)) {
      problems.push(`"${item}" names no role; write role=url, e.g. ${METERS_EXAMPLE}`);
      continue;
    }
    if (!(METER_ROLES as readonly string[]).includes(role)) {
      problems.push(
        `"${item}": unknown role "${role}"; roles are ${METER_ROLES.join(", ")}, e.g. ${METERS_EXAMPLE}`,
      );
      continue;
    }
    const rest = item.slice(eq + 1).trim();
    const hash = rest.lastIndexOf("#");
    const urlText = (hash < 0 ? rest : rest.slice(0, hash)).replace(/\/+$/, "");
    const url = httpUrl(urlText);
    if (!url) {
      problems.push(`"${item}": "${urlText}" is not an http(s) URL, e.g. ${METERS_EXAMPLE}`);
      continue;
    }
    let channel: MeterChannel | undefined;
    if (hash >= 0) {
      const text = rest.slice(hash + 1).trim();
      channel = parseChannel(text);
      if (!channel) {
        problems.push(
          `"${item}": channel "${text}" is not em:0, em1:<id> or switch:<id> ` +
            `(e.g. ${role}=${urlText}#em1:1 for a Pro EM's second channel, #switch:0 for a 1PM)`,
        );
        continue;
      }
    }
    if (meters.some((m) => m.role === role)) {
      problems.push(`role ${role} is given twice; one meter per role, e.g. ${METERS_EXAMPLE}`);
      continue;
    }
    meters.push({
      role: role as MeterRole,
      url: urlText,
      channel,
      password: url.password ? decoded(url.password) : undefined,
    });
  }
  if (problems.length === 0 && !meters.some((m) => m.role === "heatpump"))
    problems.push(
      `no heatpump meter: the heat pump's own meter is required (every COP needs it), e.g. ${METERS_EXAMPLE}`,
    );
  // The heat pump's meter first: it is the one the live values (MQTT) and the logs put first.
  meters.sort((a, b) => METER_ROLES.indexOf(a.role) - METER_ROLES.indexOf(b.role));
  return { meters, problems };
}
