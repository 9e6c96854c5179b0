/**
 * The Viessmann IoT API v2's paths and error bodies, shared by the simulated cloud
 * (viessmann-server.ts) and the tests' fake one (test/fakes/viessmann-api.ts). The bodies are the real
 * API's: the 429 and DEVICE_COMMUNICATION_ERROR ones as PyViCare's tests capture them
 * (https://github.com/openviess/PyViCare, tests/response/errors; copied to test/fixtures/viessmann and
 * checked against these builders in test/simulator/viessmann-bodies.test.ts); the full 401 body is the
 * one the API sends for an expired or unknown bearer token, of which PyViCare keys on
 * `error: "EXPIRED TOKEN"` (fixtures/viessmann/expired_token.json).
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ViessmannIds } from "./ids.ts";

export const INSTALLATIONS_PATH = "/iot/v2/equipment/installations";

/** `GET` path of one device's features; `…/features/{name}` reads one. */
export const featuresPath = (ids: ViessmannIds) =>
  `/iot/v2/features/installations/${ids.installationId}/gateways/${ids.gatewaySerial}/devices/${ids.deviceId}/features`;

/** A fresh `viErrorId` (the API's request id in every error body). */
export const newViErrorId = () => `req-${randomBytes(8).toString("hex")}`;

/** The bearer token of an API request, if any. */
export const bearerToken = (req: IncomingMessage): string | undefined =>
  /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];

/** HTTP 401 for an expired or unknown access token. */
export const unauthorizedBody = (viErrorId: string) => ({
  viErrorId,
  statusCode: 401,
  errorType: "UNAUTHORIZED",
  message: "Token provided in request is expired or invalid.",
  error: "EXPIRED TOKEN",
});

/**
 * HTTP 429 once the day's calls are spent. The calls are counted per UTC day, so `limitReset` (epoch
 * ms) is set to 4 s past the next UTC midnight.
 */
export function rateLimitBody(o: {
  clientId: string;
  userId: string;
  requestCountLimit: number;
  nowMs: number;
  viErrorId: string;
}) {
  return {
    errorType: "RATE_LIMIT_EXCEEDED",
    extendedPayload: {
      clientId: o.clientId,
      limitReset: (Math.floor(o.nowMs / 86_400_000) + 1) * 86_400_000 + 4_000,
      name: "ViCare day limit",
      requestCountLimit: o.requestCountLimit,
      userId: o.userId,
    },
    message: "API calls rate limit has been exceeded. Please wait until your limit will renew.",
    statusCode: 429,
    viErrorId: o.viErrorId,
  };
}

/** HTTP 400 when the cloud cannot reach the heat pump (`DEVICE_OFFLINE`) or its gateway. */
export const communicationErrorBody = (reason: "DEVICE_OFFLINE" | "GATEWAY_OFFLINE", viErrorId: string) => ({
  viErrorId,
  statusCode: 400,
  errorType: "DEVICE_COMMUNICATION_ERROR",
  message: reason === "DEVICE_OFFLINE" ? "Device communication error" : "",
  extendedPayload: { httpStatusCode: "NotFound", code: "404", reason },
});
