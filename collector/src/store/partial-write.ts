/**
 * InfluxDB 2's HTTP 422 is a partial write: "data that has not been rejected is ingested" (API
 * reference, POST /api/v2/write). The batch is never sent again; this module reads the server's
 * message to find which lines it dropped, and says what goes to `journal/rejected/`:
 *
 * - A field type conflict names one (measurement, field): `failure writing points to database:
 *   partial write: field type conflict: input field "power_w" on measurement "electric" is type
 *   float, already exists as type integer dropped=720`. The lines of that measurement whose value
 *   of that field has the refused type are set aside, and so are such lines of later batches,
 *   before they are sent, until a restart (the conflict is kept in memory only). Numbers are not
 *   told apart by type (the collector writes every number as a float).
 * - A cause that names no line (`partial write: points beyond retention policy dropped=12` up to
 *   InfluxDB 2.7.11; from 2.7.12 `partial write: dropped 12 points outside retention policy of
 *   duration 72h0m0s - oldest point ... dropped=12 for database: ... for retention policy: autogen`),
 *   or dropped points beyond those a conflict names: the lines sent are kept as one file marked
 *   partial (its other points were stored), for a human; none is sent again.
 *
 * InfluxDB names only the first cause of a request (tsdb/shard.go), and `dropped=N` counts every
 * point it dropped; a message without `dropped=` (not InfluxDB's) counts every line as dropped.
 * One gap InfluxDB leaves: with a type conflict in the same request, points beyond the retention
 * are neither named nor counted (v1/coordinator/points_writer.go answers the shard's error).
 * Each distinct cause is logged once, with its `dropped=N` and what to do; repeats go to debug.
 */
import type { Logger } from "../../../core/src/effects.ts";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import type { AsidePart } from "./journal-queue.ts";
import { short } from "./writer-state.ts";

/** A part to set aside, with how many of its lines InfluxDB did not store (the health figure). */
export interface Refused extends AsidePart {
  readonly refused: number;
}

interface FieldConflict {
  readonly measurement: string;
  readonly field: string;
  /** InfluxDB's type names: float, integer, unsigned, string, boolean. */
  readonly inputType: string;
  readonly existingType: string;
}

interface PartialWrite {
  /** InfluxDB's reason, between `partial write: ` and ` dropped=N`, or the whole message. */
  readonly reason: string;
  /** Points InfluxDB dropped (`dropped=N`); undefined when the message does not say. */
  readonly dropped: number | undefined;
  readonly conflict: FieldConflict | undefined;
  /** What is logged once: the conflict, `retention` for either wording of it, else the reason. */
  readonly cause: string;
}

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const CONFLICT = new RegExp(
  String.raw`^field type conflict: input field ${QUOTED} on measurement ${QUOTED} is type (\w+), ` +
    String.raw`already exists as type (\w+)`,
);
const RETENTION = /points beyond retention policy|points outside retention policy/;

/** Go's %q text back to the string (InfluxDB quotes names with %q). */
function unquote(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

export function parsePartialWrite(message: string): PartialWrite {
  const m = /partial write: ([\s\S]*?) dropped=(\d+)/.exec(message);
  const reason = m ? m[1]! : (/partial write: ([\s\S]*)/.exec(message)?.[1] ?? message);
  const c = CONFLICT.exec(reason);
  const conflict = c
    ? { field: unquote(c[1]!), measurement: unquote(c[2]!), inputType: c[3]!, existingType: c[4]! }
    : undefined;
  const cause = conflict
    ? `field type conflict ${JSON.stringify([conflict.measurement, conflict.field, conflict.inputType])}`
    : RETENTION.test(reason)
      ? "retention"
      : reason.replace(/\d+/g, "#");
  return { reason, dropped: m ? Number(m[2]) : undefined, conflict, cause };
}

const kind = (influxType: string) =>
  influxType === "string" || influxType === "boolean" ? influxType : "number";

/** True when `line` has the conflict's field, on its measurement, with a value of the refused type. */
export function hasConflict(line: string, c: FieldConflict): boolean {
  let p;
  try {
    p = parseLine(line);
  } catch {
    return false; // a malformed line is InfluxDB's 400, not this conflict
  }
  if (!p || p.measurement !== c.measurement || !(c.field in p.fields)) return false;
  return typeof p.fields[c.field] === kind(c.inputType);
}

interface PartialWrites {
  /**
   * Splits `lines` before sending: those with a field InfluxDB refused earlier in this run, one part
   * per conflict, and the rest to send.
   */
  split(lines: readonly string[]): { aside: Refused[]; rest: readonly string[] };
  /** InfluxDB answered 422 `message` to `sent`: the parts to set aside (none of them is sent again). */
  answered(sent: readonly string[], message: string): Refused[];
  /** The conflicts learnt in this run. */
  conflicts(): readonly FieldConflict[];
}

interface PartialWritesOptions {
  readonly logger: Logger;
  /** Names the server in log lines, without credentials: `InfluxDB at http://...`. */
  readonly where: string;
  /** Where the parts go, for the log lines. */
  readonly rejectedDir: string;
}

export function createPartialWrites(opts: PartialWritesOptions): PartialWrites {
  const { logger: log, where, rejectedDir } = opts;
  const known: { conflict: FieldConflict; message: string }[] = [];
  const logged = new Set<string>();

  function once(cause: string, text: string): void {
    if (logged.has(cause)) return log.debug(text);
    logged.add(cause);
    log.error(text);
  }

  return {
    split(lines) {
      if (known.length === 0) return { aside: [], rest: lines };
      const groups = known.map(() => [] as string[]);
      const rest: string[] = [];
      for (const line of lines) {
        const i = known.findIndex((k) => hasConflict(line, k.conflict));
        (i < 0 ? rest : groups[i]!).push(line);
      }
      const aside = known.flatMap(({ message }, i) => {
        const group = groups[i]!;
        const why = `not sent: InfluxDB refused this field earlier in this run (HTTP 422: ${message})`;
        return group.length > 0 ? [{ why, lines: group, refused: group.length }] : [];
      });
      return { aside, rest };
    },

    answered(sent, message) {
      const pw = parsePartialWrite(message);
      const c = pw.conflict;
      const isNamed = sent.map((l) => c !== undefined && hasConflict(l, c));
      const named = sent.filter((_, i) => isNamed[i]);
      const others = sent.filter((_, i) => !isNamed[i]);
      const parts: Refused[] = [];
      const said = `dropped ${pw.dropped ?? "some"} points (HTTP 422: ${short(message)})`;
      if (c && named.length > 0) {
        known.push({ conflict: c, message });
        parts.push({ why: `InfluxDB answered HTTP 422: ${message}`, lines: named, refused: named.length });
        once(
          pw.cause,
          `${where} stored a write but ${said}; the ${named.length} lines with field "${c.field}" on ` +
            `"${c.measurement}" as ${c.inputType} (InfluxDB has it as ${c.existingType}) go to ${rejectedDir}, ` +
            "and until a restart such lines are set aside there without being sent. Delete the points " +
            "of the other type (or wait for a new shard group) and restart the collector",
        );
      }
      // Dropped points that no named line accounts for: InfluxDB does not say which lines they were.
      const unnamed =
        pw.dropped === undefined
          ? named.length > 0
            ? 0
            : others.length
          : Math.min(others.length, Math.max(0, pw.dropped - named.length));
      if (others.length > 0 && (named.length === 0 || unnamed > 0)) {
        parts.push({
          why:
            `partial write: InfluxDB stored the other points of these lines and dropped ` +
            `${pw.dropped === undefined ? "some" : unnamed} without naming them; not sent again. ` +
            `It answered HTTP 422: ${message}`,
          lines: others,
          partial: true,
          refused: unnamed,
        });
        once(
          named.length > 0 ? `${pw.cause} unnamed` : pw.cause,
          `${where} stored a write but ${said}; ` +
            (named.length > 0
              ? `${unnamed} of them are not named, so the other `
              : "it names no line, so the ") +
            `${others.length} lines sent are kept in ${rejectedDir} as a partial write (their other points ` +
            "are stored) and not sent again" +
            (pw.cause === "retention"
              ? ". Points older than the bucket's retention cannot be stored; lengthen it to keep such a backlog"
              : ""),
        );
      }
      return parts;
    },

    conflicts: () => known.map((k) => k.conflict),
  };
}
