/**
 * Pure parsers: raw Shelly RPC JSON in, typed readings out. Units are fixed here:
 * the device already reports W, V, A and Wh, so values pass through unscaled.
 *
 * Decisions (see README "Shelly setup" and README.md §3/§5 in this folder):
 * - A null or missing number is omitted, never written as 0 (a failed read is a gap).
 * - Component-level `errors` (power_meter_failure, ct_type_not_set, database_error, ...) fail the
 *   whole poll with ExpectedError("payload"): the readings cannot be trusted.
 *   Exception: `phase_sequence` only says the phases are wired A-C-B; the values are still
 *   measured, so it is a warning.
 * - Phase-level `out_of_range:*` (triphase `a_errors`, monophase `em1:N.errors`) omits only that
 *   phase's affected field; an out-of-range active power also omits `power_w`, whose sum includes it.
 * - Monophase sums (`power_w`, `energy_wh`, `energy_ret_wh`) are written only when all three
 *   channels have the value: a partial energy sum would look like a counter reset.
 */
import type { ElectricField } from "../../../../core/src/data/catalogue.ts";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { withoutControlChars } from "../../../../core/src/effects.ts";
import type {
  EM1DataGetStatus,
  EM1GetStatus,
  EMDataGetStatus,
  EMGetStatus,
  ShellyGetDeviceInfo,
  ShellyGetStatus,
} from "./types.ts";

export type ShellyProfile = "triphase" | "monophase";

export interface ShellyDevice {
  /** Device id, e.g. `shellypro3em-aabbccddeeff`: the `device` tag and the digest realm. */
  readonly id: string;
  readonly model: string;
  readonly firmware: string;
  readonly profile: ShellyProfile;
  readonly authEnabled: boolean;
}

export interface ElectricReading {
  /** Field name (catalogue ELECTRIC_FIELDS) -> value in the catalogue's unit. */
  readonly fields: Partial<Record<ElectricField, number>>;
  /** What was omitted or tolerated and why (phase out of range, phase sequence); empty when clean. */
  readonly notes: readonly string[];
}

const PHASES = ["a", "b", "c"] as const;
type Phase = (typeof PHASES)[number];

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;
export const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
/** Counters are Wh with 2 decimals on the device; summing floats adds noise like 324.68000000000006. */
export const roundWh = (x: number) => Math.round(x * 100) / 100;

const HINTS: Record<string, string> = {
  power_meter_failure: "the metering chip failed; power-cycle the meter and check its web UI",
  ct_type_not_set: "set the CT type in the meter's web UI (Energy Meter settings)",
  database_error: "the meter's energy database failed; check its web UI or reboot it",
};

export function failOnErrors(component: string, errors: readonly string[]): void {
  if (errors.length === 0) return;
  const hint = errors.map((e) => HINTS[e]).find((h) => h !== undefined) ?? "check the meter's web UI";
  throw new ExpectedError("payload", `${component} reports errors [${errors.join(", ")}]: ${hint}`);
}

/** A string from the device, as it may go into a tag and a log line: without control characters. */
const text = (v: unknown): string | undefined => (typeof v === "string" ? withoutControlChars(v) : undefined);

/**
 * Parses `Shelly.GetDeviceInfo` (bare result or a full `{result}` frame). Id, model and firmware lose
 * any control characters: the id becomes the `device` tag and starts log lines, and a newline in it
 * must not start a line of its own.
 */
export function parseDeviceInfo(raw: unknown): ShellyDevice {
  const info = (isObject(raw) && isObject(raw.result) ? raw.result : raw) as ShellyGetDeviceInfo;
  const id = isObject(info) ? text(info.id) : undefined;
  if (!id)
    throw new ExpectedError(
      "payload",
      "Shelly.GetDeviceInfo has no device id: is this a Shelly Gen2 device?",
    );
  return {
    id,
    model: text(info.model) ?? "unknown model",
    firmware: text(info.ver) ?? text(info.fw_id) ?? "unknown",
    // Firmware before 1.1.0 had only the triphase layout and no `profile` (README.md §1).
    profile: info.profile === "monophase" ? "monophase" : "triphase",
    authEnabled: info.auth_en === true,
  };
}

/** Parses `Shelly.GetStatus` into one `electric` reading; the layout (em:0 or em1:0..2) decides the profile. */
export function parseStatus(raw: unknown): ElectricReading {
  if (!isObject(raw)) throw new ExpectedError("payload", "Shelly.GetStatus did not answer a JSON object");
  const status = raw as ShellyGetStatus;
  let reading: ElectricReading;
  if (isObject(status["em:0"])) reading = parseTriphase(status["em:0"], status["emdata:0"]);
  else if (isObject(status["em1:0"])) reading = parseMonophase(status);
  else
    throw new ExpectedError(
      "payload",
      "Shelly.GetStatus has neither em:0 (triphase) nor em1:0 (monophase): is this a Shelly Pro 3EM?",
    );
  if (Object.keys(reading.fields).length === 0)
    throw new ExpectedError(
      "payload",
      `Shelly.GetStatus carried no usable value (${reading.notes.join("; ")})`,
    );
  return reading;
}

/** Splits `errors` into out_of_range:* (per phase, tolerated) and the rest (fatal for the poll). */
export function splitErrors(errors: readonly string[]) {
  const range = errors
    .filter((e) => e.startsWith("out_of_range:"))
    .map((e) => e.slice("out_of_range:".length));
  return { range, other: errors.filter((e) => !e.startsWith("out_of_range:")) };
}

/** Out-of-range quantity names (EM `active_power`, EM1 `act_power`) -> field kinds they spoil. */
export const isPower = (q: string) => q === "active_power" || q === "act_power";

export function parseTriphase(em: EMGetStatus, emdata: EMDataGetStatus | undefined): ElectricReading {
  const fields: Partial<Record<ElectricField, number>> = {};
  const notes: string[] = [];
  const errors = strings(em.errors);
  failOnErrors(
    "em:0",
    errors.filter((e) => e !== "phase_sequence"),
  );
  if (errors.includes("phase_sequence")) notes.push("em:0 reports phase_sequence (phases wired A-C-B)");
  let totalOk = true;
  for (const p of PHASES) {
    const range = strings(em[`${p}_errors`]).map((e) => e.replace(/^out_of_range:/, ""));
    if (range.length) notes.push(`phase ${p.toUpperCase()} out of range: ${range.join(", ")}`);
    const ok = (q: string) => !range.includes(q);
    setField(fields, `power_${p}_w`, ok("active_power") ? em[`${p}_act_power`] : undefined);
    setField(fields, `voltage_${p}_v`, ok("voltage") ? em[`${p}_voltage`] : undefined);
    setField(fields, `current_${p}_a`, ok("current") ? em[`${p}_current`] : undefined);
    if (range.some(isPower)) totalOk = false;
  }
  if (totalOk) setField(fields, "power_w", em.total_act_power);
  if (isObject(emdata)) {
    failOnErrors("emdata:0", strings(emdata.errors));
    setField(fields, "energy_wh", emdata.total_act);
    setField(fields, "energy_ret_wh", emdata.total_act_ret);
  } else notes.push("no emdata:0 in Shelly.GetStatus: energy counters omitted");
  return { fields, notes };
}

function parseMonophase(status: ShellyGetStatus): ElectricReading {
  const fields: Partial<Record<ElectricField, number>> = {};
  const notes: string[] = [];
  const power: (number | undefined)[] = [];
  const imported: (number | undefined)[] = [];
  const returned: (number | undefined)[] = [];
  PHASES.forEach((p: Phase, i) => {
    const ch = (status as Record<string, unknown>)[`em1:${i}`] as EM1GetStatus | undefined;
    const data = (status as Record<string, unknown>)[`em1data:${i}`] as EM1DataGetStatus | undefined;
    if (!isObject(ch)) notes.push(`no em1:${i} in Shelly.GetStatus`);
    else {
      const { range, other } = splitErrors(strings(ch.errors));
      failOnErrors(`em1:${i}`, other);
      if (range.length) notes.push(`em1:${i} (phase ${p.toUpperCase()}) out of range: ${range.join(", ")}`);
      const ok = (q: string) => !range.includes(q);
      const w = range.some(isPower) ? undefined : num(ch.act_power);
      power.push(w);
      setField(fields, `power_${p}_w`, w);
      setField(fields, `voltage_${p}_v`, ok("voltage") ? ch.voltage : undefined);
      setField(fields, `current_${p}_a`, ok("current") ? ch.current : undefined);
    }
    if (!isObject(data)) notes.push(`no em1data:${i} in Shelly.GetStatus`);
    else failOnErrors(`em1data:${i}`, strings(data.errors));
    imported.push(isObject(data) ? num(data.total_act_energy) : undefined);
    returned.push(isObject(data) ? num(data.total_act_ret_energy) : undefined);
  });
  const sum = (xs: (number | undefined)[]) =>
    xs.length === 3 && xs.every((x) => x !== undefined) ? xs.reduce((s: number, x) => s + x, 0) : undefined;
  const w = sum(power);
  if (w !== undefined) fields.power_w = Math.round(w * 1000) / 1000;
  const e = sum(imported);
  if (e !== undefined) fields.energy_wh = roundWh(e);
  const r = sum(returned);
  if (r !== undefined) fields.energy_ret_wh = roundWh(r);
  return { fields, notes };
}

export function setField(
  fields: Partial<Record<ElectricField, number>>,
  name: ElectricField,
  v: unknown,
): void {
  const n = num(v);
  if (n !== undefined) fields[name] = n;
}
