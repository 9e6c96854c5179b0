/**
 * An InfluxDB 2.7 stand-in for tests and benchmarks: it stores line protocol like InfluxDB does and
 * evaluates a small Flux subset (parse.ts lists it) the way InfluxDB 2.7 / Flux v0.196.1 execute it,
 * including pushdowns, error texts and annotated CSV. Anything outside the subset is refused with
 * HTTP 400, never guessed.
 */
export { startInfluxStandIn } from "./server.ts";
export type {
  Fault,
  InfluxStandIn,
  QueryLogEntry,
  StandInOptions,
  StandInStats,
  TokenSpec,
} from "./server.ts";
export { encodeResult, formatFloat, formatTime, DEFAULT_DIALECT, type Dialect } from "./annotated-csv.ts";
export { evaluate, type EvalResult } from "./evaluate.ts";
export { parseFlux, FluxCompileError, type FluxQuery } from "./parse.ts";
export { planQuery, describePlan } from "./plan.ts";
export { Bucket, Loader, LoadError, type WriteResult } from "./store.ts";
export { LineProtocolParser } from "./line-protocol.ts";
