/**
 * The InfluxDB writer's state and its log lines: each state is logged once, and again whenever what
 * InfluxDB answers changes (a refused connection, then a 503, is two lines; a thousand 503s in a row
 * are one). A failure to update the journal's own files (disk full) is logged the same way, beside
 * the state, and its end once.
 */
import { HttpError } from "@influxdata/influxdb-client";
import type { Logger } from "../../../core/src/effects.ts";

export type WriterState = "ok" | "down" | "auth";

interface StateReporterOptions {
  readonly logger: Logger;
  /** Names the server in log lines, without credentials: `InfluxDB at http://...`. */
  readonly where: string;
  readonly org: string;
  readonly bucket: string;
}

interface StateReporter {
  state(): WriterState;
  /** A write went through. */
  accepted(): void;
  /** A write failed without a refusal: no answer, a timeout, 5xx, 429 (down) or 401/403/404 (auth). */
  failed(error: unknown): void;
  /** Even single lines are refused (HTTP `status`) with nothing to show it is them: down. */
  refusingEverything(status: number, message: string): void;
  /** The journal's `file` could not be written (`code`, e.g. ENOSPC; `free`: ", N bytes free"). */
  journalFailed(code: string, file: string, free: string): void;
  /** The journal was written after `journalFailed`. */
  journalWritten(): void;
}

/** At most 300 characters of a server's message. */
export const short = (text: string) => (text.length > 300 ? text.slice(0, 300) + "..." : text);

export function createStateReporter(opts: StateReporterOptions): StateReporter {
  const { logger: log, where } = opts;
  let state: WriterState = "ok";
  /** What the last state line said (state + status), so a new status gets its own line. */
  let key = "ok";

  function report(next: WriterState, nextKey: string, level: "info" | "warn" | "error", message: string) {
    if (nextKey !== key) log[level](message);
    state = next;
    key = nextKey;
  }

  return {
    state: () => state,
    accepted() {
      if (state !== "ok")
        report("ok", "ok", "info", `${where} accepts writes again; sending the backlog in order`);
    },
    failed(e) {
      const status = e instanceof HttpError ? e.statusCode : undefined;
      if (status === 401 || status === 403 || status === 404) {
        const why =
          status === 404
            ? `org "${opts.org}" or bucket "${opts.bucket}" does not exist (HTTP 404); ` +
              "check INFLUX_ORG and INFLUX_BUCKET"
            : `the token is wrong or lacks write permission on bucket "${opts.bucket}" (HTTP ${status}); ` +
              "check INFLUX_TOKEN";
        report(
          "auth",
          `auth ${status}`,
          "error",
          `${where}: ${why}. The journal keeps every point; retrying.`,
        );
        return;
      }
      const what = status ? `HTTP ${status}` : e instanceof Error ? e.message : String(e);
      const code = (e as { code?: unknown } | undefined)?.code;
      report(
        "down",
        `down ${status ?? code ?? (e instanceof Error ? e.name : "error")}`,
        "warn",
        `${where} is not accepting writes (${what}); the journal keeps every point, will keep trying`,
      );
    },
    refusingEverything(status, message) {
      report(
        "down",
        `refusing ${status}`,
        "warn",
        `${where} refuses every write, even single lines (HTTP ${status}: ${short(message)}); ` +
          "the journal keeps every point, will keep trying",
      );
    },
    journalFailed(code, file, free) {
      report(
        state,
        `journal ${code}`,
        "error",
        `cannot update the journal (${file}): ${code}${free}; sending pauses and resumes by itself, nothing is lost`,
      );
    },
    journalWritten() {
      if (key.startsWith("journal "))
        report(state, state, "info", "the journal can be updated again; sending goes on");
    },
  };
}
