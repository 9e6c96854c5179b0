import type { ShellyConfig } from "../../config.ts";
import type { Source, SourceDeps } from "../source.ts";

/** The Shelly Pro 3EM source. Placeholder signature until the Shelly source lands. */
export function createShellySource(_config: ShellyConfig, _deps: SourceDeps): Source {
  throw new Error("the Shelly source is not implemented yet");
}
