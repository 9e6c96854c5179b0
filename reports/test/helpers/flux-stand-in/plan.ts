/**
 * The physical plan InfluxDB 2.7 (flux v0.196.1) makes of a query in the subset. Pushdowns change
 * what comes back (column order, group key, which error text, whether an error can arrive after
 * rows), so the stand-in applies the same rules:
 *
 * - MergeGroupRule (flux stdlib/universe/group.go, logical): `group |> group` keeps only the last.
 * - PushDownFilterRule (influxdb query/stdlib/influxdata/influxdb/rules.go): the conjuncts of a
 *   filter right after from |> range that are `r.tag ==|!= "literal"` (literal on the right, not
 *   `== ""`), or and/or of such, go to storage; the rest stays a Flux filter. Not with
 *   onEmpty: "keep". Storage compares tags as strings where a missing tag is "" (so `r.t != "x"`
 *   keeps series without tag t, unlike Flux, where null != "x" is null and drops the row;
 *   influxdb issue 13880). `exists r.t`, and `not` of a pushable unary (`not exists r.t`), are
 *   pushed too, rewritten to `r.t != ""` and `r.t == ""` (isPushableUnaryPredicate and
 *   rewritePushableExpr); `not` of a comparison never is.
 * - PushDownGroupRule: group(columns:, mode "by") right after the read, without _time/_value,
 *   becomes a storage ReadGroup: _start and _stop stay in the group key (flux issue 5173), a
 *   missing tag groups as "", and series of different types fail with storage's own error
 *   "schema collision: cannot group float and integer types together" after the rows read so far.
 * - PushDownGroupAggregateRule: count/first/last (on _value) right after that ReadGroup.
 * - PushDownBareAggregateRule: count/first/last (on _value) right after the read become a
 *   ReadWindowAggregate over one infinite window; count's columns are _start, _stop, _value, tags.
 * - SortLimitRule (flux stdlib/universe/sort_limit.go): sort |> limit (offset 0) is one node that
 *   does not check column types when it merges tables (see evaluate.ts).
 */
import type { Op, Pred } from "./parse.ts";

export type Agg = "count" | "first" | "last";
export type Source =
  | { kind: "ReadRange" }
  | { kind: "ReadWindowAggregate"; agg: Agg }
  | { kind: "ReadGroup"; keys: string[]; agg?: Agg };

export type PhysOp =
  Op | { kind: "sortLimit"; name: string; loc: Op["loc"]; columns: string[]; desc: boolean; n: number };

export interface Plan {
  /** Predicate evaluated by storage per series (null: every series). */
  storagePred: Pred | null;
  source: Source;
  ops: PhysOp[];
}

function conjuncts(p: Pred): Pred[] {
  return p.kind === "and" ? [...conjuncts(p.left), ...conjuncts(p.right)] : [p];
}
function conjunction(ps: Pred[]): Pred | null {
  return ps.reduce<Pred | null>((acc, p) => (acc === null ? p : { kind: "and", left: acc, right: p }), null);
}

/** rules.go isPushableUnaryPredicate: exists on a tag, or `not` of such a unary expression. */
const isPushableUnary = (p: Pred): boolean =>
  p.kind === "exists" || (p.kind === "not" && isPushableUnary(p.arg));

/**
 * rules.go isPushableExpr for the subset: literal on the right; no `== ""`; exists; `not` only of
 * a pushable unary (`not exists`), never of a comparison.
 */
function isPushable(p: Pred): boolean {
  switch (p.kind) {
    case "cmp":
      return p.literalRight && !(p.op === "==" && p.value === "");
    case "and":
    case "or":
      return isPushable(p.left) && isPushable(p.right);
    case "exists":
    case "not":
      return isPushableUnary(p);
  }
}

export function planQuery(input: readonly Op[]): Plan {
  // Logical: group |> group keeps the last.
  const ops: PhysOp[] = [];
  for (let i = 0; i < input.length; i++) {
    const op = input[i] as Op;
    if (op.kind === "group" && input[i + 1]?.kind === "group") continue;
    ops.push(op);
  }

  let storagePred: Pred | null = null;
  for (;;) {
    const f = ops[0];
    if (f === undefined || f.kind !== "filter" || f.onEmpty === "keep") break;
    const parts = conjuncts(f.pred);
    const pushable = parts.filter(isPushable);
    if (pushable.length === 0) break;
    const rest = parts.filter((p) => !isPushable(p));
    const pushed = conjunction(pushable) as Pred;
    storagePred = storagePred === null ? pushed : { kind: "and", left: storagePred, right: pushed };
    if (rest.length > 0) {
      ops[0] = { ...f, pred: conjunction(rest) as Pred };
      break;
    }
    ops.shift();
  }

  let source: Source = { kind: "ReadRange" };
  const isValueAgg = (op: PhysOp | undefined): op is Extract<Op, { kind: Agg }> =>
    op !== undefined &&
    (op.kind === "first" || op.kind === "last" || (op.kind === "count" && op.column === "_value"));
  const head = ops[0];
  if (head?.kind === "group" && !head.columns.includes("_time") && !head.columns.includes("_value")) {
    ops.shift();
    source = { kind: "ReadGroup", keys: head.columns };
    const next = ops[0];
    if (isValueAgg(next)) {
      ops.shift();
      source = { kind: "ReadGroup", keys: head.columns, agg: next.kind };
    }
  } else if (isValueAgg(head)) {
    ops.shift();
    source = { kind: "ReadWindowAggregate", agg: head.kind };
  }

  const out: PhysOp[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as PhysOp;
    const next = ops[i + 1];
    if (op.kind === "sort" && next?.kind === "limit" && next.offset === 0) {
      out.push({
        kind: "sortLimit",
        name: next.name,
        loc: next.loc,
        columns: op.columns,
        desc: op.desc,
        n: next.n,
      });
      i++;
      continue;
    }
    out.push(op);
  }
  return { storagePred, source, ops: out };
}

/** A one-line description of the plan (for stats and debugging). */
export function describePlan(p: Plan): string {
  const src =
    p.source.kind === "ReadRange"
      ? "ReadRange"
      : p.source.kind === "ReadWindowAggregate"
        ? `ReadWindowAggregate(${p.source.agg})`
        : `ReadGroup(${p.source.keys.join(",")}${p.source.agg ? `; ${p.source.agg}` : ""})`;
  return [src + (p.storagePred ? "+filter" : ""), ...p.ops.map((o) => o.kind)].join(" |> ");
}
