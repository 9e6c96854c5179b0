/**
 * Flux tables as the stand-in evaluates them: typed columns, a group key, column data that is
 * either a view on stored arrays (no copy) or a materialised list of values.
 *
 * Value representation (one per Flux column type, flux/result.go ColType):
 *   float -> number, int / uint / time -> bigint (time = ns since the epoch), bool -> boolean,
 *   string -> string; a missing value is null.
 */

export type ColType = "bool" | "int" | "uint" | "float" | "string" | "time";
export type Value = boolean | number | bigint | string | null;

export interface ColMeta {
  readonly label: string;
  readonly type: ColType;
}

export interface Column {
  readonly length: number;
  get(i: number): Value;
}

export interface GroupKey {
  readonly cols: readonly ColMeta[];
  readonly values: readonly Value[];
}

/** One table (or, after a Flux group(), one not yet merged piece of a table). */
export interface Table {
  readonly key: GroupKey;
  readonly cols: readonly ColMeta[];
  readonly columns: readonly Column[];
  readonly length: number;
}

export class ConstColumn implements Column {
  readonly length: number;
  private readonly value: Value;
  constructor(value: Value, length: number) {
    this.value = value;
    this.length = length;
  }
  get(): Value {
    return this.value;
  }
}

export class ValuesColumn implements Column {
  readonly values: readonly Value[];
  constructor(values: readonly Value[]) {
    this.values = values;
  }
  get length(): number {
    return this.values.length;
  }
  get(i: number): Value {
    return this.values[i] ?? null;
  }
}

/** Storage arrays as they come from the store (see store.ts). */
export type StoredArray = Float64Array | BigInt64Array | BigUint64Array | Uint8Array | readonly string[];

/** A view on a stored array; bool is stored as 0/1 bytes. */
export class StoredColumn implements Column {
  readonly length: number;
  private readonly arr: StoredArray;
  private readonly bool: boolean;
  constructor(arr: StoredArray, type: ColType) {
    this.arr = arr;
    this.bool = type === "bool";
    this.length = arr.length;
  }
  get(i: number): Value {
    const v = this.arr[i];
    if (v === undefined) return null;
    return this.bool ? v === 1 : v;
  }
}

class SliceColumn implements Column {
  readonly length: number;
  private readonly base: Column;
  private readonly start: number;
  constructor(base: Column, start: number, end: number) {
    this.base = base;
    this.start = start;
    this.length = Math.max(0, end - start);
  }
  get(i: number): Value {
    return this.base.get(this.start + i);
  }
}

function gather(col: Column, idx: readonly number[]): Column {
  if (col instanceof ConstColumn) return new ConstColumn(col.get(), idx.length);
  const out: Value[] = new Array<Value>(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = col.get(idx[k] as number);
  return new ValuesColumn(out);
}

export function sliceTable(t: Table, start: number, end: number): Table {
  const s = Math.max(0, Math.min(start, t.length));
  const e = Math.max(s, Math.min(end, t.length));
  return {
    key: t.key,
    cols: t.cols,
    columns: t.columns.map((c) => new SliceColumn(c, s, e)),
    length: e - s,
  };
}

export function gatherTable(t: Table, idx: readonly number[]): Table {
  return { key: t.key, cols: t.cols, columns: t.columns.map((c) => gather(c, idx)), length: idx.length };
}

export function colIndex(cols: readonly ColMeta[], label: string): number {
  for (let j = 0; j < cols.length; j++) if (cols[j]?.label === label) return j;
  return -1;
}

/** Go's string comparison is by bytes; for the ASCII names and values of this project JS order is the same. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TYPE_ORDER: Record<ColType, number> = { bool: 1, int: 2, uint: 3, float: 4, string: 5, time: 6 };

/** Ascending comparison of two non-null values of one column type. */
export function compareValues(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedKeyIdx(k: GroupKey): number[] {
  const idx = k.cols.map((_, i) => i);
  idx.sort((x, y) => compareStrings((k.cols[x] as ColMeta).label, (k.cols[y] as ColMeta).label));
  return idx;
}

/**
 * The order Flux keeps tables in its group lookup (groupkey.go groupKeyLess): labels compared in
 * sorted order, a key missing a label sorts first, then type, then null first, then the value;
 * a shorter key sorts first.
 */
export function compareKeys(a: GroupKey, b: GroupKey): number {
  const ai = sortedKeyIdx(a);
  const bi = sortedKeyIdx(b);
  const n = Math.min(ai.length, bi.length);
  for (let k = 0; k < n; k++) {
    const i = ai[k] as number;
    const j = bi[k] as number;
    const ca = a.cols[i] as ColMeta;
    const cb = b.cols[j] as ColMeta;
    if (ca.label !== cb.label) return ca.label > cb.label ? -1 : 1;
    if (ca.type !== cb.type) return TYPE_ORDER[ca.type] - TYPE_ORDER[cb.type];
    const va = a.values[i] ?? null;
    const vb = b.values[j] ?? null;
    if (va === null && vb === null) continue;
    if (va === null) return -1;
    if (vb === null) return 1;
    const c = compareValues(va, vb);
    if (c !== 0) return c;
  }
  return ai.length - bi.length;
}

/** A stable key string for maps (labels sorted, types and values spelled out). */
export function keyId(k: GroupKey): string {
  let s = "";
  for (const i of sortedKeyIdx(k)) {
    const c = k.cols[i] as ColMeta;
    const v = k.values[i] ?? null;
    s += `${c.label}\u0000${c.type}\u0000${v === null ? "\u0001" : typeof v + ":" + String(v)}\u0000`;
  }
  return s;
}
