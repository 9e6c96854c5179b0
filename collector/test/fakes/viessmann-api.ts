/**
 * A fake Viessmann cloud on loopback: the IAM (authorize + token with PKCE S256 and rotating refresh
 * tokens: the simulator's IAM, simulator/viessmann-iam.ts) and the IoT API v2 (installations,
 * features) on one port. Features bodies are the real dumps in test/fixtures/viessmann; paths and
 * error bodies are the simulator's (simulator/viessmann-bodies.ts, checked against the real bodies in
 * the same fixtures). The installations listing follows the shape of
 * fixtures/viessmann/installationsResponse.json with a heat pump added (simulator/installations.ts).
 *
 * Reusable: `startFakeViessmann()` returns the base URL (use it for both VIESSMANN_API_URL and
 * VIESSMANN_AUTH_URL), counters per UTC day of the injected clock, and knobs to script failures.
 */
import { readFileSync } from "node:fs";
import { type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { json } from "../../simulator/http-util.ts";
import { installationsBody } from "../../simulator/installations.ts";
import {
  INSTALLATIONS_PATH,
  bearerToken,
  communicationErrorBody,
  featuresPath,
  rateLimitBody,
  unauthorizedBody,
} from "../../simulator/viessmann-bodies.ts";
import { createIam, type TokenBody } from "../../simulator/viessmann-iam.ts";

export const FAKE_FIXTURES = join(import.meta.dirname, "../fixtures/viessmann");
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FAKE_FIXTURES, name), "utf8"));

/** What the features endpoint answers next. */
export type FeaturesMode =
  | "ok"
  | "rate-limit" // 429 RATE_LIMIT_EXCEEDED, limitReset = next UTC midnight + 4 s
  | "device-offline" // 400 DEVICE_COMMUNICATION_ERROR / DEVICE_OFFLINE
  | "gateway-offline" // 400 DEVICE_COMMUNICATION_ERROR / GATEWAY_OFFLINE
  | "expired-token" // 401 EXPIRED TOKEN (whatever token was sent)
  | "html-502" // 502 with an HTML body, as a proxy in front of the API sends
  | "internal-500" // 500 INTERNAL_ERROR JSON
  | "oversized" // 200 with an 11 MiB JSON body, chunked (no Content-Length)
  | "hang"; // never answers (for timeouts)

export interface FakeViessmannOptions {
  clientId?: string;
  redirectUris?: readonly string[];
  /** Clock for token lifetimes, code lifetimes and per-day counting; default real time. */
  clock?: { now(): number };
  /** Access token lifetime, s (Viessmann: 3600). */
  accessTtlS?: number;
  /** Authorization code lifetime, s (Viessmann: ~20). */
  codeTtlS?: number;
  /** Features body (default: the Vitocal 252-A dump). */
  features?: unknown;
  installations?: unknown;
  /** Calls per UTC day before the fake answers 429 itself (Viessmann free plan: 1450). */
  dailyLimit?: number;
}

export const FAKE_IDS = {
  installationId: "2012616",
  gatewaySerial: "7633107093013212",
  deviceId: "0",
} as const;

/** The installations listing: a WiFi gateway with the heat pump ("0") and a room controller. */
export const fakeInstallations = (): unknown =>
  installationsBody(FAKE_IDS, {
    description: "Test Installation",
    otherDevices: [
      {
        id: "RoomControl-1",
        modelId: "Smart_RoomControl",
        deviceType: "roomControl",
        roles: ["type:virtual;smartRoomControl"],
      },
    ],
  });

/**
 * What the token endpoint answers: `ok` is the IAM; `echo-400` is HTTP 400 whose error_description
 * repeats the request body it got (`…&refresh_token=…`), as some servers do with a request they
 * cannot take.
 */
export type TokenMode = "ok" | "echo-400";

export interface FakeViessmann {
  readonly url: string;
  close(): Promise<void>;
  tokenMode: TokenMode;
  /** Modes consumed one per features request before falling back to `mode`. */
  readonly script: FeaturesMode[];
  mode: FeaturesMode;
  features: unknown;
  installations: unknown;
  /** Every request by path kind, and all requests per UTC day (`YYYY-MM-DD` of the clock). */
  readonly calls: {
    token: number;
    installations: number;
    features: number;
    authorize: number;
    total: number;
  };
  readonly callsByDay: Map<string, number>;
  /** The refresh token currently valid (rotated by every refresh), or undefined before login. */
  readonly validRefreshToken: () => string | undefined;
  /** Every refresh token ever issued, oldest first. */
  readonly issuedRefreshTokens: string[];
  /** Every access token issued so far becomes invalid (server-side expiry). */
  expireAccessTokens(): void;
  /** Makes the current refresh token invalid (revoked, or 180 days passed). */
  revokeRefreshToken(): void;
  /** Bearer tokens seen by the API, in order (to check the client used fresh ones). */
  readonly bearers: string[];
  /** Issues tokens as a finished login would (no HTTP call), to seed a token file in tests. */
  grantTokens(): TokenBody;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The `viErrorId` of every error body the fake sends. */
const VI_ERROR_ID = "req-fake";

export async function startFakeViessmann(opts: FakeViessmannOptions = {}): Promise<FakeViessmann> {
  const clientId = opts.clientId ?? "test-client";
  const redirectUris = opts.redirectUris ?? ["http://localhost:4200/"];
  const clock = opts.clock ?? { now: () => Date.now() };
  const accessTtlS = opts.accessTtlS ?? 3600;
  const codeTtlS = opts.codeTtlS ?? 20;
  const dailyLimit = opts.dailyLimit ?? 1450;

  const hanging = new Set<ServerResponse>();
  const iam = createIam({
    clientId,
    accessTtlS,
    codeTtlS,
    redirectUris,
    now: () => clock.now(),
    onIssue: (rt) => fake.issuedRefreshTokens.push(rt),
  });

  const fake: FakeViessmann = {
    url: "",
    close: async () => {
      for (const r of hanging) r.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    tokenMode: "ok",
    script: [],
    mode: "ok",
    features: opts.features ?? fixture("Vitocal252A.json"),
    installations: opts.installations ?? fakeInstallations(),
    calls: { token: 0, installations: 0, features: 0, authorize: 0, total: 0 },
    callsByDay: new Map(),
    validRefreshToken: () => iam.refreshToken(),
    issuedRefreshTokens: [],
    expireAccessTokens: () => iam.expireAccessTokens(),
    revokeRefreshToken: () => iam.revokeRefreshToken(),
    bearers: [],
    grantTokens: () => iam.grant(),
  };

  const expired = (res: ServerResponse) => json(res, 401, unauthorizedBody(VI_ERROR_ID));

  const featuresAnswer = (mode: FeaturesMode, res: ServerResponse) => {
    switch (mode) {
      case "ok":
        return json(res, 200, fake.features);
      case "rate-limit":
        return rateLimited(res);
      case "device-offline":
        return json(res, 400, communicationErrorBody("DEVICE_OFFLINE", VI_ERROR_ID));
      case "gateway-offline":
        return json(res, 400, communicationErrorBody("GATEWAY_OFFLINE", VI_ERROR_ID));
      case "expired-token":
        return expired(res);
      case "html-502":
        res.writeHead(502, { "content-type": "text/html" });
        return res.end("<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>");
      case "internal-500":
        return json(res, 500, {
          viErrorId: VI_ERROR_ID,
          statusCode: 500,
          errorType: "INTERNAL_ERROR",
          message: "",
        });
      case "hang":
        hanging.add(res);
        return;
      case "oversized": {
        res.writeHead(200, { "content-type": "application/json" });
        res.on("error", () => undefined); // the client hangs up mid-body
        const chunk = Buffer.alloc(64 * 1024, " "); // JSON whitespace
        res.write('{"data":[]');
        let left = 11 * 1024 * 1024;
        const pump = () => {
          while (left > 0 && !res.destroyed) {
            left -= chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          if (!res.destroyed) res.end("}");
        };
        pump();
        return;
      }
    }
  };

  const rateLimited = (res: ServerResponse) =>
    json(
      res,
      429,
      rateLimitBody({
        clientId,
        userId: "test-user",
        requestCountLimit: dailyLimit,
        nowMs: clock.now(),
        viErrorId: VI_ERROR_ID,
      }),
    );

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      fake.calls.total++;
      const day = utcDay(clock.now());
      const today = (fake.callsByDay.get(day) ?? 0) + 1;
      fake.callsByDay.set(day, today);
      if (url.pathname === "/idp/v3/authorize" && req.method === "GET") {
        fake.calls.authorize++;
        return iam.authorize(url, res);
      }
      if (url.pathname === "/idp/v3/token" && req.method === "POST") {
        fake.calls.token++;
        if (fake.tokenMode === "echo-400") {
          let body = "";
          for await (const chunk of req) body += String(chunk);
          return json(res, 400, {
            error: "invalid_request",
            error_description: `cannot parse the request ${body}`,
          });
        }
        return iam.token(req, res);
      }
      const route =
        req.method !== "GET"
          ? undefined
          : url.pathname === INSTALLATIONS_PATH
            ? "installations"
            : url.pathname === featuresPath(FAKE_IDS)
              ? "features"
              : undefined;
      if (route) fake.calls[route]++;
      if (today > dailyLimit) return rateLimited(res);
      const bearer = bearerToken(req);
      if (bearer) fake.bearers.push(bearer);
      if (!iam.valid(bearer)) return expired(res);
      if (route === "installations") return json(res, 200, fake.installations);
      if (route === "features") return featuresAnswer(fake.script.shift() ?? fake.mode, res);
      return json(res, 404, { statusCode: 404, errorType: "NOT_FOUND", message: `no route ${url.pathname}` });
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  (fake as { url: string }).url = `http://127.0.0.1:${port}`;
  return fake;
}
