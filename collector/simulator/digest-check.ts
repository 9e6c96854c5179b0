/**
 * The device's half of RFC 7616 digest authentication as Shelly Gen2 firmware speaks it (Shelly API
 * docs, https://shelly-api-docs.shelly.cloud/gen2/General/Authentication): SHA-256, `qop=auth`, user
 * `admin`, realm = device id, `HA1 = SHA256(admin:realm:password)`, `HA2 = SHA256(METHOD:uri)`,
 * `response = SHA256(HA1:nonce:nc:cnonce:auth:HA2)`. Used by the simulated meter and the tests' fake
 * one. Written apart from the collector's client (src/sources/shelly/digest.ts) on purpose: a slip in
 * one cannot hide in the other, and tests check this side against the captured exchange
 * (test/fixtures/shelly/auth_digest_http_test_vector.json).
 */
import { createHash } from "node:crypto";

const DIGEST_USER = "admin";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/**
 * The parameters of an `Authorization: Digest k="v", k2=v2` header, keys lower-cased and quotes
 * removed; undefined when the header is absent or not Digest. Split on commas outside quotes and each
 * pair on its FIRST `=`: firmware 2.x nonces are Base64 with `=` padding.
 */
export function parseAuthorization(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^\s*Digest\s/i.test(header)) return undefined;
  const out: Record<string, string> = {};
  for (const part of header.replace(/^\s*Digest\s+/i, "").match(/(?:[^,"]+|"[^"]*")+/g) ?? []) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    out[part.slice(0, i).trim().toLowerCase()] = part
      .slice(i + 1)
      .trim()
      .replace(/^"(.*)"$/s, "$1");
  }
  return out;
}

/** The `response` a client knowing `password` must send for these parameters (qop=auth). */
export function expectedResponse(p: {
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
}): string {
  const ha1 = sha256(`${DIGEST_USER}:${p.realm}:${p.password}`);
  const ha2 = sha256(`${p.method}:${p.uri}`);
  return sha256(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`);
}

type DigestVerdict =
  /** Every field right: the caller still checks that the nonce is live and `nc` rose. */
  | "ok"
  /** User, realm, uri, qop or nc malformed or not this request's. */
  | "malformed"
  /** Well-formed, but the response is not the one the password gives: a wrong password. */
  | "wrong-response";

/**
 * Checks one request's digest parameters against the device's realm and password. `request` is the
 * HTTP method and the request target as received (`uri` must repeat it exactly).
 */
export function checkDigest(
  a: Readonly<Record<string, string>>,
  request: { method: string; url: string },
  device: { realm: string; password: string },
): DigestVerdict {
  const { nonce, nc, cnonce, uri } = a;
  if (
    a.username !== DIGEST_USER ||
    a.realm !== device.realm ||
    uri !== request.url ||
    a.qop !== "auth" ||
    nonce === undefined ||
    cnonce === undefined ||
    nc === undefined ||
    !/^[0-9a-f]{8}$/i.test(nc)
  )
    return "malformed";
  const want = expectedResponse({ ...device, method: request.method, uri, nonce, nc, cnonce });
  return a.response === want ? "ok" : "wrong-response";
}
