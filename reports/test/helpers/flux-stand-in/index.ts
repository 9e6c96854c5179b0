/**
 * An InfluxDB 2.7 stand-in for tests and benchmarks: it stores line protocol like InfluxDB does and
 * evaluates a small Flux subset (parse.ts lists it) the way InfluxDB 2.7 / Flux v0.196.1 execute it,
 * including pushdowns, error texts and annotated CSV. Anything outside the subset is refused with
 * HTTP 400, never guessed.
 */
export { startInfluxStandIn } from "./server.ts";
export type { InfluxStandIn } from "./server.ts";
export { parseFlux } from "./parse.ts";
