/**
 * `DATA_DIR/viessmann-token.json`: the refresh token (rotated by every refresh, lasts 180 days)
 * and the current access token (1 h), mode 0600. The only file that ever holds a token.
 */
import { chmodSync, statSync } from "node:fs";
import { join } from "node:path";
import { VIESSMANN_TOKEN_FILE } from "../../../../core/src/data/data-dir.ts";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { readJson, writeJsonAtomic } from "../../../../core/src/durable-file.ts";
import type { TokenFile } from "./types.ts";

export const tokenFilePath = (dataDir: string): string => join(dataDir, VIESSMANN_TOKEN_FILE);

const LOGIN_HINT = "run `npm run login` (see README, Logging in to Viessmann)";

/** The stored tokens, or undefined when nobody logged in yet. Throws ExpectedError('auth') when unreadable. */
export function readTokenFile(path: string): TokenFile | undefined {
  let v: unknown;
  try {
    v = readJson(path);
  } catch {
    throw new ExpectedError("auth", `the Viessmann token file ${path} is not valid JSON; ${LOGIN_HINT}`, {
      fatalForSource: true,
    });
  }
  if (v === undefined) return undefined;
  const t = v as Partial<TokenFile>;
  if (typeof t !== "object" || t === null || typeof t.refresh_token !== "string" || t.refresh_token === "")
    throw new ExpectedError("auth", `the Viessmann token file ${path} has no refresh_token; ${LOGIN_HINT}`, {
      fatalForSource: true,
    });
  return t as TokenFile;
}

/** Replaces the token file atomically, mode 0600 (also fixing the mode of an older file). */
export function writeTokenFile(path: string, tokens: TokenFile): void {
  writeJsonAtomic(path, tokens, { mode: 0o600, pretty: true });
  chmodSync(path, 0o600); // umask cannot widen it, but make the guarantee explicit
}

/**
 * Makes an existing token file 0600 when others may read it (copied, restored from a backup, or
 * written by an older version): returns the mode it had, or undefined when there was nothing to do
 * (no file, or already private). Throws the file system's error (e.g. EPERM: owned by another user).
 */
export function restrictTokenFile(path: string): number | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  if ((mode & 0o077) === 0) return undefined;
  chmodSync(path, 0o600);
  return mode;
}

export { LOGIN_HINT };
