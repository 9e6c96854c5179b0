/**
 * History is append-only (README, "The site"): a closed day a site published with data is never
 * replaced by a row computed from less data because the store lost points (InfluxDB's retention, a
 * deleted journal file). The site builder reads its published rows back (its JSON twins) and hands
 * them to the engine (PublishedHistory); for each closed day the engine answers the store's row,
 * unless the store now holds less data for the day than the published row was computed from: then
 * it answers the published row. A day whose data grew (late points, a replay) or stayed as it was (a
 * new engine version) is computed from the store as before. Without a published history (the report
 * command) nothing changes.
 */
import type { DailyRow, DayBuckets, PublishedHistory } from "../types.ts";

/**
 * "Less data": fewer samples of either source inside the day than when it was published. Coverage
 * is the share of expected samples present (daily.ts, one decimal), so a day that lost all its
 * points or the hours a retention cut took shows it, and one that gained late points shows more.
 */
export function storeHasLess(store: DailyRow, published: DailyRow): boolean {
  return (
    store.coverage_elec_pct < published.coverage_elec_pct || store.coverage_hp_pct < published.coverage_hp_pct
  );
}

const storeHasMore = (store: DailyRow, published: DailyRow) =>
  store.coverage_elec_pct > published.coverage_elec_pct || store.coverage_hp_pct > published.coverage_hp_pct;

type Extent = { first: string; last: string };

export class PublishedRows {
  private history: PublishedHistory | null = null;
  /** Days answered from the published history at their last asking. */
  private readonly kept = new Set<string>();
  /** Published rows shaped like the store's rows, by day (the same object while neither changes). */
  private readonly shaped = new Map<string, { from: DailyRow; keys: string; row: DailyRow }>();
  /**
   * First and last published day before `today`. The history only grows (a day's row may be
   * replaced, never removed), so its size tells whether its days changed: worked out once per change.
   */
  private own: { size: number; today: string; extent: Extent | null } | null = null;

  set(history: PublishedHistory | null): void {
    if (history === this.history) return;
    this.history = history;
    this.kept.clear();
    this.shaped.clear();
    this.own = null;
  }

  /** The published row of a closed day with data, if any. */
  private row(day: string): DailyRow | undefined {
    return this.history?.rows.get(day);
  }

  /** Whether a site published `day` as a closed day with data. */
  holds(day: string): boolean {
    return this.row(day) !== undefined;
  }

  /**
   * The rows to answer for the store's rows of consecutive days `rows` (`before`, `after`: the
   * store's rows of the days around them, where those were published): the published row of each
   * closed day the store now holds less data for, and of each whose neighbour did while its own data
   * did not grow, since a day's data reaches into the days around it (LOOKBACK_MS before its start,
   * for the counter step across midnight; LOOKAHEAD_MS after its end, for its last readings).
   */
  merge(rows: DailyRow[], before?: DailyRow, after?: DailyRow): DailyRow[] {
    if (!this.history) return rows;
    const lost = [before, ...rows, after].map((r) => r !== undefined && this.lost(r));
    return rows.map((r, i) => {
      const p = r.closed ? this.row(r.day) : undefined;
      const keep = p !== undefined && (lost[i + 1] || ((lost[i] || lost[i + 2]) && !storeHasMore(r, p)));
      if (!keep) {
        this.kept.delete(r.day);
        return r;
      }
      this.kept.add(r.day);
      return this.shape(p, r);
    });
  }

  /** Whether the store holds less data for the closed day of `r` than was published. */
  private lost(r: DailyRow): boolean {
    const p = r.closed ? this.row(r.day) : undefined;
    return p !== undefined && storeHasLess(r, p);
  }

  /**
   * The published row with the store row's fields, in its order: a field the published row predates
   * is null (a list: as many nulls as the store row has entries), a field it has that the engine no
   * longer computes (or that a report adds to its rows, such as a day's cost) is left out.
   */
  private shape(p: DailyRow, like: DailyRow): DailyRow {
    const keys = Object.keys(like);
    const sig = keys.join();
    const known = this.shaped.get(p.day);
    if (known && known.from === p && known.keys === sig) return known.row;
    const src = p as unknown as Record<string, unknown>;
    const same = Object.keys(p).join() === sig && Object.isFrozen(p);
    let row = p;
    if (!same) {
      const out: Record<string, unknown> = {};
      const tmpl = like as unknown as Record<string, unknown>;
      for (const k of keys) {
        const t = tmpl[k];
        out[k] = k in src ? src[k] : Array.isArray(t) ? t.map(() => null) : null;
      }
      row = Object.freeze(out) as unknown as DailyRow;
    }
    this.shaped.set(p.day, { from: p, keys: sig, row });
    return row;
  }

  /** The published buckets of a day answered from the published history, or null (then the store's). */
  buckets(day: string): DayBuckets | null {
    return this.kept.has(day) ? (this.history?.buckets(day) ?? null) : null;
  }

  /** The days answered from the published history at their last asking, oldest first. */
  keptDays(): string[] {
    return [...this.kept].sort();
  }

  /** The store's extent widened by the published days before `today` (kept days count as data). */
  extent(store: Extent | null, today: string): Extent | null {
    const own = this.ownExtent(today);
    if (!own) return store;
    if (!store) return own;
    return {
      first: own.first < store.first ? own.first : store.first,
      last: own.last > store.last ? own.last : store.last,
    };
  }

  private ownExtent(today: string): Extent | null {
    const rows = this.history?.rows;
    if (!rows || rows.size === 0) return null;
    if (this.own?.size === rows.size && this.own.today === today) return this.own.extent;
    let first: string | undefined;
    let last: string | undefined;
    for (const day of rows.keys()) {
      if (day >= today) continue;
      if (first === undefined || day < first) first = day;
      if (last === undefined || day > last) last = day;
    }
    const extent = first === undefined || last === undefined ? null : { first, last };
    this.own = { size: rows.size, today, extent };
    return extent;
  }
}
