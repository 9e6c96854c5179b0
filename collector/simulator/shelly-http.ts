/**
 * Shelly Gen2 RPC over HTTP, the device side, shared by the simulated meter (answers from the live
 * model, shelly-server.ts) and the tests' fake one (answers from captured fixtures and scripted
 * faults, test/fakes/shelly-server.ts). Behaviour follows the Shelly Gen2 API docs
 * (https://shelly-api-docs.shelly.cloud/gen2/General/RPCChannels, …/General/Authentication) and the
 * Mongoose OS HTTP RPC channel the firmware is built on:
 * - `GET|POST /rpc/<Method>` (params from the query, numbers as numbers, or a JSON body) answers the
 *   bare result with 200, or the bare `{code,message}` with 404 for code 404, 403 for 403, else 500;
 * - `POST /rpc` with a frame `{id,method,params}` answers `{id,src,result}` or `{id,src,error}`, always
 *   with 200 (the error travels inside the frame); a body that is not JSON gets 400 `-103`;
 * - `GET /shelly` answers Shelly.GetDeviceInfo's result, never behind auth; so does that method on
 *   /rpc; every other path is a 404 with an empty body;
 * - with a password, every other method needs SHA-256 digest auth (digest-check.ts): 401 with a
 *   challenge, `stale=true` for an unknown or expired nonce, 429 while the nonce table throttles
 *   (shelly-nonces.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkDigest, parseAuthorization } from "./digest-check.ts";
import { readBody } from "./http-util.ts";
import { NonceBook, type NonceRules } from "./shelly-nonces.ts";

export type ShellyProfile = "triphase" | "monophase";
export type Json = Record<string, unknown>;
export type RpcError = { code: number; message: string };
export type RpcAnswer = { result: unknown } | { error: RpcError };

export const GET_DEVICE_INFO = "Shelly.GetDeviceInfo";

export interface ShellyDevice {
  /** Device id: the digest realm and the `src` of answer frames. */
  readonly id: string;
  /** Digest password for user `admin`; undefined or empty: no auth. */
  readonly password?: string;
  /** Nonce reuse rules (default: fw 2.x, a nonce lives an hour, 32 slots, throttled when full). */
  readonly nonces?: Partial<NonceRules>;
  /** Answers one RPC method. */
  call(method: string, params: Json): RpcAnswer;
  /** Runs first, once the body is read: may answer for the device (a fault) and return the status. */
  intercept?(res: ServerResponse): Promise<number | undefined> | number | undefined;
  /** Runs for /rpc calls once authorised, before `call`: may answer instead and return the status. */
  beforeCall?(method: string, res: ServerResponse): number | undefined;
}

export interface ShellyHttp {
  /** Serves one request; resolves to the HTTP status sent (never rejects). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<number>;
  /** Challenges issued, wrong digest responses, requests answered 429. */
  readonly stats: { challenges: number; authFailures: number; throttled: number };
  /** Every nonce issued so far becomes stale. */
  expireNonces(): void;
}

export const TOO_MANY_REQUESTS: RpcError = { code: 429, message: "Too many requests" };

/** Sends `body` (a string as is, undefined as nothing, anything else as JSON); returns `status`. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): number {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  const all: Record<string, string> = { "content-type": "application/json", connection: "close" };
  for (const [k, v] of Object.entries(headers)) all[k.toLowerCase()] = v;
  all["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(status, all);
  res.end(text);
  return status;
}

/** HTTP status of a bare `{code,message}` answer on /rpc/<Method>, as the firmware maps it. */
const restStatus = (e: RpcError) => (e.code === 404 || e.code === 403 ? e.code : 500);

const numberLike = /^-?\d+(\.\d+)?$/;

export function shellyHttp(device: ShellyDevice): ShellyHttp {
  const authOn = device.password !== undefined && device.password !== "";
  const book = new NonceBook({
    maxUses: device.nonces?.maxUses ?? 30_000,
    ttlMs: device.nonces?.ttlMs ?? 3_600_000,
    slots: device.nonces?.slots ?? 32,
    whenFull: device.nonces?.whenFull ?? "throttle",
  });
  const stats = { challenges: 0, authFailures: 0, throttled: 0 };

  const challenge = (res: ServerResponse, stale: boolean): number => {
    const nonce = book.issue();
    if (nonce === undefined) {
      stats.throttled++;
      return send(res, 429, TOO_MANY_REQUESTS);
    }
    stats.challenges++;
    const params = `qop="auth", realm="${device.id}", nonce="${nonce}", algorithm=SHA-256`;
    return send(res, 401, undefined, {
      "www-authenticate": `Digest ${params}${stale ? ", stale=true" : ""}`,
    });
  };

  /** undefined when the request may proceed; otherwise the status of the answer already sent. */
  const authorise = (req: IncomingMessage, res: ServerResponse): number | undefined => {
    const a = parseAuthorization(req.headers.authorization);
    if (!a) return challenge(res, false);
    if (!book.live(a.nonce)) return challenge(res, true);
    const verdict = checkDigest(
      a,
      { method: req.method ?? "", url: req.url ?? "" },
      { realm: device.id, password: device.password! },
    );
    if (verdict === "wrong-response") stats.authFailures++;
    if (verdict !== "ok" || !book.use(a.nonce!, a.nc!)) return challenge(res, false);
    return undefined;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const url = new URL(req.url ?? "/", "http://device");
    const body = await readBody(req);
    const early = await device.intercept?.(res);
    if (early !== undefined) return early;
    if (url.pathname === "/shelly") {
      const info = device.call(GET_DEVICE_INFO, {});
      return "result" in info ? send(res, 200, info.result) : send(res, restStatus(info.error), info.error);
    }
    let method: string;
    let params: Json = {};
    let frame: Json | undefined;
    try {
      if (url.pathname === "/rpc" && req.method === "POST") {
        frame = JSON.parse(body) as Json;
        method = String(frame.method ?? "");
        params = (frame.params as Json | undefined) ?? {};
      } else if (url.pathname.startsWith("/rpc/")) {
        method = decodeURIComponent(url.pathname.slice(5));
        if (req.method === "POST" && body.trim()) params = JSON.parse(body) as Json;
        for (const [k, v] of url.searchParams) params[k] = numberLike.test(v) ? Number(v) : v;
      } else return send(res, 404, undefined);
    } catch {
      return send(res, 400, { code: -103, message: "Invalid JSON" });
    }
    if (authOn && method !== GET_DEVICE_INFO) {
      const denied = authorise(req, res);
      if (denied !== undefined) return denied;
    }
    const instead = device.beforeCall?.(method, res);
    if (instead !== undefined) return instead;
    const answer = device.call(method, params);
    if (frame !== undefined) return send(res, 200, { id: frame.id ?? 0, src: device.id, ...answer });
    return "result" in answer
      ? send(res, 200, answer.result)
      : send(res, restStatus(answer.error), answer.error);
  };

  return {
    handle: (req, res) =>
      serve(req, res).catch((e: unknown) =>
        res.headersSent ? -1 : send(res, 500, { code: -1, message: `Internal error: ${String(e)}` }),
      ),
    stats,
    expireNonces: () => book.expireAll(),
  };
}
