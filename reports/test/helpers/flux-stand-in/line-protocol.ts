/**
 * A typed line-protocol tokenizer for the stand-in. Unlike core/src/data/line-protocol.ts
 * (which returns JS numbers and so cannot tell `5i` from `5`), it keeps the field type InfluxDB
 * stores: `1` float, `1i` integer, `1u` unsigned, `t`/`true`/... boolean, `"…"` string, and keeps
 * timestamps as exact nanoseconds (bigint).
 *
 * Error texts follow InfluxDB 2.7 (models/points.go): a request with a bad line fails as a whole
 * with `unable to parse '<line>': <reason>`, one such sentence per bad line joined by "\n".
 * Lenient where InfluxDB is stricter: a trailing "\r" is stripped, key length limits are not checked.
 */
import type { ColType } from "./table.ts";

export type Precision = "ns" | "us" | "ms" | "s";
const PRECISION_NS: Record<Precision, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
};

export interface ParsedField {
  key: string;
  type: Exclude<ColType, "time">;
  value: number | bigint | boolean | string;
}

export interface SeriesId {
  measurement: string;
  /** Tag pairs sorted by key (byte order), as InfluxDB stores them. */
  tags: readonly (readonly [string, string])[];
  /** Canonical series key `measurement,k=v,...` (escaped, tags sorted). */
  key: string;
}

interface ParsedPoint {
  series: SeriesId;
  fields: ParsedField[];
  timeNs: bigint;
}

class LineProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LineProtocolError";
  }
}

const escMeasurement = (s: string) => s.replace(/[, ]/g, (c) => `\\${c}`);
const escKey = (s: string) => s.replace(/[,= ]/g, (c) => `\\${c}`);

/** Unescapes `\,` `\=` `\ ` (and `\\` in keys); any other backslash stays as written. */
function unescapeKey(s: string): string {
  return s.includes("\\") ? s.replace(/\\([,= \\])/g, "$1") : s;
}

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;
const UINT_MAX = 2n ** 64n - 1n;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseValue(raw: string): { type: ParsedField["type"]; v: ParsedField["value"] } {
  const c = raw.charCodeAt(0);
  if (c === 34 /* " */) {
    if (raw.length < 2 || raw.charCodeAt(raw.length - 1) !== 34)
      throw new LineProtocolError("unbalanced quotes");
    const inner = raw.slice(1, -1);
    return { type: "string", v: inner.includes("\\") ? inner.replace(/\\(["\\])/g, "$1") : inner };
  }
  switch (raw) {
    case "t":
    case "T":
    case "true":
    case "True":
    case "TRUE":
      return { type: "bool", v: true };
    case "f":
    case "F":
    case "false":
    case "False":
    case "FALSE":
      return { type: "bool", v: false };
  }
  const last = raw.charCodeAt(raw.length - 1);
  if (last === 105 /* i */) {
    const digits = raw.slice(0, -1);
    if (!/^[+-]?\d+$/.test(digits)) throw new LineProtocolError("invalid number");
    const v = BigInt(digits);
    if (v < INT_MIN || v > INT_MAX)
      throw new LineProtocolError(
        `unable to parse integer ${digits}: strconv.ParseInt: parsing "${digits}": value out of range`,
      );
    return { type: "int", v };
  }
  if (last === 117 /* u */) {
    const digits = raw.slice(0, -1);
    if (!/^\d+$/.test(digits)) throw new LineProtocolError("invalid number");
    const v = BigInt(digits);
    if (v > UINT_MAX)
      throw new LineProtocolError(
        `unable to parse unsigned ${digits}: strconv.ParseUint: parsing "${digits}": value out of range`,
      );
    return { type: "uint", v };
  }
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (!FLOAT_RE.test(raw)) throw new LineProtocolError("invalid number");
    const v = Number(raw);
    if (!Number.isFinite(v)) throw new LineProtocolError("invalid number");
    return { type: "float", v };
  }
  if (/^[tTfF]/.test(raw)) throw new LineProtocolError("invalid boolean");
  throw new LineProtocolError("invalid field format");
}

/** Index of the next unescaped `ch` at or after `from` (a backslash escapes the next char). */
function findUnescaped(s: string, ch: number, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === ch) return i;
  }
  return -1;
}

const RESERVED_TAGS = new Set(["_field", "_measurement", "time"]);

function parseSeries(key: string): SeriesId {
  const firstComma = findUnescaped(key, 44, 0, key.length);
  const measurement = unescapeKey(firstComma < 0 ? key : key.slice(0, firstComma));
  if (measurement === "") throw new LineProtocolError("missing measurement");
  const tags: [string, string][] = [];
  if (firstComma >= 0) {
    let from = firstComma + 1;
    while (from <= key.length) {
      let next = findUnescaped(key, 44, from, key.length);
      if (next < 0) next = key.length;
      const part = key.slice(from, next);
      const eq = findUnescaped(part, 61, 0, part.length);
      if (eq === 0) throw new LineProtocolError("missing tag key");
      if (eq < 0 || eq === part.length - 1) throw new LineProtocolError("missing tag value");
      const k = unescapeKey(part.slice(0, eq));
      if (RESERVED_TAGS.has(k))
        throw new LineProtocolError(`cannot use reserved tag key ${JSON.stringify(k)}`);
      tags.push([k, unescapeKey(part.slice(eq + 1))]);
      from = next + 1;
    }
  }
  tags.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < tags.length; i++)
    if ((tags[i] as [string, string])[0] === (tags[i - 1] as [string, string])[0])
      throw new LineProtocolError("duplicate tags");
  let canonical = escMeasurement(measurement);
  for (const [k, v] of tags) canonical += `,${escKey(k)}=${escKey(v)}`;
  return { measurement, tags, key: canonical };
}

interface ParseOptions {
  precision?: Precision;
  /** Timestamp for lines without one (ns). */
  defaultTimeNs?: bigint;
}

type FieldValue = ParsedField["value"];

/** Parsed points in flat arrays (no object per field: a year of history is ~40 million fields). */
export class PointBatch {
  series: SeriesId[] = [];
  times: bigint[] = [];
  /** Exclusive end of each point's fields in keys/types/values. */
  fieldEnd: number[] = [];
  keys: string[] = [];
  types: ParsedField["type"][] = [];
  values: FieldValue[] = [];

  get length(): number {
    return this.times.length;
  }
  clear(): void {
    this.series.length = 0;
    this.times.length = 0;
    this.fieldEnd.length = 0;
    this.keys.length = 0;
    this.types.length = 0;
    this.values.length = 0;
  }
  /** Point objects, for tests and small batches. */
  points(): ParsedPoint[] {
    const out: ParsedPoint[] = [];
    let f = 0;
    for (let i = 0; i < this.times.length; i++) {
      const fields: ParsedField[] = [];
      for (const end = this.fieldEnd[i] as number; f < end; f++)
        fields.push({
          key: this.keys[f] as string,
          type: this.types[f] as ParsedField["type"],
          value: this.values[f] as FieldValue,
        });
      out.push({ series: this.series[i] as SeriesId, fields, timeNs: this.times[i] as bigint });
    }
    return out;
  }
}

/**
 * A plain decimal float as line protocol writes it. JS `+raw` also reads hex/octal/binary
 * ("0x1f") and Infinity; those are refused here (Infinity is not finite, the others start "0<letter>").
 */
function fastFloat(raw: string): number | null {
  const c0 = raw.charCodeAt(0);
  if (!((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43 || c0 === 46)) return null;
  if (c0 === 48 && raw.length > 1 && (raw.charCodeAt(1) | 32) >= 97) return null;
  const v = +raw;
  return Number.isFinite(v) ? v : null;
}

/**
 * Parses line protocol into a PointBatch. Series ids are cached by their raw key text. Bad lines
 * are reported as InfluxDB's failure sentences (the caller rejects the request when there is any).
 */
export class LineProtocolParser {
  private readonly cache = new Map<string, SeriesId>();

  private seriesOf(rawKey: string): SeriesId {
    let series = this.cache.get(rawKey);
    if (series === undefined) {
      series = parseSeries(rawKey);
      this.cache.set(rawKey, series);
    }
    return series;
  }

  private timestamp(ts: string, opts: ParseOptions): bigint {
    if (ts === "") {
      if (opts.defaultTimeNs === undefined) throw new LineProtocolError("missing timestamp");
      return opts.defaultTimeNs;
    }
    for (let i = 0; i < ts.length; i++) {
      const c = ts.charCodeAt(i);
      if ((c < 48 || c > 57) && !(i === 0 && c === 45 && ts.length > 1))
        throw new LineProtocolError("bad timestamp");
    }
    const t = BigInt(ts) * PRECISION_NS[opts.precision ?? "ns"];
    if (t < INT_MIN || t > INT_MAX) throw new LineProtocolError("bad timestamp");
    return t;
  }

  private pushField(b: PointBatch, key: string, raw: string): void {
    if (raw === "") throw new LineProtocolError("missing field value");
    const last = raw.charCodeAt(raw.length - 1);
    const v = last >= 48 && last <= 57 ? fastFloat(raw) : null;
    b.keys.push(key);
    if (v !== null) {
      b.types.push("float");
      b.values.push(v);
      return;
    }
    const pv = parseValue(raw);
    b.types.push(pv.type);
    b.values.push(pv.v);
  }

  /** Adds the point of one line to `b`; returns false for blank and comment lines. */
  parseInto(b: PointBatch, line: string, opts: ParseOptions): boolean {
    const mark = b.keys.length;
    try {
      return this.parseUnsafe(b, line, opts);
    } catch (e) {
      b.keys.length = mark;
      b.types.length = mark;
      b.values.length = mark;
      throw e;
    }
  }

  private parseUnsafe(b: PointBatch, line: string, opts: ParseOptions): boolean {
    let s = line.endsWith("\r") ? line.slice(0, -1) : line;
    let start = 0;
    while (start < s.length && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9)) start++;
    if (start >= s.length || s.charCodeAt(start) === 35 /* # */) return false;
    if (start > 0) s = s.slice(start);
    const end = s.length;
    if (s.indexOf("\\") < 0 && s.indexOf('"') < 0) {
      // Fast path: nothing escaped, no string fields.
      const sp1 = s.indexOf(" ");
      if (sp1 < 0) throw new LineProtocolError("missing fields");
      if (sp1 === 0) throw new LineProtocolError("missing measurement");
      let sp2 = s.indexOf(" ", sp1 + 1);
      if (sp2 < 0) sp2 = end;
      if (sp2 === sp1 + 1) throw new LineProtocolError("missing fields");
      const series = this.seriesOf(s.slice(0, sp1));
      let from = sp1 + 1;
      while (from < sp2) {
        let next = s.indexOf(",", from);
        if (next < 0 || next > sp2) next = sp2;
        const eq = s.indexOf("=", from);
        if (eq === from) throw new LineProtocolError("missing field key");
        if (eq < 0 || eq > next) throw new LineProtocolError("missing field value");
        this.pushField(b, s.slice(from, eq), s.slice(eq + 1, next));
        from = next + 1;
        if (next < sp2 && from >= sp2) throw new LineProtocolError("missing field key");
      }
      const time = this.timestamp(sp2 < end ? s.slice(sp2 + 1).trim() : "", opts);
      b.series.push(series);
      b.times.push(time);
      b.fieldEnd.push(b.keys.length);
      return true;
    }
    const keyEnd = findUnescaped(s, 32, 0, end);
    if (keyEnd < 0) throw new LineProtocolError("missing fields");
    if (keyEnd === 0) throw new LineProtocolError("missing measurement");
    // Field set ends at the first unescaped space outside quotes.
    let fieldEnd = end;
    let inQuote = false;
    for (let i = keyEnd + 1; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 34) inQuote = !inQuote;
      else if (c === 32 && !inQuote) {
        fieldEnd = i;
        break;
      }
    }
    if (inQuote) throw new LineProtocolError("unbalanced quotes");
    const series = this.seriesOf(s.slice(0, keyEnd));
    if (fieldEnd === keyEnd + 1) throw new LineProtocolError("missing fields");
    let from = keyEnd + 1;
    while (from < fieldEnd) {
      // next unescaped comma outside quotes
      let next = fieldEnd;
      let q = false;
      for (let i = from; i < fieldEnd; i++) {
        const c = s.charCodeAt(i);
        if (c === 92) i++;
        else if (c === 34) q = !q;
        else if (c === 44 && !q) {
          next = i;
          break;
        }
      }
      const eq = findUnescaped(s, 61, from, next);
      if (eq === from) throw new LineProtocolError("missing field key");
      if (eq < 0) throw new LineProtocolError("missing field value");
      this.pushField(b, unescapeKey(s.slice(from, eq)), s.slice(eq + 1, next));
      from = next + 1;
      if (next < fieldEnd && from >= fieldEnd) throw new LineProtocolError("missing field key");
    }
    const time = this.timestamp(fieldEnd < end ? s.slice(fieldEnd + 1).trim() : "", opts);
    b.series.push(series);
    b.times.push(time);
    b.fieldEnd.push(b.keys.length);
    return true;
  }

  /** Parses `lines` into `batch` (appending); bad lines are reported (with their index), not thrown. */
  parseLines(
    lines: readonly string[],
    opts: ParseOptions = {},
    batch = new PointBatch(),
  ): { batch: PointBatch; failures: string[]; failedLines: number[] } {
    const failures: string[] = [];
    const failedLines: number[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      try {
        this.parseInto(batch, line, opts);
      } catch (e) {
        if (!(e instanceof LineProtocolError)) throw e;
        failures.push(`unable to parse '${line.trim()}': ${e.message}`);
        failedLines.push(i);
      }
    }
    return { batch, failures, failedLines };
  }

  parse(
    text: string,
    opts: ParseOptions = {},
  ): { batch: PointBatch; failures: string[]; failedLines: number[] } {
    return this.parseLines(text.split("\n"), opts);
  }
}
