/**
 * `npm run login`: the one interactive step. OAuth 2.0 authorization code + PKCE (S256): prints the
 * authorize URL, listens on the redirect URI when it is a localhost address, and also accepts the
 * redirect URL pasted on stdin (headless servers: the browser elsewhere shows "cannot connect",
 * its address bar holds the code). The code lives ~20 s, so it is exchanged at once; the tokens go
 * to DATA_DIR/viessmann-token.json (atomic, mode 0600). No token is ever printed.
 *
 * The listener binds the loopback address only (127.0.0.1 and ::1 for `localhost`), unless
 * VIESSMANN_LOGIN_LISTEN names another address: in a container, 0.0.0.0, so that a port published
 * by Docker reaches it. It only takes a redirect carrying the `state` this run issued; anything
 * else (a stray request, a scanner, someone on the network) is answered 400 and ignored, so it
 * cannot abort the login.
 */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { createInterface } from "node:readline";
import type { ViessmannConfig } from "../../config.ts";
import { loadConfig } from "../../config.ts";
import { parseCommandLine, UsageError, usageLine } from "../../../../core/src/command-line.ts";
import { type Clock, systemClock } from "../../../../core/src/effects.ts";
import { ConfigError } from "../../../../core/src/env.ts";
import { isExpected } from "../../../../core/src/errors.ts";
import { SCOPES, authorizeUrl, createPkce, exchangeCode, explainOAuthError, OAUTH_FIX } from "./oauth.ts";
import { tokenFilePath, writeTokenFile } from "./token-store.ts";

export interface LoginOptions {
  readonly config: ViessmannConfig;
  readonly dataDir: string;
  /** Where pasted redirect URLs come from (stdin). */
  readonly input: NodeJS.ReadableStream;
  readonly print: (line: string) => void;
  /**
   * Listen on the redirect URI's port; default: when its host is localhost, 127.0.0.1 or [::1], or
   * when `config.loginListen` is set.
   */
  readonly listen?: boolean;
  readonly clock?: Clock;
}

/** Thrown for anything the user has to fix; main prints the message and exits 1. */
export class LoginError extends Error {
  override readonly name = "LoginError";
}

/** Loopback addresses to listen on for a redirect URI host. */
const LOOPBACK: Record<string, readonly string[]> = {
  localhost: ["127.0.0.1", "::1"], // a browser may try either
  "127.0.0.1": ["127.0.0.1"],
  "[::1]": ["::1"],
};

/** The code from a redirect URL (or its query string); throws LoginError for an `error` redirect. */
export function codeFromRedirect(text: string, state: string, redirectUri: string): string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(t).searchParams;
  } catch {
    params = new URLSearchParams(t.includes("?") ? t.slice(t.indexOf("?") + 1) : t);
  }
  const error = params.get("error");
  if (error)
    throw new LoginError(explainOAuthError(error, params.get("error_description") ?? "", redirectUri));
  const code = params.get("code");
  if (!code) return undefined;
  const got = params.get("state");
  if (got !== null && got !== state)
    throw new LoginError(
      "the pasted redirect URL belongs to another login attempt (state differs); start again",
    );
  return code;
}

/** `::1` -> `[::1]:4200`, `0.0.0.0` -> `0.0.0.0:4200`. */
const hostPort = (address: string, port: number) =>
  `${address.includes(":") ? `[${address}]` : address}:${port}`;

/**
 * Listens on `port` of each address; resolves with the servers that could listen. A request whose
 * `state` is not the one issued is answered 400 and never reaches `onUrl`.
 */
async function listenForRedirect(
  redirectUri: string,
  addresses: readonly string[],
  state: string,
  onUrl: (url: string) => string,
  print: (line: string) => void,
): Promise<Server[]> {
  const u = new URL(redirectUri);
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const full = new URL(req.url ?? "/", redirectUri);
    if (full.pathname !== u.pathname) {
      res.writeHead(404).end();
      return;
    }
    if (full.searchParams.get("state") !== state) {
      res
        .writeHead(400, { "content-type": "text/plain; charset=utf-8" })
        .end(
          "This address is waiting for a Viessmann login; this request is not part of it and was ignored.\n",
        );
      return;
    }
    const message = onUrl(full.toString());
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(message + "\n");
  };
  const servers: Server[] = [];
  const listening: string[] = [];
  for (const address of addresses) {
    const server = createServer(handler);
    const ok = await new Promise<boolean>((resolve) => {
      server.once("error", (e: NodeJS.ErrnoException) => {
        // ::1 without IPv6 is no loss while 127.0.0.1 listens; anything else is said.
        if (!(e.code === "EADDRNOTAVAIL" && address === "::1" && addresses.length > 1))
          print(
            `(cannot listen on ${hostPort(address, port)}: ${e.code ?? e.message}; paste the redirect URL instead)`,
          );
        resolve(false);
      });
      server.listen(port, address, () => resolve(true));
    });
    if (!ok) continue;
    servers.push(server);
    listening.push(hostPort(address, port));
  }
  if (listening.length > 0) print(`(waiting for the browser on ${listening.join(" and ")})`);
  return servers;
}

/** Runs the login; resolves with the token file path. */
export async function runLogin(opts: LoginOptions): Promise<string> {
  const { config, dataDir, input, print } = opts;
  const clock = opts.clock ?? systemClock;
  const pkce = createPkce();
  const state = randomBytes(16).toString("base64url");
  const url = authorizeUrl(config, pkce.challenge, state);
  const redirectHost = new URL(config.redirectUri).host.replace(/:\d+$/, "");
  const addresses = config.loginListen ? [config.loginListen] : (LOOPBACK[redirectHost] ?? []);
  const listen = (opts.listen ?? addresses.length > 0) && addresses.length > 0;

  print(`Viessmann login for client ${config.clientId} (scopes: ${SCOPES}).`);
  print("1. Open this URL in a browser and log in with your ViCare account:");
  print("");
  print(`   ${url}`);
  print("");
  print(
    listen
      ? `2. The browser comes back to ${config.redirectUri}, which this command answers. ` +
          "If that page cannot be reached (login from another machine), " +
          "copy the address from the browser's address bar and paste it here, then press Enter."
      : `2. The browser comes back to ${config.redirectUri}; ` +
          "copy that address from the browser's address bar and paste it here, then press Enter.",
  );

  // Errors on Viessmann's own login page never reach us: say up front what they mean.
  print("If the Viessmann page shows an error instead of coming back:");
  print(`   "Client not registered": ${OAUTH_FIX.client(config.redirectUri)}`);
  print(`   "Invalid redirection URI": ${OAUTH_FIX.redirect(config.redirectUri)}`);
  print(`   a reCAPTCHA that fails: ${OAUTH_FIX.captcha(config.redirectUri)}`);

  let settle!: { resolve: (code: string) => void; reject: (e: Error) => void };
  const codePromise = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const take = (text: string): string => {
    try {
      const code = codeFromRedirect(text, state, config.redirectUri);
      if (!code) return "No code in that address; paste the full address the browser was sent to.";
      settle.resolve(code);
      return "Login received; you can close this tab and return to the terminal.";
    } catch (e) {
      settle.reject(e as Error);
      return (e as Error).message;
    }
  };

  const servers = listen ? await listenForRedirect(config.redirectUri, addresses, state, take, print) : [];
  const rl = createInterface({ input, terminal: false });
  rl.on("line", (line) => {
    if (line.trim()) {
      const answer = take(line);
      if (answer.startsWith("No code")) print(answer);
    }
  });
  rl.on("close", () =>
    settle.reject(new LoginError("input closed before a redirect URL arrived; login aborted")),
  );

  try {
    const code = await codePromise;
    const t = await exchangeCode(config, code, pkce.verifier).catch((e: unknown) => {
      throw isExpected(e) ? new LoginError(e.message) : e;
    });
    if (!t.refresh_token)
      throw new LoginError(
        "Viessmann returned no refresh token; the client must allow the scope offline_access",
      );
    const now = clock.now();
    const path = tokenFilePath(dataDir);
    writeTokenFile(path, {
      refresh_token: t.refresh_token,
      access_token: t.access_token,
      access_expires_at_ms: now + (t.expires_in ?? 3600) * 1000,
      client_id: config.clientId,
      refreshed_at_ms: now,
    });
    print(`Logged in. Tokens stored in ${path} (mode 0600).`);
    print(
      "The collector refreshes them on its own; the refresh token lasts 180 days and is renewed with every refresh.",
    );
    return path;
  } finally {
    rl.removeAllListeners("close");
    rl.close();
    for (const server of servers) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // a browser's keep-alive connection must not hold the process
      await closed;
    }
  }
}

const USAGE = "usage: npm run login   (no options; reads VIESSMANN_CLIENT_ID and DATA_DIR)";

async function main(): Promise<number> {
  try {
    if (parseCommandLine(process.argv.slice(2), {}).values.help) {
      console.log(USAGE);
      return 0;
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(usageLine(e.message, USAGE));
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  if (!config.viessmann) {
    console.error(
      "VIESSMANN_CLIENT_ID is not set: create an API client in the Viessmann developer portal " +
        "(see README, Logging in to Viessmann) and set VIESSMANN_CLIENT_ID to its client id",
    );
    return 1;
  }
  try {
    await runLogin({
      config: config.viessmann,
      dataDir: config.dataDir,
      input: process.stdin,
      print: console.log,
    });
    return 0;
  } catch (e) {
    if (e instanceof LoginError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

if (import.meta.main) process.exitCode = await main();
