/**
 * Errors to be handled by the caller: a source throws one of these and the poll
 * loop logs one line per change of state and records a gap. Anything else is a bug.
 */
export type ExpectedErrorKind =
  | "unreachable" // timeout, refused connection, DNS
  | "auth" // credentials or token rejected; needs the user
  | "rate-limited" // come back after `retryAtMs`
  | "offline" // device or gateway offline (Viessmann DEVICE_OFFLINE/GATEWAY_OFFLINE)
  | "server" // 5xx or an HTML error page
  | "payload" // answer we cannot use (non-JSON, RPC error frame, `errors` array)
  | "storage"; // the journal cannot be written (disk full, I/O error): the reading is not recorded

export class ExpectedError extends Error {
  readonly kind: ExpectedErrorKind;
  /** For `rate-limited`: do not call again before this time (ms since epoch). */
  readonly retryAtMs: number | undefined;
  /** True when retrying cannot help until the user acts (e.g. run `npm run login`). */
  readonly fatalForSource: boolean;

  constructor(
    kind: ExpectedErrorKind,
    message: string,
    opts: { retryAtMs?: number; fatalForSource?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "ExpectedError";
    this.kind = kind;
    this.retryAtMs = opts.retryAtMs;
    this.fatalForSource = opts.fatalForSource ?? false;
  }
}

export const isExpected = (e: unknown): e is ExpectedError => e instanceof ExpectedError;
