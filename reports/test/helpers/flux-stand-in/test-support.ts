/**
 * Test support for the stand-in: every query a test sends is first checked by the official Flux
 * language server (so the tests only use valid Flux), and evaluation results are turned into plain
 * rows for hand-computed expectations.
 */
import { fluxChecker } from "../flux-lsp.ts";
import type { EvalResult } from "./evaluate.ts";
import type { Table, Value } from "./table.ts";

/** Returns `text` once the Flux language server reported no diagnostic for it. */
export async function validFlux(text: string): Promise<string> {
  const diagnostics = await (await fluxChecker()).check(text);
  if (diagnostics.length > 0)
    throw new Error(
      `the Flux language server rejects the query: ${diagnostics.map((d) => d.message).join("; ")}\n${text}`,
    );
  return text;
}

/** ns since the epoch as RFC3339 (UTC, trailing zeros trimmed), for readable expectations. */
function iso(v: Value): Value {
  if (typeof v !== "bigint") return v;
  const d = new Date(Number(v / 1_000_000n)).toISOString();
  const frac = (v % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${d.slice(0, 19)}${frac ? `.${frac}` : ""}Z`;
}

type Row = Record<string, Value>;

/** Rows of a table; time columns as RFC3339 text, int/uint as bigint. */
function rowsOf(t: Table, only?: readonly string[]): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < t.length; i++) {
    const r: Row = {};
    t.cols.forEach((c, j) => {
      if (only && !only.includes(c.label)) return;
      const v = t.columns[j]?.get(i) ?? null;
      r[c.label] = c.type === "time" ? iso(v) : v;
    });
    out.push(r);
  }
  return out;
}

interface TableView {
  key: string[];
  cols: string[];
  rows: Row[];
}

/** Each table as group-key labels, column labels:types and rows (optionally only some columns). */
export function view(r: EvalResult, only?: readonly string[]): TableView[] {
  return r.tables.map((t) => ({
    key: t.key.cols.map((c) => c.label),
    cols: t.cols.map((c) => `${c.label}:${c.type}`),
    rows: rowsOf(t, only),
  }));
}
