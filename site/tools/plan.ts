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

export function planPages(rows: readonly DailyRow[], design: string): PagePlan[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  // Each row is hashed into four pages (its day, week, month and season): serialised once.
  const text = new Map(rows.map((r) => [r.day, JSON.stringify(r)]));
  const days = rows.map((r) => r.day);
  const plans: PagePlan[] = [];
  for (const kind of KINDS) {
    const groups = [...groupDays(kind, days).entries()];
    groups.forEach(([id, ds], i) => {
      const h = createHash("sha256").update(design).update(kind).update(id);
      h.update(groups[i - 1]?.[0] ?? "-").update(groups[i + 1]?.[0] ?? "-");
      for (const d of ds) h.update(text.get(d)!);
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
