/**
 * InfluxDB line protocol, the one format for the journal, the simulator's history and the local
 * report source. Numbers are always written as floats (no `i` suffix) so a field never changes type
 * between points; timestamps are nanoseconds since the epoch (we poll in milliseconds, so the last
 * six digits are zeros).
 * Spec: https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/
 */
export type FieldValue = number | boolean | string;

export interface Point {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Poll time in milliseconds since the epoch (UTC). */
  readonly timeMs: number;
}

/**
 * Control characters (U+0000-U+001F, U+007F) are dropped from every name and string: the format has
 * no escape for a newline, so one in a device's id or a feature's name would end the line there and
 * start a forged one (`x\nelectric power_w=4321` filed readings under `electric`).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it is for
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;
const clean = (s: string) => s.replace(CONTROL_CHARS, "");
const escapeMeasurement = (s: string) => clean(s).replace(/[, \\]/g, (c) => `\\${c}`);
const escapeKey = (s: string) => clean(s).replace(/[,= \\]/g, (c) => `\\${c}`);
const escapeString = (s: string) => clean(s).replace(/["\\]/g, (c) => `\\${c}`);

function formatField(v: FieldValue): string {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`line protocol cannot carry the number ${v}`);
    // Integers get a trailing ".0"-free form; InfluxDB reads "5" as float 5 (no `i` suffix).
    return String(v);
  }
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return `"${escapeString(v)}"`;
  throw new RangeError(`line protocol cannot carry the value ${String(v)}`);
}

/**
 * One point as one line (no trailing newline). Control characters are dropped from names and
 * strings; a tag whose key or value is then empty is left out (line protocol has no empty tag).
 * Throws RangeError, naming the point, for what cannot be written at all: a non-finite number, no
 * fields, an empty measurement or field key, a fractional time.
 */
export function encodePoint(p: Point): string {
  const keys = Object.keys(p.fields);
  const name = JSON.stringify(p.measurement);
  if (keys.length === 0) throw new RangeError(`point ${name} has no fields`);
  if (!Number.isInteger(p.timeMs)) throw new RangeError(`point time must be integer ms, got ${p.timeMs}`);
  let line = escapeMeasurement(p.measurement);
  if (line === "") throw new RangeError(`point ${name} has no measurement name`);
  for (const k of Object.keys(p.tags).sort()) {
    const key = escapeKey(k);
    const v = escapeKey(p.tags[k] ?? "");
    if (key === "" || v === "") continue; // empty tag keys and values are not allowed in line protocol
    line += `,${key}=${v}`;
  }
  line += " ";
  line += keys
    .map((k) => {
      const key = escapeKey(k);
      if (key === "") throw new RangeError(`point ${name} has a field without a name (${JSON.stringify(k)})`);
      try {
        return `${key}=${formatField(p.fields[k] as FieldValue)}`;
      } catch (e) {
        throw new RangeError(`point ${name}, field ${key}: ${(e as Error).message}`, { cause: e });
      }
    })
    .join(",");
  line += ` ${p.timeMs}000000`;
  return line;
}

export function encodePoints(points: readonly Point[]): string {
  let out = "";
  for (const p of points) out += encodePoint(p) + "\n";
  return out;
}

export interface ParsedLine {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, FieldValue>;
  /** Milliseconds since the epoch (nanosecond input is truncated to ms). */
  timeMs: number;
}

/** Index of the next unescaped `ch` at or after `from`, or -1. */
function findUnescaped(s: string, ch: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === ch) return i;
  }
  return -1;
}

const unescape = (s: string) => (s.includes("\\") ? s.replace(/\\(.)/g, "$1") : s);

function parseFieldValue(raw: string): FieldValue {
  const c = raw.charCodeAt(0);
  if (c === 34 /* " */) return raw.slice(1, -1).replace(/\\(["\\])/g, "$1");
  if (raw === "t" || raw === "T" || raw === "true" || raw === "True" || raw === "TRUE") return true;
  if (raw === "f" || raw === "F" || raw === "false" || raw === "False" || raw === "FALSE") return false;
  const last = raw.charCodeAt(raw.length - 1);
  const n = last === 105 /* i */ || last === 117 /* u */ ? Number(raw.slice(0, -1)) : Number(raw);
  if (Number.isNaN(n)) throw new SyntaxError(`bad field value ${JSON.stringify(raw)}`);
  // `-Infinity` (a writer's `${x}`) and `1e999` read as numbers but are no reading; InfluxDB refuses
  // the line too. Left in, one would turn a day's mean into NaN.
  if (!Number.isFinite(n)) throw new SyntaxError(`field value ${JSON.stringify(raw)} is not a finite number`);
  return n;
}

/** Splits the field set at unescaped commas, respecting quoted strings. */
function splitFields(s: string, start: number, end: number): string[] {
  const parts: string[] = [];
  let inQuote = false;
  let from = start;
  for (let i = start; i < end; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === '"') inQuote = !inQuote;
    else if (c === "," && !inQuote) {
      parts.push(s.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(s.slice(from, end));
  return parts;
}

/**
 * Parses one line. Returns null for blank lines and comments; throws SyntaxError naming the problem
 * for a malformed line. A line without a timestamp gets `defaultTimeMs` (or is rejected if none).
 */
export function parseLine(line: string, defaultTimeMs?: number): ParsedLine | null {
  const s = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (s.length === 0 || s.charCodeAt(0) === 35 /* # */) return null;
  const end = s.length;
  const keyEnd = findUnescaped(s, " ", 0, end);
  if (keyEnd < 0) throw new SyntaxError("missing field set");
  // Field set ends at the first unescaped space outside quotes.
  let fieldEnd = end;
  let inQuote = false;
  for (let i = keyEnd + 1; i < end; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === '"') inQuote = !inQuote;
    else if (c === " " && !inQuote) {
      fieldEnd = i;
      break;
    }
  }
  const key = s.slice(0, keyEnd);
  const firstComma = findUnescaped(key, ",", 0, key.length);
  const measurement = unescape(firstComma < 0 ? key : key.slice(0, firstComma));
  const tags: Record<string, string> = {};
  if (firstComma >= 0) {
    let from = firstComma + 1;
    while (from < key.length) {
      let next = findUnescaped(key, ",", from, key.length);
      if (next < 0) next = key.length;
      const eq = findUnescaped(key, "=", from, next);
      if (eq < 0) throw new SyntaxError(`bad tag ${JSON.stringify(key.slice(from, next))}`);
      tags[unescape(key.slice(from, eq))] = unescape(key.slice(eq + 1, next));
      from = next + 1;
    }
  }
  const fields: Record<string, FieldValue> = {};
  for (const part of splitFields(s, keyEnd + 1, fieldEnd)) {
    const eq = findUnescaped(part, "=", 0, part.length);
    if (eq <= 0) throw new SyntaxError(`bad field ${JSON.stringify(part)}`);
    fields[unescape(part.slice(0, eq))] = parseFieldValue(part.slice(eq + 1));
  }
  let timeMs: number;
  if (fieldEnd < end) {
    const ts = s.slice(fieldEnd + 1).trim();
    if (!/^-?\d+$/.test(ts)) throw new SyntaxError(`bad timestamp ${JSON.stringify(ts)}`);
    // ns -> ms without float rounding: drop the last six digits.
    timeMs = ts.length > 6 ? Number(ts.slice(0, -6)) : 0;
  } else if (defaultTimeMs !== undefined) {
    timeMs = defaultTimeMs;
  } else {
    throw new SyntaxError("missing timestamp");
  }
  return { measurement, tags, fields, timeMs };
}
