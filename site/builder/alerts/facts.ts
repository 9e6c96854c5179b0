/** The facts the builder's alerts read from the store (store-facts.ts), shared by its two readers. */
import type { FieldValue } from "../../../core/src/data/line-protocol.ts";

export interface FactPoint {
  readonly timeMs: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

export interface StoreFacts {
  /** The newest `heatpump_message` point since `factsFromMs`, or null (none: not reported, or silent). */
  readonly messages: FactPoint | null;
  /** The newest `alert` point of the collector per condition, since `factsFromMs`. */
  readonly collector: ReadonlyMap<string, FactPoint>;
  /** The Shelly's `power_w` readings since `powerFromMs`, in time order (W). */
  readonly power: { readonly t: readonly number[]; readonly w: readonly number[] };
}

export interface FactsWindow {
  readonly nowMs: number;
  readonly factsFromMs: number;
  readonly powerFromMs: number;
}

/** Keeps the newer of two points (the later one wins a tie, as a later write does in InfluxDB). */
export function newer(a: FactPoint | undefined, b: FactPoint): FactPoint {
  return a && a.timeMs > b.timeMs ? a : b;
}
