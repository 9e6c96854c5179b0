/**
 * What the builder's alerts read from the store beside the report engine's answers: the newest
 * `heatpump_message` point (the heat pump's active error codes), the newest `alert` point of each
 * condition the collector judged, and the Shelly's power readings of the short-cycling window (whose
 * starts the engine's own start counting then counts). The report engine reads numbers only, and
 * these are strings; the store is the same one the engine reads (its ReportSource), local files
 * (tail of the newest, journal-tail.ts) or InfluxDB (one small Flux query each, influx-facts.ts).
 */
import type { ReportSource } from "../../../reports/src/config.ts";
import type { FactsWindow, StoreFacts } from "./facts.ts";
import { influxFacts, influxQueries } from "./influx-facts.ts";
import { journalFacts } from "./journal-tail.ts";

export interface FactsReader {
  read(w: FactsWindow): Promise<StoreFacts>;
}

export function createFactsReader(source: ReportSource): FactsReader {
  if (source.kind === "local") return { read: (w) => journalFacts(source.path, w) };
  const q = influxQueries(source);
  return { read: (w) => influxFacts(q, source.bucket, w) };
}
