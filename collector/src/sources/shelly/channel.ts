/**
 * Which part of a device a meter reads, and reading it. A Pro 3EM is read whole (parse.ts: `em:0`
 * triphase, or `em1:0..2` monophase summed); any other meter is one channel of its device, named in
 * SHELLY_METERS (`#em1:1`) or, when the device has exactly one metered channel, found in its
 * Shelly.GetStatus (a 1PM's `switch:0`). README.md in this folder, "Meters other than the Pro 3EM".
 *
 * One channel is one circuit: its voltage and current go into the `_a_` fields (the circuit's one
 * phase), its power into `power_w` (no `power_a_w` beside it: the same number twice), its counters
 * into `energy_wh` / `energy_ret_wh`. Pure: raw JSON in, readings or ExpectedError("payload") out.
 */
import type { ElectricField } from "../../../../core/src/data/catalogue.ts";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { channelText, type MeterChannel } from "./meters.ts";
import {
  type ElectricReading,
  failOnErrors,
  isObject,
  isPower,
  num,
  parseStatus,
  parseTriphase,
  setField,
  splitErrors,
  strings,
} from "./parse.ts";
import type { EM1DataGetStatus, EM1GetStatus, EMDataGetStatus, SwitchGetStatus } from "./types.ts";

/** What a meter reads: the whole Pro 3EM, or one component. */
export type MeterLayout = "whole" | MeterChannel;

type Status = Record<string, unknown>;

/** `app` of Shelly.GetDeviceInfo (bare result or frame), e.g. `Pro3EM`, `ProEM`, `Plus1PM`. */
export function deviceApp(raw: unknown): string | undefined {
  const info = isObject(raw) && isObject(raw.result) ? raw.result : raw;
  return isObject(info) && typeof info.app === "string" ? info.app : undefined;
}

/** A switch meters only when it reports power (a Plus 1 without PM has `switch:0` but no `apower`). */
const metered = (status: Status, key: string) => {
  const c = status[key];
  if (!isObject(c)) return false;
  return key.startsWith("switch:") ? "apower" in c : true;
};

/** The device's components a meter can read: `em:0`, `em1:<id>`, metered `switch:<id>`. */
export function meterComponents(status: Status): string[] {
  return Object.keys(status)
    .filter((k) => /^(em:0|em1:\d+|switch:\d+)$/.test(k) && metered(status, k))
    .sort();
}

/**
 * Decides what to read: the configured channel when the device has it, else the whole device for a
 * Pro 3EM (or a device answering `em:0`), else its only metered channel. `who` names the device in
 * messages (`shellyproem50-… (ProEM)`; the caller adds the URL).
 */
export function resolveLayout(
  raw: unknown,
  app: string | undefined,
  channel: MeterChannel | undefined,
  who: string,
): MeterLayout {
  if (!isObject(raw)) throw new ExpectedError("payload", "Shelly.GetStatus did not answer a JSON object");
  const have = meterComponents(raw);
  const list = have.length ? have.join(", ") : "no metering component";
  if (channel) {
    const key = channelText(channel);
    if (have.includes(key)) return channel;
    const hint = have.length ? `; name one of them after the URL in SHELLY_METERS, e.g. #${have[0]}` : "";
    const why = isObject(raw[key]) ? `${key} meters nothing (no apower)` : `there is no ${key}`;
    throw new ExpectedError("payload", `${who}: ${why} on this device, it has ${list}${hint}`);
  }
  // The Pro 3EM is read whole, as ever (app missing: firmware that predates it, a Pro 3EM then).
  if (app === undefined || app === "Pro3EM" || have.includes("em:0")) return "whole";
  const [only, ...more] = have;
  if (only !== undefined && more.length === 0) {
    const [component, id] = only.split(":");
    return { component: component as MeterChannel["component"], id: Number(id) };
  }
  throw new ExpectedError(
    "payload",
    have.length === 0
      ? `${who} has no metering component (em:0, em1:<id>, switch:<id> with power): is it a Shelly meter?`
      : `${who} has several metered channels (${list}); ` +
          `name the one of this meter after its URL in SHELLY_METERS, e.g. #${have[have.length - 1]}`,
  );
}

/** Reads one `electric` reading out of Shelly.GetStatus, as `layout` says. */
export function parseLayout(raw: unknown, layout: MeterLayout): ElectricReading {
  if (layout === "whole") return parseStatus(raw);
  if (!isObject(raw)) throw new ExpectedError("payload", "Shelly.GetStatus did not answer a JSON object");
  const key = channelText(layout);
  const component = raw[key];
  if (!isObject(component))
    throw new ExpectedError(
      "payload",
      `Shelly.GetStatus has no ${key} any more: was the device's profile changed?`,
    );
  const reading =
    layout.component === "em"
      ? parseTriphase(component, raw["emdata:0"] as EMDataGetStatus | undefined)
      : layout.component === "em1"
        ? parseEm1(layout.id, component, raw[`em1data:${layout.id}`])
        : parseSwitch(layout.id, component);
  if (Object.keys(reading.fields).length === 0)
    throw new ExpectedError("payload", `${key} carried no usable value (${reading.notes.join("; ")})`);
  return reading;
}

function parseEm1(id: number, ch: EM1GetStatus, data: unknown): ElectricReading {
  const fields: Partial<Record<ElectricField, number>> = {};
  const notes: string[] = [];
  const { range, other } = splitErrors(strings(ch.errors));
  failOnErrors(`em1:${id}`, other);
  if (range.length) notes.push(`em1:${id} out of range: ${range.join(", ")}`);
  setField(fields, "power_w", range.some(isPower) ? undefined : ch.act_power);
  setField(fields, "voltage_a_v", range.includes("voltage") ? undefined : ch.voltage);
  setField(fields, "current_a_a", range.includes("current") ? undefined : ch.current);
  if (!isObject(data)) notes.push(`no em1data:${id} in Shelly.GetStatus: energy counters omitted`);
  else {
    const d = data as EM1DataGetStatus;
    failOnErrors(`em1data:${id}`, strings(d.errors));
    setField(fields, "energy_wh", d.total_act_energy);
    setField(fields, "energy_ret_wh", d.total_act_ret_energy);
  }
  return { fields, notes };
}

/** Wh with the device's 3 decimals; a difference of floats adds noise like 109.99900000000001. */
const roundMilliWh = (x: number) => Math.round(x * 1000) / 1000;

function parseSwitch(id: number, sw: SwitchGetStatus): ElectricReading {
  const fields: Partial<Record<ElectricField, number>> = {};
  const notes: string[] = [];
  // Protections that switched the output off: the meter still measures (0 W, the voltage), so a note.
  const errors = strings(sw.errors);
  if (errors.length) notes.push(`switch:${id} reports ${errors.join(", ")} (the output is protected off)`);
  setField(fields, "power_w", sw.apower);
  setField(fields, "voltage_a_v", sw.voltage);
  setField(fields, "current_a_a", sw.current);
  const total = num(isObject(sw.aenergy) ? sw.aenergy.total : undefined);
  const ret = num(isObject(sw.ret_aenergy) ? sw.ret_aenergy.total : undefined);
  // `aenergy` counts both directions and `ret_aenergy` the returned part of it: imported = the difference.
  if (total !== undefined) fields.energy_wh = ret === undefined ? total : roundMilliWh(total - ret);
  if (ret !== undefined) fields.energy_ret_wh = ret;
  if (total === undefined) notes.push(`switch:${id} has no aenergy.total: energy counter omitted`);
  return { fields, notes };
}
