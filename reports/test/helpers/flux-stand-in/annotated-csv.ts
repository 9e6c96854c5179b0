/**
 * Annotated CSV exactly as InfluxDB 2.7 writes a query result (flux v0.196.1 csv/result.go,
 * ResultEncoder.Encode / EncodeError, and flux/result.go DelimitedMultiResultEncoder):
 *
 * - Go encoding/csv with UseCRLF: rows end in "\r\n"; a field is quoted when it contains the
 *   delimiter, a quote, CR or LF, or starts with a space; quotes are doubled.
 * - Each table starts a new block (empty line, annotations, header) when it is empty, follows an
 *   empty table, or its columns or group-key columns differ from the previous table's; otherwise
 *   its rows continue the previous block.
 * - Annotations in the order the request's dialect lists them; `#default` carries the result name
 *   (data rows then leave the result column empty); an empty table's `#default` row also carries
 *   its table id and group-key values and no data row follows.
 * - Times are RFC3339 with nanoseconds, trailing zeros trimmed (Go time.RFC3339Nano); floats are
 *   strconv.FormatFloat(f, 'f', -1, 64): shortest round-trip digits, never an exponent.
 * - After the result an extra "\r\n" (the result delimiter). An error after something was written
 *   becomes an error table instead: empty line, `#datatype,string,string`, `#group,true,true`,
 *   `#default,,`, `,error,reference`, `,<message>,` — and no delimiter.
 */
import { ConstColumn, type ColMeta, type ColType, type Table, type Value } from "./table.ts";

export type Annotation = "datatype" | "group" | "default";

export interface Dialect {
  header: boolean;
  delimiter: string;
  annotations: Annotation[];
}

/** What the official clients send (influxdb-client-js QueryApi default dialect). */
const DEFAULT_DIALECT: Dialect = {
  header: true,
  delimiter: ",",
  annotations: ["datatype", "group", "default"],
};

const DATATYPE: Record<ColType, string> = {
  bool: "boolean",
  int: "long",
  uint: "unsignedLong",
  float: "double",
  string: "string",
  time: "dateTime:RFC3339",
};

/** Go strconv.FormatFloat(f, 'f', -1, 64). */
export function formatFloat(x: number): string {
  if (Object.is(x, -0)) return "-0";
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const s = String(x);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const exp = Number(s.slice(e + 1));
  let mant = s.slice(0, e);
  const neg = mant.startsWith("-");
  if (neg) mant = mant.slice(1);
  const dot = mant.indexOf(".");
  const intPart = dot < 0 ? mant : mant.slice(0, dot);
  const digits = dot < 0 ? mant : intPart + mant.slice(dot + 1);
  const point = intPart.length + exp;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (neg ? "-" : "") + out;
}

const NS_PER_S = 1_000_000_000n;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
let lastDay = Number.NaN;
let lastDayText = "";

/** Go time.Time.Format(time.RFC3339Nano) in UTC for ns since the epoch (years 0000-9999). */
export function formatTime(ns: bigint): string {
  let sec = ns / NS_PER_S;
  let frac = ns - sec * NS_PER_S;
  if (frac < 0n) {
    sec -= 1n;
    frac += NS_PER_S;
  }
  const s = Number(sec);
  const day = Math.floor(s / 86_400);
  if (day !== lastDay) {
    lastDay = day;
    lastDayText = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const t = s - day * 86_400;
  const hms = `${lastDayText}${pad2(Math.floor(t / 3600))}:${pad2(Math.floor(t / 60) % 60)}:${pad2(t % 60)}`;
  if (frac === 0n) return `${hms}Z`;
  return `${hms}.${frac.toString().padStart(9, "0").replace(/0+$/, "")}Z`;
}

function formatValue(v: Value, type: ColType): string {
  if (v === null) return "";
  switch (type) {
    case "float":
      return formatFloat(v as number);
    case "time":
      return formatTime(v as bigint);
    case "bool":
      return v ? "true" : "false";
    default:
      return String(v);
  }
}

/** Go encoding/csv Writer with UseCRLF. */
export function csvField(field: string, delimiter: string): string {
  if (field === "") return field;
  // Go: quote when the field is `\.`, holds the delimiter, a quote, CR or LF, or starts with a space (unicode.IsSpace).
  let needs = field === "\\." || /^[\s\u0085]/u.test(field);
  if (!needs)
    for (let i = 0; i < field.length; i++) {
      const c = field[i];
      if (c === '"' || c === "\r" || c === "\n" || c === delimiter) {
        needs = true;
        break;
      }
    }
  if (!needs) return field;
  return `"${field.replace(/"/g, '""').replace(/\r/g, "").replace(/\n/g, "\r\n")}"`;
}

function row(fields: string[], d: string): string {
  return fields.map((f) => csvField(f, d)).join(d) + "\r\n";
}

interface Layout {
  cols: readonly ColMeta[];
  keyCols: readonly ColMeta[];
}

function sameMeta(a: readonly ColMeta[], b: readonly ColMeta[]): boolean {
  return a.length === b.length && a.every((c, i) => c.label === b[i]?.label && c.type === b[i]?.type);
}

interface EncodeOptions {
  dialect?: Dialect;
  resultName?: string;
  /** Stop after this many data rows and write `error` as an error table instead of the rest. */
  errorAfterRows?: number;
  /** Approximate chunk size of the yielded strings. */
  chunkChars?: number;
}

interface EncodeError {
  message: string;
}

/**
 * Yields the response body in chunks. `error` (if any) is written as an error table after the
 * tables (or after `errorAfterRows` rows); callers answer with an HTTP error instead when no
 * table precedes the error.
 */
export function* encodeResult(
  tables: readonly Table[],
  error: EncodeError | undefined,
  opts: EncodeOptions = {},
): Generator<string> {
  const dialect = opts.dialect ?? DEFAULT_DIALECT;
  const d = dialect.delimiter;
  const resultName = opts.resultName ?? "_result";
  const hasDefault = dialect.annotations.includes("default");
  const chunk = opts.chunkChars ?? 64 * 1024;
  const stopAfter = error !== undefined && opts.errorAfterRows !== undefined ? opts.errorAfterRows : Infinity;
  let out = "";
  let rows = 0;
  let written = false;
  let last: Layout | null = null;
  let lastEmpty = false;

  outer: for (let tableId = 0; tableId < tables.length; tableId++) {
    const t = tables[tableId] as Table;
    written = true;
    const empty = t.length === 0;
    const layout: Layout = { cols: t.cols, keyCols: t.key.cols };
    if (
      lastEmpty ||
      empty ||
      last === null ||
      !sameMeta(last.keyCols, layout.keyCols) ||
      !sameMeta(last.cols, layout.cols)
    ) {
      if (last !== null) out += "\r\n";
      const defaults = t.cols.map((c) => {
        if (!empty) return "";
        const kj = t.key.cols.findIndex((k) => k.label === c.label);
        return kj < 0 ? "" : formatValue(t.key.values[kj] ?? null, c.type);
      });
      for (const a of dialect.annotations) {
        if (a === "datatype")
          out += row(["#datatype", "string", "long", ...t.cols.map((c) => DATATYPE[c.type])], d);
        else if (a === "group")
          out += row(
            [
              "#group",
              "false",
              "false",
              ...t.cols.map((c) => String(t.key.cols.some((k) => k.label === c.label))),
            ],
            d,
          );
        else out += row(["#default", resultName, empty ? String(tableId) : "", ...defaults], d);
      }
      if (dialect.header) out += row(["", "result", "table", ...t.cols.map((c) => c.label)], d);
    }
    const prefix = ["", hasDefault ? "" : resultName, String(tableId)].map((f) => csvField(f, d)).join(d);
    // Columns that hold one value for the whole table (bounds, tags) are formatted once.
    const fixed = t.columns.map((c, j) =>
      c instanceof ConstColumn && t.length > 0
        ? csvField(formatValue(c.get(), (t.cols[j] as ColMeta).type), d)
        : null,
    );
    for (let i = 0; i < t.length; i++) {
      if (rows >= stopAfter) break outer;
      let line = prefix;
      for (let j = 0; j < t.cols.length; j++) {
        const f = fixed[j];
        line +=
          d +
          (f ??
            csvField(
              formatValue((t.columns[j] as Table["columns"][number]).get(i), (t.cols[j] as ColMeta).type),
              d,
            ));
      }
      out += line + "\r\n";
      rows++;
      if (out.length >= chunk) {
        yield out;
        out = "";
      }
    }
    last = layout;
    lastEmpty = empty;
  }
  if (error === undefined) {
    out += "\r\n";
    yield out;
    return;
  }
  if (written) out += "\r\n";
  for (const a of dialect.annotations) {
    if (a === "datatype") out += row(["#datatype", "string", "string"], d);
    else if (a === "group") out += row(["#group", "true", "true"], d);
    else out += row(["#default", "", ""], d);
  }
  out += row(["", "error", "reference"], d);
  out += row(["", error.message, ""], d);
  yield out;
}
