/**
 * Evaluates a planned query on a bucket the way InfluxDB 2.7 with flux v0.196.1 executes it.
 * Sources cited per function; the shape of execution that matters for results:
 *
 * - Storage hands out one table per series (reader.go), never an empty one, ordered as the store
 *   lists series. Columns: _start, _stop, _time, _value, then the tags incl. _field and
 *   _measurement sorted by name; group key: _start, _stop and the tags.
 * - filter and limit are narrow transformations: table by table, order kept (filter.go, limit.go).
 *   filter evaluates a predicate that only reads group-key columns once per table (what storage
 *   pushdown does); a null result drops the row (execute/row_fn.go). Logic on nulls is Flux's
 *   default (compiler/runtime.go logicalEvaluator, strictNullLogicalOps off): null and x = false,
 *   true and null = null, null or x = x, not null = null; == / != with a null operand is null.
 * - group() (group.go with the groupTransformationGroup flag, on by default) re-keys tables but does
 *   not merge them: the next node that buffers tables merges pieces with the same key
 *   (execute/table/buffered_builder.go) and that is where a type clash fails, with that node's
 *   name: "runtime error @L:C-L:C: <fn>: schema collision detected: column "_value" is both of
 *   type int and float" (the incoming type first). Buffering nodes: sort, keep, drop, first, last,
 *   count, and the result itself (then the last function of the pipeline is named).
 * - first, last, count, keep and drop emit their tables sorted by group key (they flush their
 *   builder cache, a sorted lookup, at the end); sort keeps the order it received.
 * - sort |> limit runs as one sortLimit node that merges tables without checking types: rows of
 *   another type reaching the output make it panic (HTTP 500 "panic: interface conversion: …").
 */
import { locString, type FluxQuery, type Pred } from "./parse.ts";
import { describePlan, planQuery, type Agg, type PhysOp, type Plan } from "./plan.ts";
import type { Bucket, StoredSeries } from "./store.ts";
import {
  colIndex,
  compareKeys,
  compareStrings,
  compareValues,
  ConstColumn,
  gatherTable,
  keyId,
  sliceTable,
  StoredColumn,
  ValuesColumn,
  type ColMeta,
  type ColType,
  type Column,
  type GroupKey,
  type Table,
  type Value,
} from "./table.ts";

export interface RuntimeFailure {
  message: string;
  /** InfluxDB error code: "invalid" -> HTTP 400, "internal error" -> HTTP 500. */
  code: "invalid" | "internal error";
}

export interface EvalResult {
  plan: string;
  /** Tables in the order InfluxDB sends them. */
  tables: Table[];
  /** An error after `tables` (with no tables before it, InfluxDB answers with an HTTP error). */
  error?: RuntimeFailure;
}

class NodeFailure extends Error {
  readonly code: RuntimeFailure["code"];
  constructor(message: string, code: RuntimeFailure["code"] = "invalid") {
    super(message);
    this.code = code;
  }
}

interface NodeRef {
  name: string;
  loc: PhysOp["loc"];
}

/** execute/transport.go: errors of a transformation carry the call's location and name. */
function nodeError(node: NodeRef, msg: string): NodeFailure {
  return new NodeFailure(`runtime error @${locString(node.loc)}: ${node.name}: ${msg}`);
}

class ConcatColumn implements Column {
  readonly length: number;
  private readonly parts: Column[];
  private readonly offsets: number[];
  constructor(parts: Column[]) {
    this.parts = parts;
    this.offsets = [];
    let n = 0;
    for (const p of parts) {
      this.offsets.push(n);
      n += p.length;
    }
    this.length = n;
  }
  get(i: number): Value {
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.offsets[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return (this.parts[lo] as Column).get(i - (this.offsets[lo] as number));
  }
}

// ---------------------------------------------------------------------------------------------
// Storage side

/**
 * Storage predicate: tags compared as strings, a missing tag is "" (two-valued logic). `exists r.t`
 * reaches storage rewritten as `r.t != ""` (rules.go rewritePushableExpr), `not exists r.t` as
 * `r.t == ""`.
 */
function storageMatch(p: Pred, s: StoredSeries): boolean {
  switch (p.kind) {
    case "cmp": {
      const v = s.tag(p.column) ?? "";
      return p.op === "==" ? v === p.value : v !== p.value;
    }
    case "exists":
      return (s.tag(p.column) ?? "") !== "";
    case "and":
      return storageMatch(p.left, s) && storageMatch(p.right, s);
    case "or":
      return storageMatch(p.left, s) || storageMatch(p.right, s);
    case "not":
      return !storageMatch(p.arg, s);
  }
}

interface SeriesRead {
  s: StoredSeries;
  times: BigInt64Array;
  values: ReturnType<StoredSeries["read"]>["values"];
  labels: string[];
}

function tagLabels(s: StoredSeries): string[] {
  return ["_field", "_measurement", ...s.tags.map((t) => t[0])].sort(compareStrings);
}

const T_START: ColMeta = { label: "_start", type: "time" };
const T_STOP: ColMeta = { label: "_stop", type: "time" };
const T_TIME: ColMeta = { label: "_time", type: "time" };
const str = (label: string): ColMeta => ({ label, type: "string" });

function readSeries(bucket: Bucket, q: FluxQuery, pred: Pred | null): SeriesRead[] {
  const out: SeriesRead[] = [];
  if (q.stopNs <= q.startNs) return out;
  for (const s of bucket.series()) {
    if (pred !== null && !storageMatch(pred, s)) continue;
    const r = s.read(q.startNs, q.stopNs);
    if (r.times.length === 0) continue;
    out.push({ s, times: r.times, values: r.values, labels: tagLabels(s) });
  }
  return out;
}

function seriesKey(q: FluxQuery, r: SeriesRead): GroupKey {
  return {
    cols: [T_START, T_STOP, ...r.labels.map(str)],
    values: [q.startNs, q.stopNs, ...r.labels.map((l) => r.s.tag(l) as string)],
  };
}

function seriesTable(q: FluxQuery, r: SeriesRead): Table {
  const n = r.times.length;
  return {
    key: seriesKey(q, r),
    cols: [T_START, T_STOP, T_TIME, { label: "_value", type: r.s.type }, ...r.labels.map(str)],
    columns: [
      new ConstColumn(q.startNs, n),
      new ConstColumn(q.stopNs, n),
      new StoredColumn(r.times, "time"),
      new StoredColumn(r.values, r.s.type),
      ...r.labels.map((l) => new ConstColumn(r.s.tag(l) as string, n)),
    ],
    length: n,
  };
}

/** reader.go GroupCursorError uses storage's type names. */
const STORAGE_TYPE: Record<string, string> = {
  float: "float",
  int: "integer",
  uint: "unsigned",
  string: "string",
  bool: "boolean",
};

interface SourceOutput {
  tables: Table[];
  /** A storage error met while reading; `partial` holds the rows of the failing table read before it. */
  error?: { message: string; partial?: Table };
}

function readWindowAggregate(q: FluxQuery, reads: SeriesRead[], agg: Agg): Table[] {
  return reads.map((r) => {
    const t = seriesTable(q, r);
    if (agg === "first") return sliceTable(t, 0, 1);
    if (agg === "last") return sliceTable(t, t.length - 1, t.length);
    // reader.go determineTableColsForWindowAggregate: _start, _stop, _value, tags (no _time).
    return {
      key: t.key,
      cols: [T_START, T_STOP, { label: "_value", type: "int" }, ...r.labels.map(str)],
      columns: [
        new ConstColumn(q.startNs, 1),
        new ConstColumn(q.stopNs, 1),
        new ValuesColumn([BigInt(r.times.length)]),
        ...r.labels.map((l) => new ConstColumn(r.s.tag(l) as string, 1)),
      ],
      length: 1,
    };
  });
}

/** storage/reads/group_resultset.go + storage/flux reader.go ReadGroup (and its aggregates). */
function readGroup(q: FluxQuery, reads: SeriesRead[], keys: string[], agg: Agg | undefined): SourceOutput {
  const groups = new Map<string, { sortKey: Buffer; rows: SeriesRead[] }>();
  for (const r of reads) {
    const parts: Buffer[] = [];
    for (const k of keys) {
      const v = r.s.tag(k) ?? "";
      parts.push(v === "" ? Buffer.from([0xff]) : Buffer.from(v, "utf8"), Buffer.from([0]));
    }
    const sortKey = Buffer.concat(parts);
    const id = sortKey.toString("hex");
    let g = groups.get(id);
    if (g === undefined) {
      g = { sortKey, rows: [] };
      groups.set(id, g);
    }
    g.rows.push(r);
  }
  const ordered = [...groups.values()].sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
  const tables: Table[] = [];
  const keyCols = keys.filter((k) => k !== "_start" && k !== "_stop");
  for (const g of ordered) {
    const first = g.rows[0] as SeriesRead;
    const key: GroupKey = {
      cols: [T_START, T_STOP, ...keyCols.map(str)],
      values: [q.startNs, q.stopNs, ...keyCols.map((k) => first.s.tag(k) ?? "")],
    };
    const type = first.s.type;
    const tagKeys = [...new Set(g.rows.flatMap((r) => r.labels))].sort(compareStrings);
    const clash = (r: SeriesRead) =>
      `schema collision: cannot group ${STORAGE_TYPE[type]} and ${STORAGE_TYPE[r.s.type]} types together`;
    if (agg === "count") {
      let n = 0;
      for (const r of g.rows) n += r.times.length;
      tables.push({
        key,
        cols: [T_START, T_STOP, { label: "_value", type: "int" }, ...keyCols.map(str)],
        columns: [
          new ConstColumn(q.startNs, 1),
          new ConstColumn(q.stopNs, 1),
          new ValuesColumn([BigInt(n)]),
          ...keyCols.map((k, j) => new ConstColumn(key.values[j + 2] ?? null, 1)),
        ],
        length: 1,
      });
      continue;
    }
    const cols: ColMeta[] = [T_START, T_STOP, T_TIME, { label: "_value", type }, ...tagKeys.map(str)];
    if (agg === "first" || agg === "last") {
      // The whole group is aggregated before its table starts, so a clash yields no row of it.
      let best: { t: bigint; v: Value; r: SeriesRead } | undefined;
      for (const r of g.rows) {
        if (r.s.type !== type) return { tables, error: { message: clash(r) } };
        const i = agg === "first" ? 0 : r.times.length - 1;
        const t = r.times[i] as bigint;
        if (best === undefined || (agg === "first" ? t < best.t : t >= best.t))
          best = { t, v: new StoredColumn(r.values, type).get(i), r };
      }
      const b = best as { t: bigint; v: Value; r: SeriesRead };
      tables.push({
        key,
        cols,
        columns: [
          new ConstColumn(q.startNs, 1),
          new ConstColumn(q.stopNs, 1),
          new ValuesColumn([b.t]),
          new ValuesColumn([b.v]),
          ...tagKeys.map((k) => new ConstColumn(b.r.s.tag(k) ?? "", 1)),
        ],
        length: 1,
      });
      continue;
    }
    // Plain ReadGroup: series after series; a series of another type ends the table with an error.
    const parts: Table[] = [];
    let failed: string | undefined;
    for (const r of g.rows) {
      if (r.s.type !== type) {
        failed = clash(r);
        break;
      }
      const n = r.times.length;
      parts.push({
        key,
        cols,
        columns: [
          new ConstColumn(q.startNs, n),
          new ConstColumn(q.stopNs, n),
          new StoredColumn(r.times, "time"),
          new StoredColumn(r.values, type),
          ...tagKeys.map((k) => new ConstColumn(r.s.tag(k) ?? "", n)),
        ],
        length: n,
      });
    }
    const table: Table = {
      key,
      cols,
      columns: cols.map((_, j) => new ConcatColumn(parts.map((p) => p.columns[j] as Column))),
      length: parts.reduce((n, p) => n + p.length, 0),
    };
    if (failed !== undefined) return { tables, error: { message: failed, partial: table } };
    tables.push(table);
  }
  return { tables };
}

function runSource(bucket: Bucket, q: FluxQuery, plan: Plan): SourceOutput {
  const reads = readSeries(bucket, q, plan.storagePred);
  const src = plan.source;
  if (src.kind === "ReadRange") return { tables: reads.map((r) => seriesTable(q, r)) };
  if (src.kind === "ReadWindowAggregate") return { tables: readWindowAggregate(q, reads, src.agg) };
  return readGroup(q, reads, src.keys, src.agg);
}

// ---------------------------------------------------------------------------------------------
// Flux side

interface Stream {
  pieces: Table[];
  /** After a Flux group(): pieces with equal keys are not merged yet. */
  unmerged: boolean;
}

/** buffered_builder.go: merge pieces by key; new columns appended, missing ones null; type clash fails. */
function mergeByKey(pieces: readonly Table[], node: NodeRef): Table[] {
  const builders = new Map<string, { key: GroupKey; cols: ColMeta[]; parts: Table[] }>();
  for (const p of pieces) {
    const id = keyId(p.key);
    let b = builders.get(id);
    if (b === undefined) {
      b = { key: p.key, cols: [...p.cols], parts: [] };
      builders.set(id, b);
    } else {
      for (const c of p.cols) {
        const j = colIndex(b.cols, c.label);
        if (j < 0) b.cols.push(c);
        else if ((b.cols[j] as ColMeta).type !== c.type)
          throw nodeError(
            node,
            `schema collision detected: column "${c.label}" ` +
              `is both of type ${c.type} and ${(b.cols[j] as ColMeta).type}`,
          );
      }
    }
    b.parts.push(p);
  }
  const out: Table[] = [];
  for (const b of builders.values()) {
    if (b.parts.length === 1 && b.parts[0]?.cols.length === b.cols.length) {
      out.push(b.parts[0] as Table);
      continue;
    }
    const columns = b.cols.map((c) => {
      const parts = b.parts.map((p) => {
        const j = colIndex(p.cols, c.label);
        return j < 0 ? new ConstColumn(null, p.length) : (p.columns[j] as Column);
      });
      return new ConcatColumn(parts);
    });
    out.push({ key: b.key, cols: b.cols, columns, length: b.parts.reduce((n, p) => n + p.length, 0) });
  }
  return out.sort((a, b) => compareKeys(a.key, b.key));
}

const byKey = (tables: Table[]) => tables.sort((a, b) => compareKeys(a.key, b.key));

function predColumns(p: Pred, out = new Set<string>()): Set<string> {
  if (p.kind === "cmp" || p.kind === "exists") out.add(p.column);
  else if (p.kind === "not") predColumns(p.arg, out);
  else {
    predColumns(p.left, out);
    predColumns(p.right, out);
  }
  return out;
}

/** Flux evaluation with nulls (see header); returns true, false or null. */
function evalPred(p: Pred, get: (col: string) => Value, node: NodeRef): boolean | null {
  switch (p.kind) {
    case "cmp": {
      const v = get(p.column);
      if (v === null) return null;
      if (typeof v !== "string")
        throw nodeError(
          node,
          `unsupported binary expression ${typeof v === "bigint" ? "int" : typeof v} ${p.op} string`,
        );
      return p.op === "==" ? v === p.value : v !== p.value;
    }
    // compiler/runtime.go: exists is true for a non-null value, never null itself.
    case "exists":
      return get(p.column) !== null;
    case "and": {
      const l = evalPred(p.left, get, node);
      if (l !== true) return false;
      return evalPred(p.right, get, node);
    }
    case "or": {
      const l = evalPred(p.left, get, node);
      if (l === true) return true;
      return evalPred(p.right, get, node);
    }
    case "not": {
      const v = evalPred(p.arg, get, node);
      return v === null ? null : !v;
    }
  }
}

function filterTable(t: Table, op: Extract<PhysOp, { kind: "filter" }>): Table | null {
  const cols = predColumns(op.pred);
  const perTable = [...cols].every((c) => colIndex(t.key.cols, c) >= 0 || colIndex(t.cols, c) < 0);
  let kept: Table;
  if (perTable) {
    const get = (c: string) => {
      const j = colIndex(t.key.cols, c);
      return j < 0 ? null : (t.key.values[j] ?? null);
    };
    kept = evalPred(op.pred, get, op) === true ? t : sliceTable(t, 0, 0);
  } else {
    const idx: number[] = [];
    const colIdx = new Map([...cols].map((c) => [c, colIndex(t.cols, c)]));
    for (let i = 0; i < t.length; i++) {
      const get = (c: string) => {
        const j = colIdx.get(c) ?? -1;
        return j < 0 ? null : (t.columns[j] as Column).get(i);
      };
      if (evalPred(op.pred, get, op) === true) idx.push(i);
    }
    kept = idx.length === t.length ? t : gatherTable(t, idx);
  }
  // filter.go: a chunk left without rows is dropped unless onEmpty: "keep".
  if (kept.length === 0 && op.onEmpty === "drop") return null;
  return kept;
}

function limitPieces(pieces: Table[], n: number, offset: number): Table[] {
  const state = new Map<string, { n: number; offset: number }>();
  const out: Table[] = [];
  for (const p of pieces) {
    const id = keyId(p.key);
    let s = state.get(id);
    if (s === undefined) {
      s = { n, offset };
      state.set(id, s);
    }
    if (s.n <= 0 || p.length === 0) {
      out.push(sliceTable(p, 0, 0));
      continue;
    }
    if (p.length <= s.offset) {
      s.offset -= p.length;
      continue;
    }
    const start = s.offset;
    const count = Math.min(p.length - start, s.n);
    s.n -= count;
    s.offset = 0;
    out.push(sliceTable(p, start, start + count));
  }
  return out;
}

/** group.go: re-key each piece; rows are split only when a grouping column is not in the key. */
function groupPieces(pieces: Table[], columns: string[]): Table[] {
  const keys = [...columns].sort(compareStrings);
  const out: Table[] = [];
  for (const p of pieces) {
    const fast = keys.every((k) => colIndex(p.cols, k) < 0 || colIndex(p.key.cols, k) >= 0);
    if (fast) {
      const cols: ColMeta[] = [];
      const values: Value[] = [];
      for (const k of keys) {
        const j = colIndex(p.key.cols, k);
        if (j < 0) continue;
        cols.push(p.key.cols[j] as ColMeta);
        values.push(p.key.values[j] ?? null);
      }
      out.push({ ...p, key: { cols, values } });
      continue;
    }
    const on = new Set(columns);
    const keyColIdx = p.cols.map((c, j) => (on.has(c.label) ? j : -1)).filter((j) => j >= 0);
    const parts = new Map<string, { key: GroupKey; idx: number[] }>();
    for (let i = 0; i < p.length; i++) {
      const key: GroupKey = {
        cols: keyColIdx.map((j) => p.cols[j] as ColMeta),
        values: keyColIdx.map((j) => (p.columns[j] as Column).get(i)),
      };
      const id = keyId(key);
      let e = parts.get(id);
      if (e === undefined) {
        e = { key, idx: [] };
        parts.set(id, e);
      }
      e.idx.push(i);
    }
    const split = [...parts.values()].sort((a, b) => compareKeys(a.key, b.key));
    for (const e of split) out.push({ ...gatherTable(p, e.idx), key: e.key });
  }
  return out;
}

/** schema_mutators.go: the key keeps the kept key columns, in table column order. */
function mutateColumns(t: Table, keepCol: (label: string) => boolean): Table {
  const cols: ColMeta[] = [];
  const columns: Column[] = [];
  const keyCols: ColMeta[] = [];
  const keyValues: Value[] = [];
  t.cols.forEach((c, j) => {
    if (!keepCol(c.label)) return;
    cols.push(c);
    columns.push(t.columns[j] as Column);
    const kj = colIndex(t.key.cols, c.label);
    if (kj >= 0) {
      keyCols.push(c);
      keyValues.push(t.key.values[kj] ?? null);
    }
  });
  return { key: { cols: keyCols, values: keyValues }, cols, columns, length: t.length };
}

/** internal/arrowutil compare: ascending puts nulls first, descending puts them last. */
function compareCell(a: Value, b: Value, desc: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return a === null ? (desc ? 1 : -1) : desc ? -1 : 1;
  }
  const c = compareValues(a, b);
  return desc ? -c : c;
}

function sortCols(t: { key: GroupKey; cols: readonly ColMeta[] }, columns: string[]): number[] {
  const out: number[] = [];
  for (const c of columns) {
    const j = colIndex(t.cols, c);
    if (j >= 0 && colIndex(t.key.cols, c) < 0) out.push(j);
  }
  return out;
}

function sortTable(t: Table, columns: string[], desc: boolean): Table {
  const sc = sortCols(t, columns);
  if (sc.length === 0 || t.length < 2) return t;
  const idx = Array.from({ length: t.length }, (_, i) => i);
  idx.sort((x, y) => {
    for (const j of sc) {
      const col = t.columns[j] as Column;
      const c = compareCell(col.get(x), col.get(y), desc);
      if (c !== 0) return c;
    }
    return 0;
  });
  return gatherTable(t, idx);
}

// --- sortLimit (flux stdlib/universe/sort_limit.go + sort.go merge heap + Go container/heap) ---

/** Flux array / builder type names in Go panics. */
const ARRAY_NAME: Record<ColType, string> = {
  int: "Int",
  time: "Int",
  uint: "Uint",
  float: "Float",
  bool: "Boolean",
  string: "String",
};

interface HeapItem {
  /** Actual column types of this buffer (may differ from the schema: sortLimit does not check). */
  types: ColType[];
  columns: Column[];
  length: number;
  indices: number[] | null;
  i: number;
  offset: number;
}

function itemNext(it: HeapItem): boolean {
  it.i++;
  if (it.i >= it.length) return false;
  it.offset = it.indices ? (it.indices[it.i] as number) : it.i;
  return true;
}

class MergeHeap {
  items: HeapItem[] = [];
  sortCols: number[];
  readonly desc: boolean;
  constructor(sortColsIdx: number[], desc: boolean) {
    this.sortCols = sortColsIdx;
    this.desc = desc;
  }
  less(i: number, j: number): boolean {
    const x = this.items[i] as HeapItem;
    const y = this.items[j] as HeapItem;
    for (const c of this.sortCols) {
      const tx = x.types[c] as ColType;
      const ty = y.types[c] as ColType;
      if (ARRAY_NAME[tx] !== ARRAY_NAME[ty])
        throw new NodeFailure(
          `panic: interface conversion: array.Array is *array.${ARRAY_NAME[ty]}, not *array.${ARRAY_NAME[tx]}`,
          "internal error",
        );
      const cmp = compareCell(
        (x.columns[c] as Column).get(x.offset),
        (y.columns[c] as Column).get(y.offset),
        this.desc,
      );
      if (cmp !== 0) return cmp < 0;
    }
    return false;
  }
  swap(i: number, j: number): void {
    const t = this.items[i] as HeapItem;
    this.items[i] = this.items[j] as HeapItem;
    this.items[j] = t;
  }
  // Go container/heap
  down(i0: number, n: number): boolean {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.less(j2, j1)) j = j2;
      if (!this.less(j, i)) break;
      this.swap(i, j);
      i = j;
    }
    return i > i0;
  }
  up(j0: number): void {
    let j = j0;
    for (;;) {
      const i = Math.floor((j - 1) / 2);
      if (i === j || j <= 0 || !this.less(j, i)) break;
      this.swap(i, j);
      j = i;
    }
  }
  init(): void {
    const n = this.items.length;
    for (let i = Math.floor(n / 2) - 1; i >= 0; i--) this.down(i, n);
  }
  fix(i: number): void {
    if (!this.down(i, this.items.length)) this.up(i);
  }
  pop(): void {
    const n = this.items.length - 1;
    this.swap(0, n);
    this.down(0, n);
    this.items.pop();
  }
}

interface SortLimitState {
  key: GroupKey;
  cols: ColMeta[];
  heap: MergeHeap;
}

function sortLimit(pieces: Table[], op: Extract<PhysOp, { kind: "sortLimit" }>): Table[] {
  const states = new Map<string, SortLimitState>();
  const order: string[] = [];
  for (const p of pieces) {
    const id = keyId(p.key);
    let st = states.get(id);
    if (st === undefined) {
      st = { key: p.key, cols: [...p.cols], heap: new MergeHeap(sortCols(p, op.columns), op.desc) };
      states.set(id, st);
      order.push(id);
    }
    if (p.length === 0) continue;
    // reconcileSchema: map columns by label, append new ones, nulls for missing ones; no type check.
    const types: ColType[] = [];
    const columns: Column[] = [];
    for (const c of p.cols) {
      if (colIndex(st.cols, c.label) < 0) {
        st.cols.push(c);
        if (op.columns.includes(c.label)) st.heap.sortCols.push(st.cols.length - 1);
        for (const it of st.heap.items) {
          it.types.push(c.type);
          it.columns.push(new ConstColumn(null, it.length));
        }
      }
    }
    st.cols.forEach((c, j) => {
      const pj = colIndex(p.cols, c.label);
      types[j] = pj < 0 ? c.type : (p.cols[pj] as ColMeta).type;
      columns[j] = pj < 0 ? new ConstColumn(null, p.length) : (p.columns[pj] as Column);
    });
    const sorted = sortTable({ ...p, cols: st.cols, columns, length: p.length }, op.columns, op.desc);
    st.heap.items.push({
      types,
      columns: [...sorted.columns],
      length: p.length,
      indices: null,
      i: 0,
      offset: 0,
    });
    topN(st, op.n);
  }
  const out: Table[] = [];
  for (const id of order) {
    const st = states.get(id) as SortLimitState;
    const items = st.heap.items;
    if (items.length === 0) continue; // nothing kept: the key disappears (no chunk reaches the result)
    const columns = st.cols.map((_, j) => new ConcatColumn(items.map((it) => it.columns[j] as Column)));
    out.push({ key: st.key, cols: st.cols, columns, length: items.reduce((n, it) => n + it.length, 0) });
  }
  return out;
}

/** sortTableMergeHeap.Table(limit): merge the items, keep `limit` rows, rebuild typed by the schema. */
function topN(st: SortLimitState, limit: number): void {
  const heap = st.heap;
  const total = heap.items.reduce((n, it) => n + it.length - it.i, 0);
  if (total === 0) {
    heap.items = [];
    return;
  }
  heap.init();
  const rows: Value[][] = st.cols.map(() => []);
  let left = limit;
  while (heap.items.length > 0 && left !== 0) {
    let n = Math.min(
      heap.items.reduce((s, it) => s + it.length - it.i, 0),
      1000,
    );
    if (left > 0 && n > left) n = left;
    for (let r = 0; r < n; r++) {
      const it = heap.items[0] as HeapItem;
      st.cols.forEach((c, j) => {
        if (colIndex(st.key.cols, c.label) >= 0) {
          (rows[j] as Value[]).push(st.key.values[colIndex(st.key.cols, c.label)] ?? null);
          return;
        }
        const actual = it.types[j] as ColType;
        if (ARRAY_NAME[actual] !== ARRAY_NAME[c.type])
          throw new NodeFailure(
            `panic: interface conversion: array.Builder is *array.${ARRAY_NAME[c.type]}Builder, ` +
              `not *array.${ARRAY_NAME[actual]}Builder`,
            "internal error",
          );
        (rows[j] as Value[]).push((it.columns[j] as Column).get(it.offset));
      });
      if (itemNext(it)) heap.fix(0);
      else heap.pop();
    }
    if (left > 0) left -= n;
  }
  const len = (rows[0] ?? []).length;
  heap.items =
    len === 0
      ? []
      : [
          {
            types: st.cols.map((c) => c.type),
            columns: rows.map((r) => new ValuesColumn(r)),
            length: len,
            indices: null,
            i: 0,
            offset: 0,
          },
        ];
}

// ---------------------------------------------------------------------------------------------

function applyOp(stream: Stream, op: PhysOp): Stream {
  const merged = () => (stream.unmerged ? mergeByKey(stream.pieces, op) : stream.pieces);
  switch (op.kind) {
    case "filter": {
      const pieces: Table[] = [];
      for (const p of stream.pieces) {
        const t = filterTable(p, op);
        if (t !== null) pieces.push(t);
      }
      return { pieces, unmerged: stream.unmerged };
    }
    case "limit":
      return { pieces: limitPieces(stream.pieces, op.n, op.offset), unmerged: stream.unmerged };
    case "group":
      return { pieces: groupPieces(stream.pieces, op.columns), unmerged: true };
    case "sortLimit":
      return { pieces: sortLimit(stream.pieces, op), unmerged: false };
    case "sort":
      return { pieces: merged().map((t) => sortTable(t, op.columns, op.desc)), unmerged: false };
    case "first":
    case "last": {
      const out = merged().map((t) => {
        const j = colIndex(t.cols, "_value");
        if (j < 0) throw nodeError(op, `no column "_value" exists`);
        const col = t.columns[j] as Column;
        if (op.kind === "first") {
          for (let i = 0; i < t.length; i++) if (col.get(i) !== null) return sliceTable(t, i, i + 1);
        } else {
          for (let i = t.length - 1; i >= 0; i--) if (col.get(i) !== null) return sliceTable(t, i, i + 1);
        }
        return sliceTable(t, 0, 0);
      });
      return { pieces: byKey(out), unmerged: false };
    }
    case "count": {
      const out = merged().map((t): Table => {
        const j = colIndex(t.cols, op.column);
        if (j < 0) throw nodeError(op, `column ${JSON.stringify(op.column)} does not exist`);
        if (colIndex(t.key.cols, op.column) >= 0)
          throw nodeError(op, "cannot aggregate columns that are part of the group key");
        return {
          key: t.key,
          cols: [...t.key.cols, { label: op.column, type: "int" }],
          columns: [...t.key.values.map((v) => new ConstColumn(v, 1)), new ValuesColumn([BigInt(t.length)])],
          length: 1,
        };
      });
      return { pieces: byKey(out), unmerged: false };
    }
    case "keep":
    case "drop": {
      const set = new Set(op.columns);
      const mutated = merged().map((t) =>
        mutateColumns(t, (l) => (op.kind === "keep" ? set.has(l) : !set.has(l))),
      );
      return { pieces: mergeByKey(mutated, op), unmerged: false };
    }
  }
}

export function evaluate(q: FluxQuery, bucket: Bucket): EvalResult {
  const plan = planQuery(q.ops);
  const planText = describePlan(plan);
  const source = runSource(bucket, q, plan);
  const ops = plan.ops;
  if (source.error !== undefined) {
    // A storage error surfaces in whoever reads the failing table.
    if (ops.length === 0) {
      const tables = [...source.tables];
      if (source.error.partial && source.error.partial.length > 0) tables.push(source.error.partial);
      return { plan: planText, tables, error: { message: source.error.message, code: "invalid" } };
    }
    const first = ops[0] as PhysOp;
    const message = `runtime error @${locString(first.loc)}: ${first.name}: ${source.error.message}`;
    const streaming = ops.every((o) => o.kind === "filter" || o.kind === "limit");
    if (!streaming) return { plan: planText, tables: [], error: { message, code: "invalid" } };
    let stream: Stream = { pieces: source.tables, unmerged: false };
    for (const op of ops) stream = applyOp(stream, op);
    return { plan: planText, tables: stream.pieces, error: { message, code: "invalid" } };
  }
  let stream: Stream = { pieces: source.tables, unmerged: false };
  try {
    for (const op of ops) stream = applyOp(stream, op);
    if (stream.unmerged) {
      // The result merges what a trailing group() left unmerged; the last function is named.
      const last = ops[ops.length - 1] as PhysOp;
      stream = { pieces: mergeByKey(stream.pieces, last), unmerged: false };
    }
  } catch (e) {
    if (e instanceof NodeFailure)
      return { plan: planText, tables: [], error: { message: e.message, code: e.code } };
    throw e;
  }
  return { plan: planText, tables: stream.pieces };
}
