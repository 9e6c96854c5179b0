/**
 * Which pages a build renders. Every period with data gets a key (a hash of its daily rows, its
 * neighbours and the design); a page whose key matches the last published build is carried over
 * unchanged, so a cycle renders only what changed and its cost does not grow with history.
 *
 * The key holds everything a page shows: its own rows, which neighbours it links, and the rows of
 * the period before it, whose totals it is compared with ("previous"). Late data for a closed day
 * so renders the next day's page again too, as it does the day's week, month and season.
 */
import { createHash } from "node:crypto";
import type { DailyRow, PeriodKind } from "../../reports/src/types.ts";
import { periodOf } from "../../reports/src/periods.ts";
import { FUTURE_SLACK_MS } from "../../reports/src/store/plausible.ts";
import { LOOKAHEAD_MS } from "../../reports/src/store/samples.ts";

export const KINDS: readonly PeriodKind[] = ["day", "week", "month", "season"];

export interface PagePlan {
  kind: PeriodKind;
  id: string;
  /** `kind/id`: the page's name in the manifest (manifestKey). */
  page: string;
  key: string;
  /** Contains a day that is not over yet (or a day page whose next hour is still coming): always rendered. */
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

/** What a page's key is made of (see the top): its plan is kept while they are the same. */
interface KeyParts {
  design: string;
  around: string;
  digests: Buffer[];
  /** The digests of the previous period's rows (its totals are the page's comparison). */
  before: Buffer[];
}

/**
 * The plans of the last call by page, with what their keys were made of: a period whose rows,
 * neighbours and design are as they were keeps its plan without hashing again, so a cycle hashes
 * the periods that changed (the open ones), not years of them.
 */
let planned = new Map<string, KeyParts & { plan: PagePlan }>();

const sameBuffers = (a: readonly Buffer[], b: readonly Buffer[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Whether a closed day's page is still rendered like an open one: its five-minute buckets read the
 * first hour of the next day (the heat pump interval across midnight, LOOKAHEAD_MS), which its row
 * does not show, so its page is drawn again until that hour (and a poll's slack) has passed.
 */
const awaitsNextHour = (row: DailyRow, nowMs: number) =>
  row.closed && Date.parse(row.end) + LOOKAHEAD_MS + FUTURE_SLACK_MS > nowMs;

/**
 * `rows`: consecutive days, oldest first, as the engine's dailyRows returns them. `nowMs`: the
 * build's time (a day just over is drawn again while the next day's first hour comes in).
 */
export function planPages(
  rows: readonly DailyRow[],
  design: string,
  nowMs = Number.POSITIVE_INFINITY,
): PagePlan[] {
  // Each row goes into four pages (its day, week, month and season): hashed once.
  const digests = rows.map(rowDigest);
  last = new Map(rows.map((r, i) => [r.day, { row: r, digest: digests[i]! }]));
  const next = new Map<string, KeyParts & { plan: PagePlan }>();
  const plans: PagePlan[] = [];
  for (const kind of KINDS) {
    // Days are consecutive, so a period's days are a run of rows.
    const runs: { id: string; from: number; to: number }[] = [];
    rows.forEach((r, i) => {
      const id = periodOf(kind, r.day);
      if (runs.at(-1)?.id === id) runs.at(-1)!.to = i + 1;
      else runs.push({ id, from: i, to: i + 1 });
    });
    runs.forEach(({ id, from, to }, i) => {
      // A page links its neighbours: their ids are part of its key.
      const around = `${runs[i - 1]?.id ?? "-"}|${runs[i + 1]?.id ?? "-"}`;
      const own = digests.slice(from, to);
      // Runs are consecutive periods: the run before is the previous period (its days with data).
      const prev = runs[i - 1];
      const before = prev ? digests.slice(prev.from, prev.to) : [];
      const name = manifestKey({ kind, id });
      const known = planned.get(name);
      let plan: PagePlan;
      if (
        known &&
        known.design === design &&
        known.around === around &&
        sameBuffers(known.digests, own) &&
        sameBuffers(known.before, before)
      ) {
        plan = known.plan;
      } else {
        const h = createHash("sha256").update(design).update(kind).update(id).update(around);
        for (const d of own) h.update(d);
        // Apart from the page's own rows: a row of the previous period is never mistaken for one of its own.
        h.update("previous");
        for (const d of before) h.update(d);
        const days = rows.slice(from, to);
        plan = {
          kind,
          id,
          page: name,
          key: h.digest("hex").slice(0, 20),
          open: days.some((r) => !r.closed),
          files: pageFiles(kind, id),
          days: days.map((r) => r.day),
        };
      }
      next.set(name, { design, around, digests: own, before, plan });
      if (kind === "day" && !plan.open && awaitsNextHour(rows[from]!, nowMs)) plan = { ...plan, open: true };
      plans.push(plan);
    });
  }
  planned = next;
  return plans;
}

export const manifestKey = (p: { kind: PeriodKind; id: string }): string => `${p.kind}/${p.id}`;
