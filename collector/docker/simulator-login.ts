/**
 * The demo's Viessmann login: the same PKCE authorization-code flow as `npm run login`, against the
 * simulated IAM (which approves at once), done without a browser. Uses the collector's own OAuth
 * helpers and token store, so the token file is exactly what `npm run login` writes
 * (DATA_DIR/viessmann-token.json, mode 0600). The simulator keeps only the newest refresh token in
 * memory, so the demo logs in on every start.
 */
import { randomBytes } from "node:crypto";
import { codeFromRedirect } from "../src/sources/viessmann/login.ts";
import { authorizeUrl, createPkce, exchangeCode } from "../src/sources/viessmann/oauth.ts";
import { tokenFilePath, writeTokenFile } from "../src/sources/viessmann/token-store.ts";

export interface SimulatedLogin {
  /** VIESSMANN_CLIENT_ID and VIESSMANN_AUTH_URL of the simulator. */
  readonly clientId: string;
  readonly authUrl: string;
  /** Redirect URI the collector is configured with (default http://localhost:4200/). */
  readonly redirectUri: string;
  readonly dataDir: string;
}

/** Logs in to the simulated IAM; resolves with the token file path. */
export async function loginToSimulator(o: SimulatedLogin): Promise<string> {
  const cfg = { clientId: o.clientId, authUrl: o.authUrl, redirectUri: o.redirectUri };
  const pkce = createPkce();
  const state = randomBytes(16).toString("base64url");
  const res = await fetch(authorizeUrl(cfg, pkce.challenge, state), { redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status < 300 || res.status >= 400 || !location)
    throw new Error(`the simulated login answered HTTP ${res.status} without a redirect`);
  const code = codeFromRedirect(location, state, o.redirectUri);
  if (!code) throw new Error("the simulated login redirected without a code");
  const t = await exchangeCode(cfg, code, pkce.verifier);
  if (!t.refresh_token) throw new Error("the simulated login returned no refresh token");
  const now = Date.now();
  const path = tokenFilePath(o.dataDir);
  writeTokenFile(path, {
    refresh_token: t.refresh_token,
    access_token: t.access_token,
    access_expires_at_ms: now + (t.expires_in ?? 3600) * 1000,
    client_id: o.clientId,
    refreshed_at_ms: now,
  });
  return path;
}
