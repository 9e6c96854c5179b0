/**
 * The Viessmann cloud on loopback, fed by the live model (notes/viessmann-api.md):
 * - IAM: `GET /idp/v3/authorize` approves at once and redirects to `redirect_uri` with a code
 *   (so `npm run login` works against it); `POST /idp/v3/token` checks PKCE (S256) and the code's
 *   20 s lifetime, and rotates refresh tokens (each refresh spends the old one).
 * - API v2: `GET /iot/v2/equipment/installations`, `GET …/devices/0/features` (live values),
 *   `…/features/{name}`; bearer tokens live 3600 s; the daily limit (per UTC day) answers 429 with
 *   the real RATE_LIMIT_EXCEEDED body; faults (faults.ts) give DEVICE_OFFLINE, 5xx and latency.
 * - `GET|POST /_sim/faults`: read or change the fault switches at run time.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { featuresResponse } from "./features.ts";
import type { Faults } from "./faults.ts";
import { VIESSMANN_IDS } from "./ids.ts";
import type { LiveModel } from "./live.ts";

export { VIESSMANN_IDS };
export const DEFAULT_CLIENT_ID = "simulator-client";

export interface ViessmannServerOptions {
  live: LiveModel;
  faults: Faults;
  /** Accepted OAuth client id (default `simulator-client`). */
  clientId?: string;
  /** API calls allowed per UTC day before 429 (default 1450, the free plan). */
  dailyLimit?: number;
  /** Access token lifetime, s (default 3600). */
  accessTtlS?: number;
  /** Real clock, ms (tests inject one). */
  now?: () => number;
  /** Base URL the server is reachable at (for `uri` fields); set after listen. */
  baseUrl: () => string;
}

const b64url = (b: Buffer) => b.toString("base64url");
const viErrorId = () => `req-${randomBytes(8).toString("hex")}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (s += c));
    req.on("end", () => resolve(s));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function installations(tz: string) {
  const ids = VIESSMANN_IDS;
  return {
    data: [
      {
        id: Number(ids.installationId),
        description: "Simulated house",
        address: {
          street: "Simulated Street",
          houseNumber: "1",
          zip: "00000",
          city: "Simulated",
          country: "DE",
          geolocation: { latitude: 52.5, longitude: 13.4, timeZone: tz },
        },
        gateways: [
          {
            serial: ids.gatewaySerial,
            version: "502.2144.33.0",
            aggregatedStatus: "WorksProperly",
            gatewayType: "TCU300",
            installationId: Number(ids.installationId),
            devices: [
              {
                gatewaySerial: ids.gatewaySerial,
                id: "gateway",
                modelId: "E3_TCU41_x04",
                status: "Online",
                deviceType: "tcu",
                roles: ["type:gateway;TCU300", "type:E3"],
              },
              {
                gatewaySerial: ids.gatewaySerial,
                id: ids.deviceId,
                modelId: "E3_Vitocal_16",
                status: "Online",
                deviceType: "heating",
                roles: ["type:E3", "type:heatpump", "type:product;CU401B"],
              },
            ],
          },
        ],
        aggregatedStatus: "WorksProperly",
        installationType: "Residential",
      },
    ],
    cursor: { next: "" },
  };
}

export function startViessmannServer(o: ViessmannServerOptions): Server {
  const { live, faults } = o;
  const clientId = o.clientId ?? DEFAULT_CLIENT_ID;
  const dailyLimit = o.dailyLimit ?? 1450;
  const accessTtlS = o.accessTtlS ?? 3600;
  const now = o.now ?? (() => Date.now());
  const codes = new Map<string, { challenge: string; redirectUri: string; issuedMs: number }>();
  const access = new Map<string, number>(); // token -> expiry, ms
  let refreshToken: string | undefined;
  let callsDay = -1;
  let calls = 0;

  const issue = () => {
    const at = "at-" + b64url(randomBytes(24));
    access.set(at, now() + accessTtlS * 1000);
    for (const [t, exp] of access) if (exp <= now()) access.delete(t);
    refreshToken = "rt-" + b64url(randomBytes(24));
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
      if (!code || now() - code.issuedMs > 20_000)
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
    if (!URL.canParse(redirectUri))
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

  const rateLimited = (res: ServerResponse) =>
    json(res, 429, {
      errorType: "RATE_LIMIT_EXCEEDED",
      extendedPayload: {
        clientId,
        limitReset: (Math.floor(now() / 86_400_000) + 1) * 86_400_000 + 4_000,
        name: "ViCare day limit",
        requestCountLimit: dailyLimit,
        userId: "simulated-user",
      },
      message: "API calls rate limit has been exceeded. Please wait until your limit will renew.",
      statusCode: 429,
      viErrorId: viErrorId(),
    });

  const communicationError = (res: ServerResponse, reason: "DEVICE_OFFLINE" | "GATEWAY_OFFLINE") =>
    json(res, 400, {
      viErrorId: viErrorId(),
      statusCode: 400,
      errorType: "DEVICE_COMMUNICATION_ERROR",
      message: reason === "DEVICE_OFFLINE" ? "Device communication error" : "",
      extendedPayload: { httpStatusCode: "NotFound", code: "404", reason },
    });

  const api = (req: IncomingMessage, url: URL, res: ServerResponse) => {
    const day = Math.floor(now() / 86_400_000);
    if (day !== callsDay) {
      callsDay = day;
      calls = 0;
    }
    calls++; // failed calls count too, as on the real API
    if (calls > dailyLimit) return rateLimited(res);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const exp = bearer ? access.get(bearer) : undefined;
    if (exp === undefined || exp <= now())
      return json(res, 401, {
        viErrorId: viErrorId(),
        statusCode: 401,
        errorType: "UNAUTHORIZED",
        message: "Token provided in request is expired or invalid.",
        error: "EXPIRED TOKEN",
      });
    if (faults.serverError())
      return json(res, 502, {
        viErrorId: viErrorId(),
        statusCode: 502,
        errorType: "DEVICE_COMMUNICATION_ERROR",
        message: "",
        extendedPayload: { reason: "INTERNAL_SERVER_ERROR" },
      });
    if (url.pathname === "/iot/v2/equipment/installations")
      return json(res, 200, installations(live.model.tz));
    const ids = VIESSMANN_IDS;
    const features = `/iot/v2/features/installations/${ids.installationId}/gateways/${ids.gatewaySerial}/devices/${ids.deviceId}/features`;
    if (url.pathname === features || url.pathname.startsWith(features + "/")) {
      if (faults.gatewayOffline) return communicationError(res, "GATEWAY_OFFLINE");
      if (faults.deviceOffline) return communicationError(res, "DEVICE_OFFLINE");
      const body = featuresResponse(live.sync(), ids, o.baseUrl());
      if (url.pathname === features) return json(res, 200, body);
      const name = url.pathname.slice(features.length + 1);
      const one = body.data.find((f) => (f as { feature: string }).feature === name);
      if (one) return json(res, 200, { data: one });
    }
    return json(res, 404, {
      viErrorId: viErrorId(),
      statusCode: 404,
      errorType: "NOT_FOUND",
      message: `Not found: ${url.pathname}`,
    });
  };

  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/_sim/faults") {
        if (req.method === "POST") {
          try {
            faults.apply(JSON.parse(await readBody(req)) as Record<string, unknown>);
          } catch (e) {
            return json(res, 400, { error: e instanceof Error ? e.message : String(e) });
          }
        }
        return json(res, 200, faults.settings());
      }
      await faults.delay();
      if (url.pathname === "/idp/v3/authorize" && req.method === "GET") return authorize(url, res);
      if (url.pathname === "/idp/v3/token" && req.method === "POST") return token(req, res);
      if (url.pathname.startsWith("/iot/") && req.method === "GET") return api(req, url, res);
      return json(res, 404, {
        statusCode: 404,
        errorType: "NOT_FOUND",
        message: `Not found: ${req.method} ${url.pathname}`,
      });
    })().catch((e: unknown) =>
      json(res, 500, { statusCode: 500, errorType: "INTERNAL_ERROR", message: String(e) }),
    );
  });
}
