/**
 * Small JSON state files in DATA_DIR (token, budget, device ids), written durably
 * (durable-file.ts: temp file in the same directory, fsync, rename). A crash leaves the old or the
 * new file, never half of one.
 */
import { readFileSync } from "node:fs";
import { writeFileDurable } from "../../../../core/src/durable-file.ts";

/** Writes `value` as JSON to `path` durably with file mode `mode` (e.g. 0o600 for secrets). */
export function writeJsonAtomic(path: string, value: unknown, mode = 0o644): void {
  writeFileDurable(path, JSON.stringify(value, null, 2) + "\n", { mode });
}

/** The parsed JSON of `path`, or undefined when the file does not exist. Throws SyntaxError on bad JSON. */
export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  return JSON.parse(text) as unknown;
}
