/**
 * Effects passed as parameters, so tests pin them: the clock and the logger. `Date.now()` is read here
 * and nowhere else in the collector, so tests run simulated days in milliseconds.
 */
export interface Clock {
  /** Milliseconds since the epoch (UTC). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** A logger whose lines start with `scope:`. */
  child(scope: string): Logger;
}

export interface LoggerOptions {
  /** Values that must never appear in a log line (tokens, passwords); replaced by `***`. */
  secrets?: readonly string[];
  /** Where lines go; default stdout (warn/error to stderr). */
  write?: (level: LogLevel, line: string) => void;
  clock?: Clock;
  /** Lowest level written; default `info` (`debug` with LOG_LEVEL=debug). */
  level?: LogLevel;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The `user:password@` of a URL in running text (scheme://userinfo@). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/**
 * Removes every occurrence of each secret (longest first) from `text`, and the user:password part
 * of every URL in it (`http://user:pw@host` -> `http://***@host`).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(URL_USERINFO, "$1***@");
  for (const s of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join("***");
  }
  return out;
}

export function createLogger(opts: LoggerOptions = {}, scope = ""): Logger {
  const clock = opts.clock ?? systemClock;
  const min = ORDER[opts.level ?? "info"];
  const write =
    opts.write ??
    ((level: LogLevel, line: string) => {
      if (level === "warn" || level === "error") process.stderr.write(line + "\n");
      else process.stdout.write(line + "\n");
    });
  const emit = (level: LogLevel, msg: string) => {
    if (ORDER[level] < min) return;
    const text = `${new Date(clock.now()).toISOString()} ${level.padEnd(5)} ${scope ? scope + ": " : ""}${msg}`;
    write(level, redact(text, opts.secrets ?? []));
  };
  return {
    debug: (m) => emit("debug", m),
    info: (m) => emit("info", m),
    warn: (m) => emit("warn", m),
    error: (m) => emit("error", m),
    child: (s) => createLogger(opts, scope ? `${scope}/${s}` : s),
  };
}

/** A logger that keeps lines in memory, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    write: (_l, line) => lines.push(line),
    level: "debug",
    clock: { now: () => 0 },
  });
  return Object.assign(logger, { lines });
}
