/**
 * Effects passed as parameters, so tests pin them: the clock and the logger. `Date.now()` is read here
 * and nowhere else in the collector, so tests run simulated days in milliseconds.
 */
export interface Clock {
  /** Milliseconds since the epoch (UTC): the wall clock, which NTP or a person may step. */
  now(): number;
  /**
   * Milliseconds on a clock that only moves forward, at a steady rate, whatever happens to the wall
   * clock (`performance.now()`, CLOCK_MONOTONIC): for intervals and time limits. Its zero means
   * nothing. Test clocks may leave it out; `now()` then serves for both.
   */
  monotonic?(): number;
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };

/** The monotonic reading of `clock`, or its wall clock when it has none (test clocks). */
export const monotonicOf =
  (clock: Clock): (() => number) =>
  () =>
    clock.monotonic ? clock.monotonic() : clock.now();

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** A logger whose lines start with `scope:`. */
  child(scope: string): Logger;
}

interface LoggerOptions {
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

/** Names under which servers echo credentials back (a token endpoint repeating the request, say). */
const SECRET_NAMES = "access_token|refresh_token|id_token|code|code_verifier|password|client_secret|token";
/**
 * `refresh_token=…` in a form or query string, up to the next separator or closing bracket (a form
 * value has its own brackets percent-encoded).
 */
const SECRET_PARAM = new RegExp(`\\b(${SECRET_NAMES})=[^&\\s"',;)\\]}>]+`, "gi");
/** `"access_token":"…"`, also inside a JSON string (`\"access_token\":\"…`). */
const SECRET_JSON = new RegExp(
  `(\\\\?"(?:${SECRET_NAMES})\\\\?"\\s*:\\s*\\\\?")(?:[^"\\\\]|\\\\(?!"))*`,
  "gi",
);
/** `Bearer <token>` anywhere; `Authorization: Basic <credentials>` and the like. */
const BEARER = /\b(Bearer)\s+[\w\-.~+/]+=*/gi;
const AUTHORIZATION =
  /\b(authorization["']?\s*[:=]\s*["']?)(?!Bearer\b)((?:Basic|Token|Digest)\s+)?[^\s"',]+/gi;

/**
 * Credentials in text a server sent, found by their names rather than their values (a refresh
 * token the collector holds is no configured secret): `refresh_token=…`, `code=…`,
 * `code_verifier=…`, `password=…`, `client_secret=…`, `"access_token":"…"`, `Bearer …`,
 * `Authorization: Basic …`. The value becomes `***`, the name stays, so the message still says what
 * was there.
 */
export function redactServerText(text: string): string {
  return text
    .replace(SECRET_JSON, "$1***")
    .replace(SECRET_PARAM, "$1=***")
    .replace(BEARER, "$1 ***")
    .replace(AUTHORIZATION, "$1$2***");
}

/**
 * Removes every occurrence of each secret (longest first) from `text`, the user:password part of
 * every URL in it (`http://user:pw@host` -> `http://***@host`) and credentials by name
 * (redactServerText).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = redactServerText(text.replace(URL_USERINFO, "$1***@"));
  for (const s of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join("***");
  }
  return out;
}

/** C0 control characters and DEL, as a device or server may put them in an id or a message. */
// eslint-disable-next-line no-control-regex -- control characters are what it is for
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

/** `text` without control characters (U+0000-U+001F, U+007F): for ids and strings from devices. */
export const withoutControlChars = (text: string): string => text.replace(CONTROL_CHARS, "");

/**
 * A message as it may appear in the log: no control characters but tab and newline, and every line
 * after the first indented, so text from a device or server (a device id with a newline in it)
 * cannot make up a log line of its own. Stack traces keep their lines (they are indented already).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it is for
const CONTROL_BUT_TAB_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

function printable(msg: string): string {
  return msg.replace(CONTROL_BUT_TAB_NEWLINE, "").replace(/\n(?=[^\s])/g, "\n  ");
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
    const head = `${new Date(clock.now()).toISOString()} ${level.padEnd(5)} ${scope ? scope + ": " : ""}`;
    const text = head + printable(msg);
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
