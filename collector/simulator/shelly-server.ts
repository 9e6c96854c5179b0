/**
 * A Shelly Pro 3EM on loopback, fed by the live model: Gen2 RPC over HTTP (`GET|POST /rpc/<Method>`
 * answers the bare result, `POST /rpc` the full frame, `GET /shelly` the device info) and optional
 * SHA-256 digest auth (RFC 7616, realm = device id, user `admin`, nonces reusable with a rising `nc`
 * for an hour as on firmware 2.x, `stale=true` after that; GetDeviceInfo stays open). The answers
 * themselves are in shelly-rpc.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Faults } from "./faults.ts";
import { SHELLY_ID } from "./ids.ts";
import type { LiveModel } from "./live.ts";
import { readBody } from "./http-util.ts";
import { deviceInfo, rpc } from "./shelly-rpc.ts";

const NONCE_TTL_MS = 3_600_000;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface ShellyServerOptions {
  live: LiveModel;
  faults: Faults;
  password?: string;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    connection: "close",
    ...headers,
  });
  res.end(text);
}

/** Parses `Digest k="v", k=v` (values split at the first `=`: fw 2.x nonces are Base64 with padding). */
function parseDigest(header: string): Record<string, string> | undefined {
  if (!/^Digest\s/i.test(header)) return undefined;
  const out: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/([a-z]+)=(?:"([^"]*)"|([^,\s]*))/gi))
    out[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? "";
  return out;
}

export function startShellyServer(o: ShellyServerOptions): Server {
  const { live, faults } = o;
  const authEnabled = o.password !== undefined && o.password !== "";
  const ha1 = authEnabled ? sha256(`admin:${SHELLY_ID}:${o.password}`) : "";
  const nonces = new Map<string, { issuedMs: number; nc: number }>();

  const challenge = (res: ServerResponse, stale = false) => {
    const nonce = randomBytes(12).toString("base64");
    nonces.set(nonce, { issuedMs: Date.now(), nc: 0 });
    if (nonces.size > 64) nonces.delete(nonces.keys().next().value!);
    send(res, 401, undefined, {
      "www-authenticate": `Digest qop="auth", realm="${SHELLY_ID}", nonce="${nonce}", algorithm=SHA-256${stale ? ", stale=true" : ""}`,
    });
  };

  /** True when the request may proceed; otherwise the 401 has been sent. */
  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    const d = parseDigest(req.headers.authorization ?? "");
    if (!d) return (challenge(res), false);
    const n = nonces.get(d.nonce ?? "");
    if (!n || Date.now() - n.issuedMs > NONCE_TTL_MS) return (challenge(res, true), false);
    const nc = parseInt(d.nc ?? "", 16);
    const ha2 = sha256(`${req.method}:${d.uri}`);
    const expected = sha256(`${ha1}:${d.nonce}:${d.nc}:${d.cnonce}:auth:${ha2}`);
    if (d.username !== "admin" || d.realm !== SHELLY_ID || d.response !== expected || !(nc > n.nc)) {
      return (challenge(res), false);
    }
    n.nc = nc;
    return true;
  };

  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const body = req.method === "POST" ? await readBody(req) : "";
      await faults.delay();
      if (url.pathname === "/shelly") return send(res, 200, deviceInfo(live, authEnabled));
      let method: string;
      let params: Record<string, unknown> = {};
      let frameId: unknown;
      if (url.pathname === "/rpc" && req.method === "POST") {
        const frame = JSON.parse(body || "{}") as {
          id?: unknown;
          method?: string;
          params?: Record<string, unknown>;
        };
        method = frame.method ?? "";
        params = frame.params ?? {};
        frameId = frame.id ?? 0;
      } else if (url.pathname.startsWith("/rpc/")) {
        method = decodeURIComponent(url.pathname.slice(5));
        if (req.method === "POST" && body) params = JSON.parse(body) as Record<string, unknown>;
        for (const [k, v] of url.searchParams) params[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
      } else {
        return send(res, 404, undefined);
      }
      if (authEnabled && method !== "Shelly.GetDeviceInfo" && !authorized(req, res)) return;
      if (faults.shellyDown) return send(res, 503, undefined);
      const a = rpc(live, method, params, authEnabled);
      if (frameId !== undefined) {
        return send(res, 200, {
          id: frameId,
          src: SHELLY_ID,
          ...("result" in a ? { result: a.result } : { error: a.error }),
        });
      }
      if ("result" in a) return send(res, 200, a.result);
      return send(res, a.http, a.error);
    })().catch(() => send(res, 400, { code: -103, message: "Bad request" }));
  });
}
