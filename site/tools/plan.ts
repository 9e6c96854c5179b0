/**
 * Which pages a build renders. Every period with data gets a key (a hash of its daily rows, its
 * neighbours and the design); a page whose key matches the last published build is carried over
 * unchanged, so a cycle renders only what changed and its cost does not grow with history.
 */
import { createHash } from "node:crypto";
import type { DailyRow, PeriodKind } from "../../reports/src/types.ts";
import { groupDays } from "../src/lib/periods.ts";

export const KINDS: readonly PeriodKind[] = ["day", "week", "month", "season"];

export interface PagePlan {
  kind: PeriodKind;
  id: string;
  key: string;
  /** Contains a day that is not over yet: always rendered. */
  open: boolean;
  /** Files of the page, relative to the site root. */
  files: string[];
  days: string[];
}

/** `.manifest.json` in the published site (nginx never serves dotfiles). */
export interface Manifest {
  design: string;
  pages: Record<string, string>;
}

export const pageFiles = (kind: PeriodKind, id: string): string[] => [
  `${kind}/${id}/index.html`,
  `${kind}/${id}.json`,
  `${kind}/${id}.csv`,
];

/**
 * The rows of the last plan with their digests. The long-running builder plans every cycle over the
 * whole history, and serialising and hashing years of rows costs more than the rest of the plan: a
 * row whose values equal last cycle's keeps its digest (comparing values is about ten times cheaper).
 */
let last = new Map<string, { row: DailyRow; digest: Buffer }>();

function rowDigest(row: DailyRow): Buffer {
  const known = last.get(row.day);
  // The engine hands out the same (frozen) object for a cached row: no need to compare values.
  if (known && (known.row === row || sameValues(known.row, row))) return known.digest;
  return createHash("sha256").update(JSON.stringify(row)).digest();
}

/**
 * Whether two rows hold the same values in the same order, so serialise alike. Rows are flat
 * (numbers, strings, booleans, null and arrays of those); anything else counts as different.
 */
function sameValues(a: object, b: object): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i]) return false;
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (x === y && (typeof x !== "object" || x === null)) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++)
      if (x[j] !== y[j] || (typeof x[j] === "object" && x[j] !== null)) return false;
  }
  return true;
}

export function planPages(rows: readonly DailyRow[], design: string): PagePlan[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  // Each row goes into four pages (its day, week, month and season): hashed once.
  const digest = new Map(rows.map((r) => [r.day, rowDigest(r)]));
  last = new Map(rows.map((r) => [r.day, { row: r, digest: digest.get(r.day)! }]));
  const days = rows.map((r) => r.day);
  const plans: PagePlan[] = [];
  for (const kind of KINDS) {
    const groups = [...groupDays(kind, days).entries()];
    groups.forEach(([id, ds], i) => {
      const h = createHash("sha256").update(design).update(kind).update(id);
      h.update(groups[i - 1]?.[0] ?? "-").update(groups[i + 1]?.[0] ?? "-");
      for (const d of ds) h.update(digest.get(d)!);
      plans.push({
        kind,
        id,
        key: h.digest("hex").slice(0, 20),
        open: ds.some((d) => !byDay.get(d)!.closed),
        files: pageFiles(kind, id),
        days: ds,
      });
    });
  }
  return plans;
}

export const manifestKey = (p: { kind: PeriodKind; id: string }): string => `${p.kind}/${p.id}`;
