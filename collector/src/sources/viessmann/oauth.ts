/**
 * OAuth 2.0 authorization code flow with PKCE (S256) against Viessmann's IAM, public client (no
 * secret). Endpoints: `GET {authUrl}/idp/v3/authorize`, `POST {authUrl}/idp/v3/token` (form).
 * Scopes `IoT User offline_access`: `offline_access` is what yields a refresh token.
 * Lifetimes: code ~20 s (exchange at once), access token 3600 s, refresh token 180 days, rotated
 * by every refresh. Error texts Viessmann is known to send: "Client not registered.",
 * "Invalid redirection URI.". Token values never appear in a message.
 */
import { createHash, randomBytes } from "node:crypto";
import type { ViessmannConfig } from "../../config.ts";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { redactServerText, withoutControlChars } from "../../../../core/src/effects.ts";
import { type HttpAnswer, jsonOf, send } from "./http.ts";
import { LOGIN_HINT } from "./token-store.ts";
import type { TokenResponse } from "./types.ts";

export const SCOPES = "IoT User offline_access";
/** Token POST timeout, ms. */
const TOKEN_TIMEOUT_MS = 20_000;

type AuthConfig = Pick<ViessmannConfig, "clientId" | "authUrl" | "redirectUri">;

interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

/** RFC 7636: 32 random bytes as base64url (43 chars) and its SHA-256, base64url. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(cfg: AuthConfig, challenge: string, state: string): string {
  const u = new URL(`${cfg.authUrl}/idp/v3/authorize`);
  u.searchParams.set("client_id", cfg.clientId);
  u.searchParams.set("redirect_uri", cfg.redirectUri);
  u.searchParams.set("response_type", "code");
  u.searchParams.set("code_challenge", challenge);
  u.searchParams.set("code_challenge_method", "S256");
  u.searchParams.set("scope", SCOPES);
  u.searchParams.set("state", state);
  return u.toString();
}

/** What to do about the errors Viessmann's login page shows (printed before a login, and in messages). */
export const OAUTH_FIX = {
  client: (_redirectUri: string) =>
    "check VIESSMANN_CLIENT_ID against the developer portal; " +
    "a newly created client can take up to an hour before it works",
  redirect: (redirectUri: string) =>
    `VIESSMANN_REDIRECT_URI (${redirectUri}) must match a redirect URI registered on the client ` +
    "byte for byte, trailing slash included",
  captcha: (_redirectUri: string) => "disable Google reCAPTCHA on the client in the developer portal",
};

/**
 * What to do about an OAuth error (from the token endpoint or the redirect's `error` parameter).
 * Only Viessmann's `error`/`error_description` strings are used, never the request.
 */
export function explainOAuthError(error: string, description: string, redirectUri: string): string {
  const text = `${error} ${description}`.toLowerCase();
  if (text.includes("client not registered") || error === "invalid_client")
    return `Viessmann does not know this client ("Client not registered"): ${OAUTH_FIX.client(redirectUri)}`;
  if (text.includes("redirect"))
    return `Viessmann rejected the redirect URI ("${description || error}"): ${OAUTH_FIX.redirect(redirectUri)}`;
  if (text.includes("captcha")) return `Viessmann asks for a reCAPTCHA: ${OAUTH_FIX.captcha(redirectUri)}`;
  if (error === "invalid_grant")
    return `Viessmann rejected the grant (${description || error}); ${LOGIN_HINT}`;
  return `Viessmann login failed: ${error}${description ? ` (${description})` : ""}`;
}

function tokenError(
  a: HttpAnswer,
  grant: "authorization_code" | "refresh_token",
  redirectUri: string,
): ExpectedError {
  const body = jsonOf(a) as { error?: unknown; error_description?: unknown } | undefined;
  if (a.status >= 500 || body === undefined || typeof body !== "object" || body === null)
    return new ExpectedError(
      "server",
      `Viessmann login server answered HTTP ${a.status}; it is retried later`,
    );
  // A server may echo the request (`refresh_token=…`, `code_verifier=…`) in its error: this text is
  // logged, so it loses control characters and credentials before it is cut short.
  const server = (v: unknown, max: number) =>
    typeof v === "string" ? redactServerText(withoutControlChars(v)).slice(0, max) : "";
  const error = server(body.error, 100) || `HTTP ${a.status}`;
  const description = server(body.error_description, 200);
  if (grant === "refresh_token" && error === "invalid_grant")
    return new ExpectedError(
      "auth",
      `the Viessmann refresh token was rejected (expired after 180 days, revoked, or already used); ${LOGIN_HINT}`,
      { fatalForSource: true },
    );
  return new ExpectedError("auth", explainOAuthError(error, description, redirectUri), {
    fatalForSource: true,
  });
}

async function tokenPost(
  cfg: AuthConfig,
  form: Record<string, string>,
  grant: "authorization_code" | "refresh_token",
): Promise<TokenResponse> {
  const a = await send({
    url: `${cfg.authUrl}/idp/v3/token`,
    method: "POST",
    form,
    timeoutMs: TOKEN_TIMEOUT_MS,
  });
  if (a.status !== 200) throw tokenError(a, grant, cfg.redirectUri);
  const body = jsonOf(a) as Partial<TokenResponse> | undefined;
  if (!body || typeof body.access_token !== "string")
    throw new ExpectedError("payload", "the Viessmann token answer has no access_token");
  return body as TokenResponse;
}

/** Exchanges an authorization code (valid ~20 s) for tokens. */
export function exchangeCode(cfg: AuthConfig, code: string, verifier: string): Promise<TokenResponse> {
  return tokenPost(
    cfg,
    {
      grant_type: "authorization_code",
      client_id: cfg.clientId,
      redirect_uri: cfg.redirectUri,
      code,
      code_verifier: verifier,
    },
    "authorization_code",
  );
}

/** Trades the refresh token for a new access token and a new refresh token (the old one is spent). */
export function refreshTokens(cfg: AuthConfig, refreshToken: string): Promise<TokenResponse> {
  return tokenPost(
    cfg,
    { grant_type: "refresh_token", client_id: cfg.clientId, refresh_token: refreshToken },
    "refresh_token",
  );
}
