import type { Reports } from "./types.ts";

export type * from "./types.ts";

export interface ReportsOptions {
  /** Environment (process.env + .env by default) from which REPORT_TZ, LOCAL_SOURCE, INFLUX_*, DATA_DIR are read. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The report engine over the configured source. Placeholder signature until the engine lands. */
export function createReports(_opts: ReportsOptions = {}): Reports {
  throw new Error("the report engine is not implemented yet");
}
