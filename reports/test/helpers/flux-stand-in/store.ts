/**
 * What InfluxDB storage keeps, for the stand-in: per bucket, series groups (measurement + tag set)
 * with one time column shared by the group's fields and one typed value column per field.
 *
 * - A series is measurement + tag set + field; its points are kept sorted by time, and the same
 *   series and timestamp written twice keeps the later value (per field, as InfluxDB does).
 * - A field's type is fixed per measurement: a point that brings another type is dropped whole with
 *   InfluxDB's partial-write reason (2.7 checks per shard, i.e. per 7-day shard group by default;
 *   the stand-in is stricter and checks per bucket).
 * - Reads binary-search the time column and hand out subarray views, so a range over a year of
 *   10-second data costs two searches, not a scan.
 * - Series order is the order storage reads them in (v1/services/storage/series_cursor.go):
 *   measurement, then series key (tags sorted), then field name, each in byte order.
 */
import { closeSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  LineProtocolParser,
  PointBatch,
  type ParsedField,
  type Precision,
  type SeriesId,
} from "./line-protocol.ts";
import type { ColType, StoredArray } from "./table.ts";

type FieldType = Exclude<ColType, "time">;
type Growable = Float64Array | BigInt64Array | BigUint64Array | Uint8Array | string[];

/** InfluxQL's names for field types, used in InfluxDB's write errors (influxql DataType.String). */
const INFLUXQL_TYPE: Record<FieldType, string> = {
  float: "float",
  int: "integer",
  uint: "unsigned",
  bool: "boolean",
  string: "string",
};

function newValues(type: FieldType, cap: number): Growable {
  switch (type) {
    case "float":
      return new Float64Array(cap);
    case "int":
      return new BigInt64Array(cap);
    case "uint":
      return new BigUint64Array(cap);
    case "bool":
      return new Uint8Array(cap);
    case "string":
      return [];
  }
}

function grow<T extends Growable>(arr: T, need: number): T {
  if (Array.isArray(arr) || arr.length >= need) return arr;
  const cap = Math.max(need, Math.ceil(arr.length * 1.5), 16);
  const next = new (arr.constructor as new (n: number) => Exclude<Growable, string[]>)(cap);
  (next as Float64Array).set(arr as Float64Array);
  return next as T;
}

function trim<T extends Growable>(arr: T, len: number): T {
  if (Array.isArray(arr) || arr.length === len) return arr;
  return (arr as Exclude<Growable, string[]>).slice(0, len) as T;
}

/** First index in [0, n) whose value is >= x (arr sorted ascending). */
function lowerBound(arr: BigInt64Array | Uint32Array, n: number, x: bigint | number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as bigint | number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class FieldStore {
  readonly type: FieldType;
  values: Growable;
  count = 0;
  /** Point index of the first value; while `idx` is null the field is present at first..first+count-1. */
  first = 0;
  /** Point index of each value, once the field skipped a point. */
  idx: Uint32Array | null = null;

  constructor(type: FieldType) {
    this.type = type;
    this.values = newValues(type, 16);
  }

  append(point: number, v: number | bigint | boolean | string): void {
    const k = this.count;
    if (Array.isArray(this.values)) this.values.push(v as string);
    else {
      this.values = grow(this.values, k + 1);
      (this.values as Float64Array | BigInt64Array)[k] = (this.type === "bool" ? (v ? 1 : 0) : v) as never;
    }
    if (k === 0) this.first = point;
    else if (this.idx === null && point !== this.first + k) {
      this.idx = new Uint32Array(Math.max(16, k * 2));
      for (let i = 0; i < k; i++) this.idx[i] = this.first + i;
    }
    if (this.idx !== null) {
      if (this.idx.length <= k) {
        const n = new Uint32Array(Math.ceil((k + 1) * 1.5));
        n.set(this.idx);
        this.idx = n;
      }
      this.idx[k] = point;
    }
    this.count = k + 1;
  }

  compact(): void {
    this.values = trim(this.values, this.count);
    if (this.idx !== null && this.idx.length !== this.count) this.idx = this.idx.slice(0, this.count);
  }

  valueAt(k: number): number | bigint | boolean | string {
    const v = this.values[k] as number | bigint | string;
    return this.type === "bool" ? v === 1 : v;
  }
}

class SeriesGroup {
  readonly id: SeriesId;
  times = new BigInt64Array(16);
  n = 0;
  /** Times strictly increasing (no duplicates); false after an out-of-order or repeated write. */
  sorted = true;
  readonly fields = new Map<string, FieldStore>();

  constructor(id: SeriesId) {
    this.id = id;
  }

  /** Field stores of the previous point's field list, to skip lookups when the next point has the same. */
  sigKeys: string[] = [];
  sigStores: FieldStore[] = [];

  appendResolved(
    timeNs: bigint,
    values: readonly ParsedField["value"][],
    f0: number,
    stores: readonly FieldStore[],
  ): void {
    const p = this.n;
    if (this.times.length <= p) this.times = grow(this.times, p + 1);
    this.times[p] = timeNs;
    if (p > 0 && timeNs <= (this.times[p - 1] as bigint)) this.sorted = false;
    this.n = p + 1;
    for (let k = 0; k < stores.length; k++)
      (stores[k] as FieldStore).append(p, values[f0 + k] as ParsedField["value"]);
  }

  /** Sorts points by time and merges repeated timestamps (per field the later write wins). */
  normalize(): void {
    if (this.sorted) return;
    const n = this.n;
    const times = this.times;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => {
      const ta = times[a] as bigint;
      const tb = times[b] as bigint;
      return ta < tb ? -1 : ta > tb ? 1 : a - b;
    });
    const newIndex = new Uint32Array(n);
    const uniq: bigint[] = [];
    for (const i of order) {
      const t = times[i] as bigint;
      if (uniq.length === 0 || uniq[uniq.length - 1] !== t) uniq.push(t);
      newIndex[i] = uniq.length - 1;
    }
    const newTimes = BigInt64Array.from(uniq);
    for (const [name, fs] of this.fields) {
      // (new point, original point, value) for every stored value; the later original wins.
      const entries: { np: number; op: number; v: number | bigint | boolean | string }[] = [];
      for (let k = 0; k < fs.count; k++) {
        const op = fs.idx !== null ? (fs.idx[k] as number) : fs.first + k;
        entries.push({ np: newIndex[op] as number, op, v: fs.valueAt(k) });
      }
      entries.sort((a, b) => a.np - b.np || a.op - b.op);
      const next = new FieldStore(fs.type);
      for (let e = 0; e < entries.length; e++) {
        const cur = entries[e] as (typeof entries)[number];
        const nxt = entries[e + 1];
        if (nxt !== undefined && nxt.np === cur.np) continue;
        next.append(cur.np, cur.v);
      }
      next.compact();
      this.fields.set(name, next);
    }
    this.times = newTimes;
    this.n = newTimes.length;
    this.sorted = true;
    this.sigKeys = [];
    this.sigStores = [];
  }

  compact(): void {
    this.times = trim(this.times, this.n);
    for (const fs of this.fields.values()) fs.compact();
  }

  /** Points of one field with start <= time < stop, as views where possible. */
  read(field: string, startNs: bigint, stopNs: bigint): { times: BigInt64Array; values: StoredArray } {
    this.normalize();
    const fs = this.fields.get(field);
    const empty = { times: new BigInt64Array(0), values: newValues(fs?.type ?? "float", 0) };
    if (fs === undefined || stopNs <= startNs) return empty;
    const i0 = lowerBound(this.times, this.n, startNs);
    const i1 = lowerBound(this.times, this.n, stopNs);
    if (fs.idx === null) {
      const p0 = Math.max(i0, fs.first);
      const p1 = Math.min(i1, fs.first + fs.count);
      if (p1 <= p0) return empty;
      return {
        times: this.times.subarray(p0, p1),
        values: Array.isArray(fs.values)
          ? fs.values.slice(p0 - fs.first, p1 - fs.first)
          : (fs.values as Float64Array).subarray(p0 - fs.first, p1 - fs.first),
      };
    }
    const k0 = lowerBound(fs.idx, fs.count, i0);
    const k1 = lowerBound(fs.idx, fs.count, i1);
    const t = new BigInt64Array(Math.max(0, k1 - k0));
    for (let k = k0; k < k1; k++) t[k - k0] = this.times[fs.idx[k] as number] as bigint;
    return {
      times: t,
      values: Array.isArray(fs.values)
        ? fs.values.slice(k0, k1)
        : (fs.values as Float64Array).subarray(k0, k1),
    };
  }
}

/** One series as the storage reader hands it to the query engine. */
export interface StoredSeries {
  readonly measurement: string;
  /** Tags sorted by key, without _measurement/_field. */
  readonly tags: readonly (readonly [string, string])[];
  readonly field: string;
  readonly type: FieldType;
  readonly seriesKey: string;
  /** Tag value for predicates and columns; `_measurement` and `_field` included. */
  tag(label: string): string | undefined;
  read(startNs: bigint, stopNs: bigint): { times: BigInt64Array; values: StoredArray };
}

export interface WriteResult {
  points: number;
  dropped: number;
  /** InfluxDB's partial-write reason for the first dropped point. */
  reason?: string;
}

export class Bucket {
  readonly name: string;
  private readonly groups = new Map<string, SeriesGroup>();
  private readonly fieldTypes = new Map<string, Map<string, FieldType>>();
  private ordered: StoredSeries[] | null = null;

  constructor(name: string) {
    this.name = name;
  }

  private readonly groupsBySeries = new Map<SeriesId, SeriesGroup>();

  /** Stores parsed points; a point with a field of another type than the measurement's is dropped whole. */
  write(b: PointBatch): WriteResult {
    let dropped = 0;
    let reason: string | undefined;
    let written = 0;
    for (let i = 0; i < b.length; i++) {
      const series = b.series[i] as SeriesId;
      const f0 = i === 0 ? 0 : (b.fieldEnd[i - 1] as number);
      const f1 = b.fieldEnd[i] as number;
      let g = this.groupsBySeries.get(series);
      if (g === undefined) {
        g = this.groups.get(series.key);
        if (g === undefined) {
          g = new SeriesGroup(series);
          this.groups.set(series.key, g);
          this.ordered = null;
        }
        this.groupsBySeries.set(series, g);
      }
      let same = g.sigKeys.length === f1 - f0;
      for (let k = 0; same && k < f1 - f0; k++)
        same = g.sigKeys[k] === b.keys[f0 + k] && (g.sigStores[k] as FieldStore).type === b.types[f0 + k];
      if (!same) {
        let types = this.fieldTypes.get(series.measurement);
        if (types === undefined) {
          types = new Map();
          this.fieldTypes.set(series.measurement, types);
        }
        let conflict: string | undefined;
        for (let f = f0; f < f1 && conflict === undefined; f++) {
          const key = b.keys[f] as string;
          const type = b.types[f] as FieldType;
          const existing = types.get(key);
          if (existing !== undefined && existing !== type)
            conflict =
              `field type conflict: input field ${JSON.stringify(key)} on measurement ` +
              `${JSON.stringify(series.measurement)} is type ${INFLUXQL_TYPE[type]}, ` +
              `already exists as type ${INFLUXQL_TYPE[existing]}`;
        }
        if (conflict !== undefined) {
          dropped++;
          reason ??= conflict;
          continue;
        }
        const keys: string[] = [];
        const stores: FieldStore[] = [];
        for (let f = f0; f < f1; f++) {
          const key = b.keys[f] as string;
          const type = b.types[f] as FieldType;
          types.set(key, type);
          let fs = g.fields.get(key);
          if (fs === undefined) {
            fs = new FieldStore(type);
            g.fields.set(key, fs);
            this.ordered = null;
          }
          keys.push(key);
          stores.push(fs);
        }
        g.sigKeys = keys;
        g.sigStores = stores;
      }
      g.appendResolved(b.times[i] as bigint, b.values, f0, g.sigStores);
      written++;
    }
    return reason === undefined ? { points: written, dropped } : { points: written, dropped, reason };
  }

  /** Releases spare capacity after a bulk load. */
  compact(): void {
    for (const g of this.groups.values()) g.compact();
  }

  /** Every series in storage read order. */
  series(): readonly StoredSeries[] {
    if (this.ordered) return this.ordered;
    const out: StoredSeries[] = [];
    const groups = [...this.groups.values()].sort((a, b) =>
      a.id.measurement !== b.id.measurement
        ? a.id.measurement < b.id.measurement
          ? -1
          : 1
        : a.id.key < b.id.key
          ? -1
          : a.id.key > b.id.key
            ? 1
            : 0,
    );
    for (const g of groups) {
      const tagMap = new Map(g.id.tags);
      for (const field of [...g.fields.keys()].sort()) {
        const fs = g.fields.get(field) as FieldStore;
        out.push({
          measurement: g.id.measurement,
          tags: g.id.tags,
          field,
          type: fs.type,
          seriesKey: g.id.key,
          tag: (label) =>
            label === "_measurement" ? g.id.measurement : label === "_field" ? field : tagMap.get(label),
          read: (startNs, stopNs) => g.read(field, startNs, stopNs),
        });
      }
    }
    this.ordered = out;
    return out;
  }

  /** Number of stored points (per field values counted once per point). */
  get pointCount(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.n;
    return n;
  }
}

export interface LoadOptions {
  precision?: Precision;
  /** Time for lines without a timestamp (ns); default: now. */
  defaultTimeNs?: bigint;
}

export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LoadError";
  }
}

/** Lines per all-or-nothing batch when loading files (InfluxDB rejects a whole request with a bad line). */
const FILE_BATCH_LINES = 10_000;

export class Loader {
  private readonly parser = new LineProtocolParser();
  private readonly batch = new PointBatch();

  /**
   * Loads line protocol lines into `bucket` as one write request: any bad line rejects all of it
   * (LoadError naming the lines, InfluxDB's wording). Returns the write result.
   */
  loadLines(
    bucket: Bucket,
    lines: readonly string[],
    opts: LoadOptions = {},
    where?: (i: number) => string,
  ): WriteResult {
    this.batch.clear();
    const { failures, failedLines } = this.parser.parseLines(
      lines,
      {
        precision: opts.precision ?? "ns",
        defaultTimeNs: opts.defaultTimeNs ?? BigInt(Date.now()) * 1_000_000n,
      },
      this.batch,
    );
    if (failures.length > 0)
      throw new LoadError(
        failures
          .map((f, k) => {
            const i = failedLines[k] as number;
            return `${where ? where(i) : `line ${i + 1}`}: ${f}`;
          })
          .join("\n"),
      );
    return bucket.write(this.batch);
  }

  loadText(bucket: Bucket, text: string, opts: LoadOptions = {}): WriteResult {
    return this.loadLines(bucket, text.split("\n"), opts);
  }

  /** Loads one .lp file in batches of 10 000 lines; a bad line stops the load (earlier batches stay). */
  loadFile(bucket: Bucket, path: string, opts: LoadOptions = {}): WriteResult {
    const total: WriteResult = { points: 0, dropped: 0 };
    const fd = openSync(path, "r");
    const buf = Buffer.alloc(8 * 1024 * 1024);
    let carry = "";
    let lineNo = 1;
    let pending: string[] = [];
    let pendingFirstLine = 1;
    const flush = () => {
      if (pending.length === 0) return;
      const first = pendingFirstLine;
      const r = this.loadLines(bucket, pending, opts, (i) => `${path}:${first + i}`);
      total.points += r.points;
      total.dropped += r.dropped;
      if (r.reason !== undefined) total.reason ??= r.reason;
      pending = [];
      pendingFirstLine = lineNo;
    };
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        // Cut at the last newline so multi-byte characters are never split.
        const lastNl = buf.lastIndexOf(10, n - 1);
        if (lastNl < 0) {
          carry += buf.toString("utf8", 0, n);
          continue;
        }
        const text = carry + buf.toString("utf8", 0, lastNl);
        carry = buf.toString("utf8", lastNl + 1, n);
        for (const line of text.split("\n")) {
          pending.push(line);
          lineNo++;
          if (pending.length >= FILE_BATCH_LINES) flush();
        }
      }
      if (carry !== "") {
        pending.push(carry);
        lineNo++;
      }
      flush();
    } finally {
      closeSync(fd);
    }
    return total;
  }
  /** Loads a file, or every `.lp` file of a directory (sorted by name). */
  loadPath(bucket: Bucket, path: string, opts: LoadOptions = {}): WriteResult {
    if (!statSync(path).isDirectory()) return this.loadFile(bucket, path, opts);
    const total: WriteResult = { points: 0, dropped: 0 };
    for (const name of readdirSync(path)
      .filter((f) => f.endsWith(".lp"))
      .sort()) {
      const r = this.loadFile(bucket, join(path, name), opts);
      total.points += r.points;
      total.dropped += r.dropped;
      if (r.reason !== undefined) total.reason ??= r.reason;
    }
    return total;
  }
}
