/**
 * A fast path for the line shapes that make up almost all of the history: `electric` and
 * `heatpump` lines as the collector and the simulator write them (no escapes, no strings). Years of
 * 10 s data are millions of lines; they are read here byte by byte, without a string per line and
 * without a native call per field. An electric line gives the three fields the reports use and its
 * meter (the `role` tag); a heat pump line every field of the catalogue. A line of another home (the
 * `home` tag, home-filter.ts) is passed over. Anything unusual (a backslash anywhere, a quote in the
 * fields, an exponent, more than 15 digits, an `I` as in `-Infinity` in the fields) answers false
 * and the caller uses parseLine, the reference parser, which unescapes tags as the line-protocol
 * spec says and refuses a value that is not a finite number (the line is then a bad line, never a
 * NaN in a mean); a test checks both agree on simulated history.
 */
import type { HomeSettings } from "../../../core/src/data/home.ts";
import { DEFAULT_METER_ROLE, METER_ROLES } from "../../../core/src/data/catalogue.ts";
import { meterIndex } from "./home-filter.ts";
import { HP_FIELDS, type SampleBuilder } from "./samples.ts";

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const ELECTRIC = bytes("electric");
const HEATPUMP = bytes("heatpump");
const POWER = bytes("power_w");
const ENERGY = bytes("energy_wh");
const RETURNED = bytes("energy_ret_wh");
const HOME_KEY = bytes("home");
const ROLE_KEY = bytes("role");
const ROLE_NAMES = METER_ROLES.map(bytes);
const HEATPUMP_METER = meterIndex(DEFAULT_METER_ROLE);

/** The home a store reads, its name as bytes (home-filter.ts isHome, for bytes). */
export interface LineHome {
  id: Uint8Array;
  readsUntagged: boolean;
}
export const lineHome = (h: HomeSettings): LineHome => ({
  id: new Uint8Array(Buffer.from(h.id, "utf8")),
  readsUntagged: h.readsUntagged,
});

/** buf[a..b) equals `word`. */
function equals(buf: Uint8Array, a: number, b: number, word: Uint8Array): boolean {
  return b - a === word.length && startsWith(buf, a, word);
}

/** A heat pump field's name bytes hashed (FNV-1a), to find its index without making a string. */
function hash(buf: Uint8Array, a: number, b: number): number {
  let h = 0x811c9dc5;
  for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}
const HP_NAMES = HP_FIELDS.map(bytes);
const HP_INDEX = new Map<number, number>(HP_NAMES.map((name, i) => [hash(name, 0, name.length), i] as const));
/** Index in HP_FIELDS of the field named buf[a..b), or -1. */
function hpField(buf: Uint8Array, a: number, b: number): number {
  const i = HP_INDEX.get(hash(buf, a, b));
  return i !== undefined && HP_NAMES[i]!.length === b - a && startsWith(buf, a, HP_NAMES[i]!) ? i : -1;
}
/** The values of the heat pump line being read, in HP_FIELDS order. */
const row = new Float64Array(HP_FIELDS.length);

/** Byte classes of the field scan: anything not PLAIN ends a key or value or needs parseLine. */
const PLAIN = 0;
const SPACE = 1;
const COMMA = 2;
const EQUALS = 3;
// A backslash or a quote (escapes and strings are parseLine's), or an `I`: `Infinity` reads as a
// number but is no reading, and a value of a field not read here is not looked at otherwise.
const ODD = 4;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const CLASS = new Uint8Array(256);
CLASS[32] = SPACE;
CLASS[44] = COMMA;
CLASS[61] = EQUALS;
CLASS[92] = ODD;
CLASS[34] = ODD;
CLASS[73] = ODD;

/** buf[at..at+word.length) equals `word`. */
function startsWith(buf: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (buf[at + i] !== word[i]) return false;
  return true;
}

/**
 * Reads the field value in buf[a..b): a decimal (sign, digits, point; exact as Number() reads it),
 * an integer with an `i` or `u` suffix, or a boolean (1 or 0). NaN for anything else (the caller
 * falls back to parseLine).
 */
function value(buf: Uint8Array, a: number, b: number): number {
  let i = a;
  const first = buf[i];
  if (first === 116 || first === 84 || first === 102 || first === 70) {
    // t, T, true, True, TRUE; f, F, false, False, FALSE
    const word = String.fromCharCode(...buf.subarray(a, b));
    if (word === "t" || word === "T" || word === "true" || word === "True" || word === "TRUE") return 1;
    if (word === "f" || word === "F" || word === "false" || word === "False" || word === "FALSE") return 0;
    return Number.NaN;
  }
  let end = b;
  const last = buf[b - 1];
  const integer = last === 105 || last === 117; // i, u
  if (integer) end--;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  let mant = 0;
  let scale = 0;
  let digits = 0;
  let dot = false;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (dot) scale++;
    } else if (c === 46 && !dot && !integer) dot = true;
    else return Number.NaN;
  }
  // Beyond 15 significant digits or 22 decimals the division is no longer exact: use Number().
  if (digits === 0 || digits > 15 || scale > 22) return Number.NaN;
  const v = scale === 0 ? mant : mant / POW10[scale]!;
  return neg ? -v : v;
}

/** Set by field(): the position of the field's `=` (-1 when it is not a plain key=value). */
let fieldEq = -1;

/**
 * Scans the field starting at `k`; returns its end (a comma, or the space before the timestamp)
 * and sets fieldEq. (No object per field: this runs millions of times.)
 */
function field(buf: Uint8Array, k: number, to: number): number {
  let eq = -1;
  let end = k;
  for (; end < to; end++) {
    const c = CLASS[buf[end]!]!;
    if (c === PLAIN) continue;
    if (c === EQUALS && eq < 0) eq = end;
    else if (c === COMMA || c === SPACE) break;
    else {
      fieldEq = -1;
      return end;
    }
  }
  fieldEq = eq <= k || end === eq + 1 ? -1 : eq;
  return end;
}

/** The start of the field that ends at `end` (after the comma before it, not before `floor`). */
function fieldStart(buf: Uint8Array, end: number, floor: number): number {
  let c = end - 1;
  while (c > floor && buf[c] !== 44) c--;
  return c + 1;
}

/**
 * The writers' own electric shape, read without the fields in between: `power_w` first, then
 * `energy_wh` and `energy_ret_wh` (or only `energy_wh`) last before the timestamp. Ten of the
 * twelve fields are never looked at, so only a `clean` line (no `I`: no `Infinity` in them) is read
 * so. False when the line is not of that shape (then every field is read); a field repeated in the
 * middle of such a line would be missed (no writer does that). `fieldsEnd`: the space before the
 * timestamp.
 */
function electricShortcut(
  buf: Uint8Array,
  k: number,
  fieldsEnd: number,
  ms: number,
  b: SampleBuilder,
  meter: number,
): boolean {
  // Keys are matched byte for byte and values must be plain numbers (value() checks every byte),
  // so an escape or a string anywhere in what is read sends the line to the full scan.
  if (!startsWith(buf, k, POWER) || buf[k + 7] !== 61) return false;
  let powerEnd = k + 8;
  while (powerEnd < fieldsEnd && buf[powerEnd] !== 44) powerEnd++;
  if (powerEnd >= fieldsEnd) return false;
  const power = value(buf, k + 8, powerEnd);
  const lastStart = fieldStart(buf, fieldsEnd, powerEnd);
  let energy: number;
  let returned = Number.NaN;
  if (startsWith(buf, lastStart, RETURNED) && buf[lastStart + 13] === 61) {
    returned = value(buf, lastStart + 14, fieldsEnd);
    const prevStart = fieldStart(buf, lastStart - 1, powerEnd);
    if (!startsWith(buf, prevStart, ENERGY) || buf[prevStart + 9] !== 61) return false;
    energy = value(buf, prevStart + 10, lastStart - 1);
    if (Number.isNaN(returned)) return false;
  } else if (startsWith(buf, lastStart, ENERGY) && buf[lastStart + 9] === 61) {
    energy = value(buf, lastStart + 10, fieldsEnd);
  } else return false;
  if (Number.isNaN(power) || Number.isNaN(energy)) return false;
  b.addElectric(ms, power, energy, returned, meter);
  return true;
}

/**
 * Adds the line buf[from..to) (its time already read: `ms`) to `b` when it is an electric or heat
 * pump line of the plain shape and of `home`; true too when it is such a line of another home, or
 * of a meter role the catalogue does not know (passed over, as SampleBuilder.add does); false when
 * the caller must parse it with parseLine. `clean`: the caller knows the line holds no backslash,
 * no quote and no `I`; `tsStart`: where its timestamp starts, when the caller knows (-1: read every
 * field).
 */
export function fastLine(
  buf: Buffer,
  from: number,
  to: number,
  ms: number,
  b: SampleBuilder,
  home: LineHome,
  clean = false,
  tsStart = -1,
): boolean {
  const electric = startsWith(buf, from, ELECTRIC) && (buf[from + 8] === 44 || buf[from + 8] === 32);
  const heatpump =
    !electric && startsWith(buf, from, HEATPUMP) && (buf[from + 8] === 44 || buf[from + 8] === 32);
  if (!electric && !heatpump) return false;
  // Tags: `,key=value` up to the first space; `home` and `role` are read (the last of each wins, as
  // in parseLine). A backslash (an escape) is parseLine's; a quote or an `I` is a plain byte there.
  let k = from + 8;
  let homeAt = -1;
  let homeEnd = -1;
  let roleAt = -1;
  let roleEnd = -1;
  while (buf[k] === 44) {
    const key = k + 1;
    let eq = -1;
    for (k = key; k < to; k++) {
      const c = buf[k]!;
      if (c === 44 || c === 32) break;
      if (c === 61) {
        if (eq < 0) eq = k;
      } else if (c === 92) return false;
    }
    if (eq < 0) return false;
    if (eq - key === 4) {
      if (startsWith(buf, key, HOME_KEY)) {
        homeAt = eq + 1;
        homeEnd = k;
      } else if (startsWith(buf, key, ROLE_KEY)) {
        roleAt = eq + 1;
        roleEnd = k;
      }
    }
  }
  if (k >= to || buf[k] !== 32) return false;
  // Another home's line (an empty tag is no tag): handled, nothing added.
  if (homeAt < 0 || homeAt === homeEnd ? !home.readsUntagged : !equals(buf, homeAt, homeEnd, home.id))
    return true;
  let meter = HEATPUMP_METER;
  if (electric && roleAt >= 0 && roleAt < roleEnd) {
    meter = -1;
    for (let i = 0; i < ROLE_NAMES.length && meter < 0; i++)
      if (equals(buf, roleAt, roleEnd, ROLE_NAMES[i]!)) meter = i;
    // A role the catalogue does not know: no meter of ours.
    if (meter < 0) return true;
  }
  k++;
  if (
    clean &&
    electric &&
    tsStart > k &&
    buf[tsStart - 1] === 32 &&
    electricShortcut(buf, k, tsStart - 1, ms, b, meter)
  )
    return true;
  let power = Number.NaN;
  let energy = Number.NaN;
  let returned = Number.NaN;
  // A heat pump line's values are gathered first, so a line given up half-way adds nothing.
  if (heatpump) row.fill(Number.NaN);
  while (k < to) {
    // key=value, up to the next comma or the space before the timestamp: one table look per byte.
    const end = field(buf, k, to);
    const eq = fieldEq;
    if (eq < 0) return false;
    const len = eq - k;
    if (electric) {
      const v = len === 7 || len === 9 || len === 13 ? value(buf, eq + 1, end) : 0;
      if (len === 7 && startsWith(buf, k, POWER)) power = v;
      else if (len === 9 && startsWith(buf, k, ENERGY)) energy = v;
      else if (len === 13 && startsWith(buf, k, RETURNED)) returned = v;
      else {
        if (end >= to || buf[end] === 32) break;
        k = end + 1;
        continue;
      }
      if (Number.isNaN(v)) return false;
    } else {
      const index = hpField(buf, k, eq);
      if (index >= 0) {
        const v = value(buf, eq + 1, end);
        if (Number.isNaN(v)) return false;
        row[index] = v;
      }
    }
    if (end >= to || buf[end] === 32) break;
    k = end + 1;
  }
  if (electric) b.addElectric(ms, power, energy, returned, meter);
  else b.addHeatpump(ms, row);
  return true;
}
