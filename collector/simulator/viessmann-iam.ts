/**
 * The simulated Viessmann IAM, after the OAuth 2.0 authorization code flow with PKCE that the
 * Viessmann developer portal documents (https://documentation.viessmann.com/, Authentication; the
 * OAuth manager of PyViCare, https://github.com/openviess/PyViCare, speaks the same flow):
 * `GET /idp/v3/authorize` approves at once and redirects to `redirect_uri` with a code (so
 * `npm run login` works against it); `POST /idp/v3/token` checks the client id, the code's single use
 * and 20 s lifetime, the redirect URI and PKCE (S256), and rotates refresh tokens (each refresh spends
 * the old one). Access tokens live `accessTtlS` seconds of the injected clock. The test fake
 * (test/fakes/viessmann-api.ts) uses this same IAM with its knobs: a redirect URI allow-list,
 * server-side expiry and revocation.
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { json, readBody } from "./http-util.ts";

interface IamOptions {
  clientId: string;
  /** Access token lifetime, s. */
  accessTtlS: number;
  /** Clock, ms (the simulator: real time; tests: a hand-moved one). */
  now: () => number;
  /** Authorization code lifetime, s (Viessmann: ~20). */
  codeTtlS?: number;
  /** Registered redirect URIs; default: any absolute URL (the simulator approves every client setup). */
  redirectUris?: readonly string[];
  /** Called with every refresh token issued (tests follow the rotation). */
  onIssue?: (refreshToken: string) => void;
}

export interface TokenBody {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

interface Iam {
  authorize(url: URL, res: ServerResponse): void;
  token(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Whether `bearer` is an access token issued here and not expired. */
  valid(bearer: string | undefined): boolean;
  /** Issues tokens as a finished login would (no HTTP call). */
  grant(): TokenBody;
  /** The refresh token currently valid (rotated by every refresh), or undefined. */
  refreshToken(): string | undefined;
  /** Every access token issued so far becomes invalid (server-side expiry). */
  expireAccessTokens(): void;
  /** Makes the current refresh token invalid (revoked, or 180 days passed). */
  revokeRefreshToken(): void;
}

const b64url = (b: Buffer) => b.toString("base64url");

export function createIam(o: IamOptions): Iam {
  const { clientId, accessTtlS, now } = o;
  const codeTtlMs = (o.codeTtlS ?? 20) * 1000;
  const codes = new Map<string, { challenge: string; redirectUri: string; issuedMs: number }>();
  const access = new Map<string, number>(); // token -> expiry, ms
  let refreshToken: string | undefined;

  const issue = (): TokenBody => {
    const at = "at-" + b64url(randomBytes(24));
    access.set(at, now() + accessTtlS * 1000);
    for (const [t, exp] of access) if (exp <= now()) access.delete(t);
    refreshToken = "rt-" + b64url(randomBytes(24));
    o.onIssue?.(refreshToken);
    return { access_token: at, refresh_token: refreshToken, token_type: "Bearer", expires_in: accessTtlS };
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    if (form.get("client_id") !== clientId)
      return json(res, 400, { error: "invalid_client", error_description: "Client not registered." });
    const grant = form.get("grant_type");
    if (grant === "authorization_code") {
      const key = form.get("code") ?? "";
      const code = codes.get(key);
      codes.delete(key); // single use
      if (!code || now() - code.issuedMs > codeTtlMs)
        return json(res, 400, { error: "invalid_grant", error_description: "Invalid authorization code." });
      if (form.get("redirect_uri") !== code.redirectUri)
        return json(res, 400, { error: "invalid_grant", error_description: "Invalid redirection URI." });
      const challenge = b64url(
        createHash("sha256")
          .update(form.get("code_verifier") ?? "")
          .digest(),
      );
      if (challenge !== code.challenge)
        return json(res, 400, { error: "invalid_grant", error_description: "PKCE verification failed." });
      return json(res, 200, issue());
    }
    if (grant === "refresh_token") {
      if (!refreshToken || form.get("refresh_token") !== refreshToken)
        return json(res, 400, { error: "invalid_grant", error_description: "Invalid refresh token." });
      return json(res, 200, issue());
    }
    return json(res, 400, {
      error: "unsupported_grant_type",
      error_description: `grant_type ${grant ?? "(none)"} is not supported`,
    });
  };

  const authorize = (url: URL, res: ServerResponse) => {
    const q = url.searchParams;
    if (q.get("client_id") !== clientId)
      return json(res, 400, { error: "invalid_client", error_description: "Client not registered." });
    const redirectUri = q.get("redirect_uri") ?? "";
    if (o.redirectUris ? !o.redirectUris.includes(redirectUri) : !URL.canParse(redirectUri))
      return json(res, 400, { error: "invalid_request", error_description: "Invalid redirection URI." });
    if (
      q.get("response_type") !== "code" ||
      q.get("code_challenge_method") !== "S256" ||
      !q.get("code_challenge")
    )
      return json(res, 400, {
        error: "invalid_request",
        error_description: "response_type=code with an S256 code_challenge is required",
      });
    const code = "code-" + b64url(randomBytes(12));
    codes.set(code, { challenge: q.get("code_challenge")!, redirectUri, issuedMs: now() });
    const to = new URL(redirectUri);
    to.searchParams.set("code", code);
    if (q.get("state")) to.searchParams.set("state", q.get("state")!);
    res.writeHead(302, { location: to.toString() });
    res.end();
  };

  const valid = (bearer: string | undefined) => {
    const exp = bearer ? access.get(bearer) : undefined;
    return exp !== undefined && exp > now();
  };

  return {
    authorize,
    token: async (req, res) => void (await token(req, res)),
    valid,
    grant: issue,
    refreshToken: () => refreshToken,
    expireAccessTokens: () => access.clear(),
    revokeRefreshToken: () => {
      refreshToken = undefined;
    },
  };
}
