/**
 * Keeps a valid access token: the one in the token file while it has more than `REFRESH_MARGIN_MS`
 * left, else a refresh. Every refresh rotates the refresh token, and the new one is written to the
 * token file before anything else happens: a crash must never leave the only valid token in memory.
 * A rejected refresh token (invalid_grant) stops the Viessmann source until `npm run login`.
 */
import type { ViessmannConfig } from "../../config.ts";
import { ExpectedError, isExpected } from "../../../../core/src/errors.ts";
import type { Logger } from "../../../../core/src/effects.ts";
import { refreshTokens } from "./oauth.ts";
import { LOGIN_HINT, readTokenFile, writeTokenFile } from "./token-store.ts";
import type { TokenFile } from "./types.ts";
import { DEFAULT_ACCESS_TTL_S, REFRESH_MARGIN_MS } from "./refresh-reserve.ts";

export interface TokenManager {
  /** A bearer token valid for a while; refreshes (one counted call) when needed. */
  accessToken(nowMs: number): Promise<string>;
  /** Forgets the access token after an `EXPIRED TOKEN` 401, so the next accessToken() refreshes. */
  invalidate(): void;
}

interface TokenManagerOptions {
  readonly config: Pick<ViessmannConfig, "clientId" | "authUrl" | "redirectUri">;
  /** Path of the token file. */
  readonly path: string;
  readonly logger: Logger;
  /** Wraps every call to the token endpoint: counting (budget) and throttling. */
  readonly gate: <T>(fn: () => Promise<T>) => Promise<T>;
}

export function createTokenManager(opts: TokenManagerOptions): TokenManager {
  const { config, path, logger, gate } = opts;
  let file: TokenFile | undefined;
  let stopped: ExpectedError | undefined;
  let inFlight: Promise<string> | undefined;

  const current = (): TokenFile => {
    if (stopped) throw stopped;
    file ??= readTokenFile(path);
    if (!file)
      throw (stopped = new ExpectedError("auth", `no Viessmann login yet (${path} missing); ${LOGIN_HINT}`, {
        fatalForSource: true,
      }));
    if (file.client_id !== undefined && file.client_id !== config.clientId)
      throw (stopped = new ExpectedError(
        "auth",
        `the Viessmann token file belongs to another client id than VIESSMANN_CLIENT_ID; ${LOGIN_HINT}`,
        { fatalForSource: true },
      ));
    return file;
  };

  const refresh = async (nowMs: number): Promise<string> => {
    const old = current();
    try {
      const t = await gate(() => refreshTokens(config, old.refresh_token));
      const next: TokenFile = {
        refresh_token: t.refresh_token ?? old.refresh_token,
        access_token: t.access_token,
        access_expires_at_ms: nowMs + (t.expires_in ?? DEFAULT_ACCESS_TTL_S) * 1000,
        client_id: config.clientId,
        refreshed_at_ms: t.refresh_token ? nowMs : old.refreshed_at_ms,
      };
      writeTokenFile(path, next); // at once: the old refresh token is spent now
      file = next;
      logger.debug("Viessmann access token refreshed");
      return t.access_token;
    } catch (e) {
      if (isExpected(e) && e.fatalForSource) stopped = e;
      throw e;
    }
  };

  return {
    async accessToken(nowMs) {
      const f = current();
      if (
        f.access_token &&
        f.access_expires_at_ms !== undefined &&
        nowMs < f.access_expires_at_ms - REFRESH_MARGIN_MS
      )
        return f.access_token;
      inFlight ??= refresh(nowMs).finally(() => (inFlight = undefined));
      return inFlight;
    },
    invalidate() {
      if (file) {
        const { access_token: _a, access_expires_at_ms: _e, ...rest } = file;
        file = rest;
      }
    },
  };
}
