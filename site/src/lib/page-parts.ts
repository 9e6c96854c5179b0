/**
 * The shapes of the figures a page lays out: KPI cards (KpiGrid.astro), rows of the comparison with
 * the previous period (ComparisonTable.astro) and rows of a table of figures (DataTable.astro). A
 * leaf of types, so the modules that make cards and rows (status-cards.ts, period-cards.ts,
 * analytics-cards.ts) share them without importing each other.
 */
import type { Quantity } from "../charts/palette.ts";

/** A KPI card: a figure with its label. */
export interface Kpi {
  label: string;
  value: string;
  /** Small print under the value: age, coverage, the figure it compares with. */
  note?: string;
  quantity?: Quantity;
  /** `warn` for stale values. */
  tone?: "warn";
}

/** A figure of this period against the previous period's, and the change between them. */
export interface ComparisonRow {
  label: string;
  now: string;
  before: string;
  change: string;
}

/** A row of a table of figures: its name (a link where the period has a page), then its values. */
export interface TableRow {
  head: string;
  href?: string | null;
  cells: string[];
}
