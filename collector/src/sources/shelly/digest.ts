/**
 * RFC 7616 HTTP digest auth with SHA-256, as Shelly Gen2 devices speak it (README.md §7 in this folder): user `admin`,
 * realm = device id, `qop=auth`, `HA1 = SHA256(admin:realm:password)`, `HA2 = SHA256(METHOD:uri)`,
 * `response = SHA256(HA1:nonce:nc:cnonce:auth:HA2)`. Firmware 2.x lets one nonce serve many requests
 * when `nc` (8 hex digits) increases, so a `DigestSession` keeps the nonce and counts.
 *
 * The password lives only inside HA1 here: it is never put in a header, a URL or a message.
 */
import { createHash, randomBytes } from "node:crypto";

const SHELLY_USER = "admin";

/** The parameters of a `WWW-Authenticate: Digest ...` header (keys lower-cased, quotes removed). */
interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly qop: string | undefined;
  readonly algorithm: string | undefined;
  readonly opaque: string | undefined;
  /** `stale=true`: the nonce expired; retry with the new one (not a credentials problem). */
  readonly stale: boolean;
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/**
 * Parses a `WWW-Authenticate` header; undefined when it is not a Digest challenge. Params are split on
 * commas outside quotes and each on its FIRST `=`: fw 2.x nonces are Base64 with `=` padding.
 */
export function parseChallenge(header: string | undefined): DigestChallenge | undefined {
  if (!header || !/^\s*Digest\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const part of header.replace(/^\s*Digest\s+/i, "").match(/(?:[^,"]+|"[^"]*")+/g) ?? []) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const key = part.slice(0, i).trim().toLowerCase();
    params[key] = part
      .slice(i + 1)
      .trim()
      .replace(/^"(.*)"$/s, "$1");
  }
  if (params.realm === undefined || params.nonce === undefined) return undefined;
  return {
    realm: params.realm,
    nonce: params.nonce,
    qop: params.qop,
    algorithm: params.algorithm,
    opaque: params.opaque,
    stale: params.stale?.toLowerCase() === "true",
  };
}

interface DigestInput {
  readonly method: string;
  readonly uri: string;
  readonly realm: string;
  readonly nonce: string;
  /** 8 hex digits, e.g. `00000001`. */
  readonly nc: string;
  readonly cnonce: string;
  readonly ha1: string;
}

/** HA1 for user `admin`; compute once and keep it instead of the password. */
export const digestHa1 = (realm: string, password: string) => sha256(`${SHELLY_USER}:${realm}:${password}`);

/** The `response` value of a qop=auth digest. */
export function digestResponse(i: DigestInput): string {
  const ha2 = sha256(`${i.method.toUpperCase()}:${i.uri}`);
  return sha256(`${i.ha1}:${i.nonce}:${i.nc}:${i.cnonce}:auth:${ha2}`);
}

/** `nc` as RFC 7616 wants it: 8 lower-case hex digits. */
export const formatNc = (n: number) => n.toString(16).padStart(8, "0");

/** The `Authorization` header value for one request. */
export function authorizationHeader(i: DigestInput, opaque?: string): string {
  const parts = [
    `username="${SHELLY_USER}"`,
    `realm="${i.realm}"`,
    `nonce="${i.nonce}"`,
    `uri="${i.uri}"`,
    `cnonce="${i.cnonce}"`,
    `nc=${i.nc}`,
    `qop=auth`,
    `response="${digestResponse(i)}"`,
    `algorithm=SHA-256`,
  ];
  // Some firmware sends opaque="" and wants it echoed (README.md §7).
  if (opaque !== undefined) parts.push(`opaque="${opaque}"`);
  return `Digest ${parts.join(", ")}`;
}

/**
 * One device's digest state: the last challenge and its request count. `next()` gives the header for
 * the next request (nc + 1) or undefined before the first challenge.
 */
export class DigestSession {
  private challenge: DigestChallenge | undefined;
  private ha1: string | undefined;
  private nc = 0;
  private readonly password: () => string;
  private readonly cnonce: () => string;

  constructor(password: string, cnonce: () => string = () => randomBytes(16).toString("hex")) {
    // A closure, not a field: the password never shows up when the session is logged or inspected.
    this.password = () => password;
    this.cnonce = cnonce;
  }

  /** Adopts a new challenge; its nonce starts at nc=1. */
  accept(c: DigestChallenge): void {
    if (!this.challenge || this.challenge.realm !== c.realm) this.ha1 = digestHa1(c.realm, this.password());
    this.challenge = c;
    this.nc = 0;
  }

  /** True when the next header would be the first use of the current nonce. */
  get fresh(): boolean {
    return this.challenge !== undefined && this.nc === 0;
  }

  next(method: string, uri: string): string | undefined {
    const c = this.challenge;
    if (!c || !this.ha1) return undefined;
    this.nc++;
    const input = {
      method,
      uri,
      realm: c.realm,
      nonce: c.nonce,
      nc: formatNc(this.nc),
      cnonce: this.cnonce(),
      ha1: this.ha1,
    };
    return authorizationHeader(input, c.opaque);
  }

  /** Forgets the nonce (e.g. after the device rejected it). */
  reset(): void {
    this.challenge = undefined;
    this.nc = 0;
  }
}
