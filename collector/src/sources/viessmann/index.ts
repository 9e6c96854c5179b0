import type { ViessmannConfig } from "../../config.ts";
import type { Source, SourceDeps } from "../source.ts";

/** The Viessmann heat pump source. Placeholder signature until the Viessmann source lands. */
export function createViessmannSource(_config: ViessmannConfig, _deps: SourceDeps): Source {
  throw new Error("the Viessmann source is not implemented yet");
}
