/**
 * The alert state on disk, one file per program in its own data folder: `DATA_DIR/alerts-builder.json`
 * (the site builder; its pages read it too) and `DATA_DIR/alerts-collector.json`. Written durably
 * (core/src/durable-file.ts), so a restart, a crash or a power cut finds the alerts as they were and
 * tells nothing twice. The outbox holds the notices not yet delivered to every channel: they are sent
 * again at the next judging, for a day at most.
 */
import { join } from "node:path";
import { readJson, writeJsonAtomic } from "../durable-file.ts";
import type { AlertProgram } from "./conditions.ts";
import { type AlertState, emptyState, type Notice } from "./state.ts";

/** A notice and the channels still to take it. */
export interface Pending {
  readonly notice: Notice;
  readonly channels: readonly string[];
}

export interface AlertFile extends AlertState {
  readonly program: AlertProgram;
  /** The channels configured at the last judging (names only: the addresses are secrets). */
  readonly channels: readonly string[];
  readonly outbox: readonly Pending[];
}

export const alertFilePath = (dataDir: string, program: AlertProgram): string =>
  join(dataDir, `alerts-${program}.json`);

export const emptyAlertFile = (program: AlertProgram): AlertFile => ({
  ...emptyState(),
  program,
  channels: [],
  outbox: [],
});

/**
 * The file at `path`: undefined when there is none (a first start), "damaged" when it is not an
 * alert file (edited by hand, or from a newer version); a read error is thrown.
 */
export function readAlertFile(path: string): AlertFile | undefined | "damaged" {
  let v: unknown;
  try {
    v = readJson(path);
  } catch (e) {
    if (e instanceof SyntaxError) return "damaged";
    throw e;
  }
  if (v === undefined) return undefined;
  const f = v as Partial<AlertFile>;
  const ok =
    typeof f === "object" &&
    f !== null &&
    f.version === 1 &&
    (f.program === "builder" || f.program === "collector") &&
    (f.checkedMs === null || typeof f.checkedMs === "number") &&
    [f.open, f.past, f.checks, f.channels, f.outbox].every(Array.isArray);
  return ok ? (f as AlertFile) : "damaged";
}

/** Replaces the file durably (pretty JSON: people may open it). */
export function writeAlertFile(path: string, file: AlertFile): void {
  writeJsonAtomic(path, file, { pretty: true });
}
