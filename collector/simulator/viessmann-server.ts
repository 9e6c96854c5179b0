/**
 * The Viessmann cloud on loopback, fed by the live model. Endpoints follow the Viessmann developer
 * portal (https://documentation.viessmann.com/: Getting Started, Authentication, IoT API v2), which
 * also gives the access token's hour and the free (Basic) plan's 1450 API calls a day:
 * - IAM (viessmann-iam.ts): `/idp/v3/authorize` approves at once, `/idp/v3/token` checks PKCE and
 *   rotates refresh tokens.
 * - API v2: `GET /iot/v2/equipment/installations`, `GET …/devices/0/features` (live values),
 *   `…/features/{name}`; bearer tokens live 3600 s; the daily limit (per UTC day, failed calls
 *   included) answers 429 with the real RATE_LIMIT_EXCEEDED body (viessmann-bodies.ts); faults
 *   (faults.ts) give DEVICE_OFFLINE, GATEWAY_OFFLINE, 5xx and latency.
 * - `GET|POST /_sim/faults`: read or change the fault switches at run time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type DeviceFault, featuresResponse } from "./features.ts";
import { json, readBody } from "./http-util.ts";
import type { Faults } from "./faults.ts";
import { VIESSMANN_IDS } from "./ids.ts";
import { installationsBody } from "./installations.ts";
import type { LiveModel } from "./live.ts";
import {
  INSTALLATIONS_PATH,
  bearerToken,
  communicationErrorBody,
  featuresPath,
  newViErrorId,
  rateLimitBody,
  unauthorizedBody,
} from "./viessmann-bodies.ts";
import { createIam } from "./viessmann-iam.ts";

export { VIESSMANN_IDS };
export const DEFAULT_CLIENT_ID = "simulator-client";

interface ViessmannServerOptions {
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

const installations = (tz: string) =>
  installationsBody(VIESSMANN_IDS, {
    description: "Simulated house",
    address: {
      street: "Simulated Street",
      houseNumber: "1",
      zip: "00000",
      city: "Simulated",
      country: "DE",
      geolocation: { latitude: 52.5, longitude: 13.4, timeZone: tz },
    },
  });

export function startViessmannServer(o: ViessmannServerOptions): Server {
  const { live, faults } = o;
  const clientId = o.clientId ?? DEFAULT_CLIENT_ID;
  const dailyLimit = o.dailyLimit ?? 1450;
  const accessTtlS = o.accessTtlS ?? 3600;
  const now = o.now ?? (() => Date.now());
  const iam = createIam({ clientId, accessTtlS, now });
  let callsDay = -1;
  let calls = 0;

  const rateLimited = (res: ServerResponse) =>
    json(
      res,
      429,
      rateLimitBody({
        clientId,
        userId: "simulated-user",
        requestCountLimit: dailyLimit,
        nowMs: now(),
        viErrorId: newViErrorId(),
      }),
    );

  const communicationError = (res: ServerResponse, reason: "DEVICE_OFFLINE" | "GATEWAY_OFFLINE") =>
    json(res, 400, communicationErrorBody(reason, newViErrorId()));

  let fault: DeviceFault | undefined;
  const api = (req: IncomingMessage, url: URL, res: ServerResponse) => {
    const day = Math.floor(now() / 86_400_000);
    if (day !== callsDay) {
      callsDay = day;
      calls = 0;
    }
    calls++; // failed calls count too, as on the real API
    if (calls > dailyLimit) return rateLimited(res);
    if (!iam.valid(bearerToken(req))) return json(res, 401, unauthorizedBody(newViErrorId()));
    if (faults.serverError())
      return json(res, 502, {
        viErrorId: newViErrorId(),
        statusCode: 502,
        errorType: "DEVICE_COMMUNICATION_ERROR",
        message: "",
        extendedPayload: { reason: "INTERNAL_SERVER_ERROR" },
      });
    if (url.pathname === INSTALLATIONS_PATH) return json(res, 200, installations(live.model.tz));
    const ids = VIESSMANN_IDS;
    const features = featuresPath(ids);
    if (url.pathname === features || url.pathname.startsWith(features + "/")) {
      if (faults.gatewayOffline) return communicationError(res, "GATEWAY_OFFLINE");
      if (faults.deviceOffline) return communicationError(res, "DEVICE_OFFLINE");
      const m = live.sync();
      // The device's own time of the error: the simulated instant it first showed.
      if (faults.deviceFault !== fault?.code)
        fault = faults.deviceFault ? { code: faults.deviceFault, sinceMs: m.t } : undefined;
      const body = featuresResponse(m, ids, o.baseUrl(), fault);
      if (url.pathname === features) return json(res, 200, body);
      const name = url.pathname.slice(features.length + 1);
      const one = body.data.find((f) => (f as { feature: string }).feature === name);
      if (one) return json(res, 200, { data: one });
    }
    return json(res, 404, {
      viErrorId: newViErrorId(),
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
      if (url.pathname === "/idp/v3/authorize" && req.method === "GET") return iam.authorize(url, res);
      if (url.pathname === "/idp/v3/token" && req.method === "POST") return iam.token(req, res);
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
