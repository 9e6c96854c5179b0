/**
 * Parses the Flux subset the stand-in evaluates into a pipeline of calls, and refuses everything
 * else with the error class InfluxDB uses for a query it cannot compile (HTTP 400, code "invalid").
 *
 * Accepted (exactly):
 *   from(bucket: "b")
 *   |> range(start: T, stop: T)          T: time literal (2026-03-29T00:00:00Z, 2026-03-29) or time(v: "RFC3339")
 *   |> filter(fn: (r) => P[, onEmpty: "drop" | "keep"])
 *        P: r.col / r["col"] ==|!= "string", or exists r.col, joined by and / or / not and
 *           parentheses; col is _measurement, _field or a tag (never _value, _time, _start, _stop)
 *   then any of keep(columns:), drop(columns:), first(), last(), count([column:]),
 *   group([columns:][, mode: "by"]), sort([columns:][, desc:]), limit(n:[, offset:]).
 *
 * Message forms follow InfluxDB 2.7: semantic errors `error @L:C-L:C: …`, syntax errors
 * `compilation failed: error at @L:C-L:C: …` (locations are 1-based, end exclusive).
 */

interface Pos {
  line: number;
  column: number;
}
interface Loc {
  start: Pos;
  end: Pos;
}
export const locString = (l: Loc) => `${l.start.line}:${l.start.column}-${l.end.line}:${l.end.column}`;

export type Pred =
  | { kind: "cmp"; op: "==" | "!="; column: string; value: string; literalRight: boolean }
  /** `exists r.col`: the row has a (non-null) value in the column. */
  | { kind: "exists"; column: string }
  | { kind: "and" | "or"; left: Pred; right: Pred }
  | { kind: "not"; arg: Pred };

interface OpBase {
  /** Function name as called (error messages name it). */
  name: string;
  loc: Loc;
}
export type Op =
  | (OpBase & { kind: "filter"; pred: Pred; onEmpty: "drop" | "keep" })
  | (OpBase & { kind: "keep" | "drop"; columns: string[] })
  | (OpBase & { kind: "first" | "last" })
  | (OpBase & { kind: "count"; column: string })
  | (OpBase & { kind: "group"; columns: string[] })
  | (OpBase & { kind: "sort"; columns: string[]; desc: boolean })
  | (OpBase & { kind: "limit"; n: number; offset: number });

export interface FluxQuery {
  bucket: string;
  startNs: bigint;
  stopNs: bigint;
  ops: Op[];
}

/** A query InfluxDB would not run (or the stand-in does not support): HTTP 400, code "invalid". */
export class FluxCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FluxCompileError";
  }
}

const SUBSET =
  "the stand-in evaluates only from |> range(start, stop: absolute times) " +
  "|> filter(==/!= on _measurement, _field and tags, exists, joined by and/or/not), " +
  "then keep, drop, first, last, count, group, sort, limit";

function refuse(loc: Loc, what: string): never {
  throw new FluxCompileError(
    `error @${locString(loc)}: ${what} is not supported by the InfluxDB stand-in (${SUBSET})`,
  );
}
function syntax(loc: Loc, msg: string): never {
  throw new FluxCompileError(`compilation failed: error at @${locString(loc)}: ${msg}`);
}
function semantic(loc: Loc, msg: string): never {
  throw new FluxCompileError(`error @${locString(loc)}: ${msg}`);
}

type TokKind = "ident" | "string" | "int" | "float" | "time" | "duration" | "op" | "eof";
interface Tok {
  kind: TokKind;
  text: string;
  /** Decoded value of a string literal. */
  value?: string;
  /** Set when a string literal uses ${…} interpolation. */
  interpolated?: boolean;
  loc: Loc;
}

const OPS = [
  "|>",
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "=~",
  "!~",
  "<-",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ":",
  ".",
  "=",
];
const SINGLE = "<>+-*/%^?@";
const TIME_RE = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))?/y;
const DURATION_RE = /(?:\d+(?:mo|ms|us|µs|ns|y|w|d|h|m|s))+/y;
const FLOAT_RE = /\d+\.\d*|\.\d+/y;
const INT_RE = /\d+/y;
const IDENT_RE = /[A-Za-z_][A-Za-z0-9_]*/y;

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const pos = (): Pos => ({ line, column: col });
  const advance = (n: number) => {
    for (let k = 0; k < n; k++) {
      if (src[i] === "\n") {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  const match = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(src);
    return m ? m[0] : null;
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      advance(1);
      continue;
    }
    if (src.startsWith("//", i)) {
      while (i < src.length && src[i] !== "\n") advance(1);
      continue;
    }
    const start = pos();
    const push = (kind: TokKind, text: string, extra: Partial<Tok> = {}) => {
      advance(text.length);
      toks.push({ kind, text, loc: { start, end: pos() }, ...extra });
    };
    if (c === '"') {
      let j = i + 1;
      let value = "";
      let interpolated = false;
      while (j < src.length && src[j] !== '"') {
        if (src[j] === "\\") {
          const e = src[j + 1];
          value += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : (e ?? "");
          j += 2;
          continue;
        }
        if (src[j] === "$" && src[j + 1] === "{") interpolated = true;
        value += src[j];
        j++;
      }
      if (j >= src.length) syntax({ start, end: start }, "got unexpected EOF in string literal");
      push("string", src.slice(i, j + 1), { value, interpolated });
      continue;
    }
    if (c >= "0" && c <= "9") {
      const t = match(TIME_RE);
      if (t) {
        push("time", t);
        continue;
      }
      const d = match(DURATION_RE);
      if (d) {
        push("duration", d);
        continue;
      }
      const f = match(FLOAT_RE);
      if (f) {
        push("float", f);
        continue;
      }
      push("int", match(INT_RE) as string);
      continue;
    }
    const id = match(IDENT_RE);
    if (id) {
      push("ident", id);
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      push("op", op);
      continue;
    }
    if (SINGLE.includes(c)) {
      push("op", c);
      continue;
    }
    syntax({ start, end: start }, `invalid character ${JSON.stringify(c)}`);
  }
  const end = pos();
  toks.push({ kind: "eof", text: "", loc: { start: end, end } });
  return toks;
}

/** RFC3339 (and Flux's date-only form) to ns since the epoch; null when it is not a valid time. */
function parseTime(text: string, allowDateOnly: boolean): bigint | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}))?$/.exec(
    text,
  );
  if (!m) return null;
  if (m[4] === undefined && !allowDateOnly) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(
    Number,
  ) as number[];
  if (
    (mo as number) < 1 ||
    (mo as number) > 12 ||
    (d as number) < 1 ||
    (d as number) > 31 ||
    (h as number) > 23 ||
    (mi as number) > 59 ||
    (s as number) > 59
  )
    return null;
  const ms = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  if (new Date(ms).getUTCDate() !== d) return null;
  let ns = BigInt(ms) * 1_000_000n + BigInt((m[7] ?? "").padEnd(9, "0") || "0");
  const off = m[8];
  if (off && off !== "Z") {
    const sign = off[0] === "-" ? -1n : 1n;
    const minutes = BigInt(Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6)));
    ns -= sign * minutes * 60_000_000_000n;
  }
  return ns;
}

type Arg =
  | { kind: "string"; value: string; loc: Loc }
  | { kind: "int"; value: bigint; loc: Loc }
  | { kind: "bool"; value: boolean; loc: Loc }
  | { kind: "time"; ns: bigint; loc: Loc }
  | { kind: "array"; items: Arg[]; loc: Loc }
  | { kind: "fn"; param: string; body: Pred; loc: Loc };

interface Call {
  name: string;
  loc: Loc;
  args: Map<string, Arg>;
}

const PIPELINE_FUNCTIONS = new Set([
  "from",
  "range",
  "filter",
  "keep",
  "drop",
  "first",
  "last",
  "count",
  "group",
  "sort",
  "limit",
]);

const REFUSED_FUNCTIONS: Record<string, string> = {
  aggregateWindow: "aggregateWindow() (windows in a non-UTC location are not pushed down to storage)",
  window: "window()",
  map: "map()",
  pivot: "pivot()",
  union: "union()",
  join: "join()",
  yield: "yield()",
  contains: "contains() (not pushed down to storage)",
  reduce: "reduce()",
  fill: "fill()",
  distinct: "distinct()",
  mean: "mean()",
  sum: "sum()",
  max: "max()",
  min: "min()",
  now: "now() (a relative time)",
};

const tokName = (t: Tok) => (t.kind === "eof" ? "EOF" : JSON.stringify(t.text));

class Parser {
  private i = 0;
  private readonly toks: Tok[];
  constructor(toks: Tok[]) {
    this.toks = toks;
  }
  peek(k = 0): Tok {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)] as Tok;
  }
  next(): Tok {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "op" && t.text === text;
  }
  isIdent(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "ident" && t.text === text;
  }
  expectOp(text: string): Tok {
    const t = this.next();
    if (t.kind !== "op" || t.text !== text) syntax(t.loc, `expected ${text}, got ${tokName(t)}`);
    return t;
  }

  program(): Call[] {
    const first = this.peek();
    if (first.kind === "eof") syntax(first.loc, "the query is empty");
    if (first.kind === "ident") {
      if (first.text === "import") refuse(first.loc, "import");
      if (first.text === "option") refuse(first.loc, "an option statement");
      if (first.text === "package") refuse(first.loc, "a package clause");
      if (this.isOp("=", 1)) refuse(first.loc, "a variable assignment (one pipeline per request)");
    }
    const calls = [this.call()];
    while (this.isOp("|>")) {
      this.next();
      calls.push(this.call());
    }
    const rest = this.peek();
    if (rest.kind !== "eof") refuse(rest.loc, "more than one statement or pipeline in one request");
    return calls;
  }

  call(): Call {
    const id = this.next();
    if (id.kind !== "ident") {
      if (id.kind === "eof") syntax(id.loc, "expected a function call, got EOF");
      refuse(id.loc, `the expression ${JSON.stringify(id.text)}`);
    }
    if (this.isOp(".")) refuse(id.loc, `the package function ${id.text}.${this.peek(1).text}()`);
    if (!this.isOp("(")) refuse(id.loc, `the identifier ${id.text} (only function calls in the pipeline)`);
    if (!PIPELINE_FUNCTIONS.has(id.text)) {
      // Name the refused call with its whole extent, before reading arguments we would refuse anyway.
      let depth = 0;
      let end = id.loc.end;
      for (let k = 0; ; k++) {
        const t = this.peek(k);
        if (t.kind === "eof") break;
        if (t.kind === "op" && (t.text === "(" || t.text === "[" || t.text === "{")) depth++;
        if (t.kind === "op" && (t.text === ")" || t.text === "]" || t.text === "}")) depth--;
        end = t.loc.end;
        if (depth === 0) break;
      }
      refuse({ start: id.loc.start, end }, REFUSED_FUNCTIONS[id.text] ?? `the function ${id.text}()`);
    }
    this.next();
    const args = new Map<string, Arg>();
    while (!this.isOp(")")) {
      const name = this.next();
      if (name.kind !== "ident")
        syntax(name.loc, `expected an argument name, got ${JSON.stringify(name.text)}`);
      this.expectOp(":");
      if (args.has(name.text)) semantic(name.loc, `duplicate argument ${name.text}`);
      args.set(name.text, this.arg());
      if (this.isOp(",")) this.next();
      else if (!this.isOp(")"))
        syntax(this.peek().loc, `expected comma in property list, got ${tokName(this.peek())}`);
    }
    const close = this.next();
    return { name: id.text, loc: { start: id.loc.start, end: close.loc.end }, args };
  }

  arg(): Arg {
    const t = this.peek();
    switch (t.kind) {
      case "string":
        this.next();
        if (t.interpolated) refuse(t.loc, "string interpolation");
        return { kind: "string", value: t.value as string, loc: t.loc };
      case "int":
        this.next();
        return { kind: "int", value: BigInt(t.text), loc: t.loc };
      case "float":
        this.next();
        refuse(t.loc, `the float literal ${t.text} as an argument`);
      // falls through (refuse never returns)
      case "time": {
        this.next();
        const ns = parseTime(t.text, true);
        if (ns === null) syntax(t.loc, `invalid date time literal ${t.text}`);
        return { kind: "time", ns, loc: t.loc };
      }
      case "duration":
        this.next();
        refuse(t.loc, `the duration ${t.text} (a relative time; give absolute start and stop)`);
      // falls through
      case "ident": {
        if (t.text === "true" || t.text === "false") {
          this.next();
          return { kind: "bool", value: t.text === "true", loc: t.loc };
        }
        if (t.text === "time" && this.isOp("(", 1)) return this.timeCall();
        if (this.isOp("(", 1)) {
          const what = REFUSED_FUNCTIONS[t.text] ?? `the function call ${t.text}()`;
          refuse(t.loc, what);
        }
        refuse(t.loc, `the identifier ${t.text} (variables and options)`);
      }
      // falls through
      case "op": {
        if (t.text === "[") return this.array();
        if (t.text === "(") return this.fn();
        if (t.text === "-" && this.peek(1).kind === "duration")
          refuse(t.loc, `the duration -${this.peek(1).text} (a relative time; give absolute start and stop)`);
        if (t.text === "{") refuse(t.loc, "a record literal");
        if (t.text === "/") refuse(t.loc, "a regular expression");
        refuse(t.loc, `the expression ${JSON.stringify(t.text)}`);
      }
      // falls through
      default:
        syntax(t.loc, "expected an argument value, got EOF");
    }
  }

  timeCall(): Arg {
    const start = this.next().loc.start;
    this.expectOp("(");
    const name = this.next();
    if (name.kind !== "ident" || name.text !== "v") syntax(name.loc, "time() takes one argument v");
    this.expectOp(":");
    const v = this.next();
    if (v.kind !== "string" || v.interpolated) refuse(v.loc, "time(v:) with anything but a string literal");
    if (this.isOp(",")) this.next();
    const close = this.expectOp(")");
    const loc = { start, end: close.loc.end };
    const ns = parseTime(v.value as string, false);
    if (ns === null) semantic(loc, `cannot parse time ${JSON.stringify(v.value)}: not RFC3339`);
    return { kind: "time", ns, loc };
  }

  array(): Arg {
    const open = this.next();
    const items: Arg[] = [];
    while (!this.isOp("]")) {
      items.push(this.arg());
      if (this.isOp(",")) this.next();
      else if (!this.isOp("]"))
        syntax(this.peek().loc, `expected comma in array, got ${tokName(this.peek())}`);
    }
    const close = this.next();
    return { kind: "array", items, loc: { start: open.loc.start, end: close.loc.end } };
  }

  fn(): Arg {
    const open = this.next();
    const param = this.next();
    if (param.kind !== "ident" || !this.isOp(")"))
      refuse(open.loc, "a function or parenthesised expression other than (r) => predicate");
    this.next();
    this.expectOp("=>");
    if (this.isOp("{")) refuse(this.peek().loc, "a function body block");
    const body = this.or(param.text);
    return {
      kind: "fn",
      param: param.text,
      body,
      loc: { start: open.loc.start, end: this.toks[this.i - 1]?.loc.end ?? open.loc.end },
    };
  }

  // Predicate grammar, Flux precedence: comparison > not > and > or.
  or(p: string): Pred {
    let left = this.and(p);
    while (this.isIdent("or")) {
      this.next();
      left = { kind: "or", left, right: this.and(p) };
    }
    return left;
  }
  and(p: string): Pred {
    let left = this.not(p);
    while (this.isIdent("and")) {
      this.next();
      left = { kind: "and", left, right: this.not(p) };
    }
    return left;
  }
  not(p: string): Pred {
    if (this.isIdent("not")) {
      this.next();
      return { kind: "not", arg: this.not(p) };
    }
    if (this.isIdent("exists")) {
      // Flux binds a comparison tighter than exists: `exists r.a == "x"` would be exists of a bool.
      this.next();
      const t = this.peek();
      const a = this.operand(p);
      if (a.kind !== "column") refuse(t.loc, `exists on something other than ${p}.col`);
      const after = this.peek();
      if (after.kind === "op" && ["==", "!=", "<", ">", "<=", ">=", "=~", "!~"].includes(after.text))
        refuse(after.loc, "exists on a comparison");
      return { kind: "exists", column: a.value };
    }
    return this.cmp(p);
  }
  cmp(p: string): Pred {
    if (this.isOp("(")) {
      this.next();
      const inner = this.or(p);
      this.expectOp(")");
      const t = this.peek();
      if (t.kind === "op" && ["==", "!=", "<", ">", "<=", ">=", "=~", "!~"].includes(t.text))
        refuse(t.loc, "comparing a parenthesised expression");
      return inner;
    }
    const a = this.operand(p);
    const opTok = this.next();
    if (opTok.kind !== "op" || (opTok.text !== "==" && opTok.text !== "!=")) {
      if (opTok.kind === "op" && (opTok.text === "=~" || opTok.text === "!~"))
        refuse(opTok.loc, "a regular expression match");
      if (opTok.kind === "op") refuse(opTok.loc, `the operator ${opTok.text} in a predicate`);
      refuse(opTok.loc, 'a predicate that is not a comparison (r.col == "value")');
    }
    const b = this.operand(p);
    if (a.kind === "column" && b.kind === "string")
      return { kind: "cmp", op: opTok.text, column: a.value, value: b.value, literalRight: true };
    if (a.kind === "string" && b.kind === "column")
      return { kind: "cmp", op: opTok.text, column: b.value, value: a.value, literalRight: false };
    refuse(opTok.loc, "a comparison that is not between a column and a string literal");
  }
  operand(p: string): { kind: "column" | "string"; value: string } {
    const t = this.next();
    if (t.kind === "string") {
      if (t.interpolated) refuse(t.loc, "string interpolation");
      return { kind: "string", value: t.value as string };
    }
    if (t.kind === "ident") {
      if (t.text === p) {
        let col: string;
        if (this.isOp(".")) {
          this.next();
          const name = this.next();
          if (name.kind !== "ident") syntax(name.loc, "expected a property name");
          col = name.text;
        } else if (this.isOp("[")) {
          this.next();
          const s = this.next();
          if (s.kind !== "string" || s.interpolated) refuse(s.loc, "an index that is not a string literal");
          this.expectOp("]");
          col = s.value as string;
        } else refuse(t.loc, `the record ${p} itself in a comparison`);
        if (["_value", "_time", "_start", "_stop"].includes(col))
          refuse(t.loc, `a predicate on ${col} (only _measurement, _field and tags)`);
        if (this.isOp(".") || this.isOp("[") || this.isOp("("))
          refuse(this.peek().loc, "a nested property or call");
        return { kind: "column", value: col };
      }
      if (t.text === "true" || t.text === "false") refuse(t.loc, "a boolean literal in a predicate");
      if (this.isOp("(") || this.isOp(".")) {
        const name = this.isOp(".") ? `${t.text}.${this.peek(1).text}()` : `${t.text}()`;
        refuse(t.loc, REFUSED_FUNCTIONS[t.text] ?? `the function call ${name} in a predicate`);
      }
      refuse(t.loc, `the identifier ${t.text} in a predicate (only ${p}.col and string literals)`);
    }
    if (t.kind === "int" || t.kind === "float") refuse(t.loc, "a number in a predicate");
    if (t.kind === "time" || t.kind === "duration") refuse(t.loc, "a time in a predicate");
    if (t.kind === "op" && t.text === "/") refuse(t.loc, "a regular expression");
    if (t.kind === "eof") syntax(t.loc, "expected an operand, got EOF");
    refuse(t.loc, `the expression ${JSON.stringify(t.text)} in a predicate`);
  }
}

function onlyArgs(c: Call, allowed: string[]): void {
  for (const [name, a] of c.args)
    if (!allowed.includes(name)) refuse(a.loc, `the argument ${name} of ${c.name}()`);
}
function stringList(c: Call, name: string): string[] | undefined {
  const a = c.args.get(name);
  if (a === undefined) return undefined;
  if (a.kind !== "array") semantic(a.loc, `expected ${name} to be an array of strings`);
  return a.items.map((it) => {
    if (it.kind !== "string") semantic(it.loc, `expected ${name} to be an array of strings`);
    return it.value;
  });
}
function intArg(c: Call, name: string): number | undefined {
  const a = c.args.get(name);
  if (a === undefined) return undefined;
  if (a.kind !== "int") semantic(a.loc, `expected ${name} to be an integer`);
  return Number(a.value);
}
function missing(c: Call, name: string): never {
  semantic(c.loc, `missing required argument ${name}`);
}

/** Parses and checks a query; throws FluxCompileError for anything outside the subset. */
export function parseFlux(text: string): FluxQuery {
  const calls = new Parser(tokenize(text)).program();
  const [from, range, ...rest] = calls as [Call, Call | undefined, ...Call[]];
  if (from.name !== "from")
    refuse(from.loc, REFUSED_FUNCTIONS[from.name] ?? `a pipeline starting with ${from.name}()`);
  onlyArgs(from, ["bucket"]);
  const bucket = from.args.get("bucket");
  if (bucket === undefined) missing(from, "bucket");
  if (bucket.kind !== "string") semantic(bucket.loc, "expected bucket to be a string");
  if (range === undefined || range.name !== "range")
    refuse((range ?? from).loc, "a pipeline without range(start, stop) right after from()");
  onlyArgs(range, ["start", "stop"]);
  const start = range.args.get("start");
  const stop = range.args.get("stop");
  if (start === undefined) missing(range, "start");
  if (stop === undefined) refuse(range.loc, "range() without stop (it defaults to now(), a relative time)");
  if (start.kind !== "time") refuse(start.loc, "a range start that is not an absolute time");
  if (stop.kind !== "time") refuse(stop.loc, "a range stop that is not an absolute time");

  const ops: Op[] = [];
  for (const c of rest) {
    const base = { name: c.name, loc: c.loc };
    switch (c.name) {
      case "filter": {
        onlyArgs(c, ["fn", "onEmpty"]);
        const fn = c.args.get("fn");
        if (fn === undefined) missing(c, "fn");
        if (fn.kind !== "fn") refuse(fn.loc, "a filter fn that is not a function literal");
        const oe = c.args.get("onEmpty");
        let onEmpty: "drop" | "keep" = "drop";
        if (oe !== undefined) {
          if (oe.kind !== "string") semantic(oe.loc, "expected onEmpty to be a string");
          if (oe.value !== "drop" && oe.value !== "keep")
            semantic(oe.loc, `onEmpty must be keep or drop, was ${JSON.stringify(oe.value)}`);
          onEmpty = oe.value;
        }
        ops.push({ ...base, kind: "filter", pred: fn.body, onEmpty });
        break;
      }
      case "keep":
      case "drop": {
        onlyArgs(c, ["columns"]);
        const columns = stringList(c, "columns");
        if (columns === undefined) refuse(c.loc, `${c.name}() without columns`);
        ops.push({ ...base, kind: c.name, columns });
        break;
      }
      case "first":
      case "last": {
        onlyArgs(c, ["column"]);
        const col = c.args.get("column");
        if (col !== undefined && !(col.kind === "string" && col.value === "_value"))
          refuse(col.loc, `${c.name}() on a column other than _value`);
        ops.push({ ...base, kind: c.name });
        break;
      }
      case "count": {
        onlyArgs(c, ["column"]);
        const col = c.args.get("column");
        if (col !== undefined && col.kind !== "string") semantic(col.loc, "expected column to be a string");
        ops.push({ ...base, kind: "count", column: col?.kind === "string" ? col.value : "_value" });
        break;
      }
      case "group": {
        onlyArgs(c, ["columns", "mode"]);
        const mode = c.args.get("mode");
        if (mode !== undefined && !(mode.kind === "string" && mode.value === "by"))
          refuse(mode.loc, 'group() with a mode other than "by"');
        ops.push({ ...base, kind: "group", columns: stringList(c, "columns") ?? [] });
        break;
      }
      case "sort": {
        onlyArgs(c, ["columns", "desc"]);
        const desc = c.args.get("desc");
        if (desc !== undefined && desc.kind !== "bool") semantic(desc.loc, "expected desc to be a boolean");
        ops.push({
          ...base,
          kind: "sort",
          columns: stringList(c, "columns") ?? ["_value"],
          desc: desc?.kind === "bool" ? desc.value : false,
        });
        break;
      }
      case "limit": {
        onlyArgs(c, ["n", "offset"]);
        const n = intArg(c, "n");
        if (n === undefined) missing(c, "n");
        ops.push({ ...base, kind: "limit", n, offset: intArg(c, "offset") ?? 0 });
        break;
      }
      case "range":
        refuse(c.loc, "a second range()");
      // falls through
      default:
        refuse(c.loc, REFUSED_FUNCTIONS[c.name] ?? `the function ${c.name}()`);
    }
  }
  return { bucket: bucket.value, startNs: start.ns, stopNs: stop.ns, ops };
}
