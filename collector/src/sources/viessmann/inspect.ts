/**
 * `npm run inspect -- viessmann FILE`: reads a saved features response (`{"data":[…]}`, like the
 * fixtures) and prints the canonical `heatpump` fields it maps to as JSON, so users can check the
 * mapping for their own device. A note on stderr lists the canonical fields the file does not carry.
 */
import { readFileSync } from "node:fs";
import { HEATPUMP_FIELDS } from "../../../../core/src/data/catalogue.ts";
import { usageLine } from "../../../../core/src/command-line.ts";
import { isExpected } from "../../../../core/src/errors.ts";
import { mapHeatpump, parseFeaturesBody } from "./parse.ts";

export interface InspectResult {
  /** JSON for stdout. */
  readonly out: string;
  /** Notes or the error for stderr. */
  readonly err: string;
  readonly code: number;
}

const USAGE = "usage: npm run inspect -- viessmann FILE   (FILE: a saved features response, JSON)";

export function inspect(args: readonly string[], readText: (path: string) => string): InspectResult {
  // An option (there are none) is named, so a mistyped flag is not taken for a file.
  const option = args.find((a) => a.startsWith("-"));
  if (option === "--help" || option === "-h") return { out: USAGE, err: "", code: 0 };
  if (option) return { out: "", err: usageLine(`unknown option ${option}`, USAGE), code: 2 };
  const [source, file] = args;
  const wrong =
    source === undefined
      ? "missing source: viessmann"
      : source !== "viessmann"
        ? `unknown source ${JSON.stringify(source)}`
        : !file
          ? "missing FILE"
          : args.length > 2
            ? `unexpected argument ${JSON.stringify(args[2])}`
            : null;
  if (wrong || file === undefined)
    return { out: "", err: usageLine(wrong ?? "missing FILE", USAGE), code: 2 };
  let text: string;
  try {
    text = readText(file);
  } catch (e) {
    return {
      out: "",
      err: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      code: 1,
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {
      out: "",
      err: `${file} is not JSON; save the body of GET …/devices/{deviceId}/features`,
      code: 1,
    };
  }
  try {
    const resp = parseFeaturesBody(body);
    const fields = mapHeatpump(resp);
    const absent = Object.keys(HEATPUMP_FIELDS).filter((k) => !(k in fields));
    const enabled = resp.data.filter((f) => f.isEnabled !== false).length;
    const note =
      `${file}: ${resp.data.length} features (${enabled} enabled) -> ${Object.keys(fields).length} canonical fields` +
      (absent.length ? `; not reported: ${absent.join(", ")}` : "");
    return { out: JSON.stringify(fields, null, 2), err: note, code: 0 };
  } catch (e) {
    if (isExpected(e)) return { out: "", err: `${file}: ${e.message}`, code: 1 };
    throw e;
  }
}

if (import.meta.main) {
  const r = inspect(process.argv.slice(2), (p) => readFileSync(p, "utf8"));
  if (r.out) console.log(r.out);
  if (r.err) console.error(r.err);
  process.exitCode = r.code;
}
