/**
 * A fast path to line protocol for fixed-shape points: the measurement, tags and field keys are
 * escaped once (by `encodePoint` itself), then each line is one string concatenation. Produces
 * exactly what `encodePoint` does for the same point (tested); a year of 10 s history needs the speed.
 */
import { encodePoint } from "./line-protocol.ts";

type LineEncoder = (values: readonly number[], timeMs: number) => string;

const PROBE_TAIL = " x=0 0000000"; // field `x=0` at time 0 ms

/** Builds an encoder for points of one shape; `values[i]` belongs to `fields[i]`. */
export function lineEncoder(
  measurement: string,
  tags: Readonly<Record<string, string>>,
  fields: readonly string[],
): LineEncoder {
  if (fields.length === 0) throw new RangeError(`point ${measurement} has no fields`);
  const head =
    encodePoint({ measurement, tags, fields: { x: 0 }, timeMs: 0 }).slice(0, -PROBE_TAIL.length) + " ";
  // "m <key>=0 0000000" -> "<key>="
  const keys = fields.map((k) =>
    encodePoint({ measurement: "m", tags: {}, fields: { [k]: 0 }, timeMs: 0 }).slice(2, -9),
  );
  const n = fields.length;
  const parts = keys.map((k, i) => (i === 0 ? k : "," + k));
  return (values, timeMs) => {
    if (!Number.isInteger(timeMs)) throw new RangeError(`point time must be integer ms, got ${timeMs}`);
    let line = head;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) throw new RangeError(`line protocol cannot carry the number ${v}`);
      line += parts[i]! + v;
    }
    return line + " " + timeMs + "000000";
  };
}
