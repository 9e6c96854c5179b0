/**
 * The nonces a Shelly Gen2 device hands out in its digest challenges, and the rules of their reuse.
 * Firmware 2.x lets one nonce authenticate many requests as long as `nc` rises, and sends Base64
 * nonces with `=` padding; pre-2.0 firmware wants a fresh challenge for every request (`maxUses` 1).
 * Firmware 2.0 keeps a few outstanding nonces and, with none free, answers 429 "Too many failed
 * authentication attempts" for a while (`whenFull: "throttle"`; a real device's frame is in
 * test/fixtures/shelly/rpc_error_frame_429_auth_throttle_ws.json).
 */
import { randomBytes } from "node:crypto";

export interface NonceRules {
  /** Requests one nonce may authenticate, each with a higher `nc`. */
  maxUses: number;
  /** Age after which a nonce is stale, ms. */
  ttlMs: number;
  /** Outstanding nonces kept at once. */
  slots: number;
  /** With every slot taken: `throttle` refuses new challenges for 2 s (429), `evict` forgets the oldest. */
  whenFull: "throttle" | "evict";
}

/** How long a full nonce table refuses new challenges, ms. */
const THROTTLE_MS = 2000;

interface Slot {
  issuedMs: number;
  lastNc: number;
  uses: number;
  stale: boolean;
}

export class NonceBook {
  private readonly nonces = new Map<string, Slot>();
  private throttledUntil = 0;
  private readonly rules: NonceRules;
  private readonly now: () => number;

  constructor(rules: NonceRules, now: () => number = () => Date.now()) {
    this.rules = rules;
    this.now = now;
  }

  /** A new nonce, or undefined while the device throttles (every slot taken, `throttle` rule). */
  issue(): string | undefined {
    const now = this.now();
    for (const [n, s] of this.nonces) if (this.spent(s, now)) this.nonces.delete(n);
    const full = this.nonces.size >= this.rules.slots;
    if (now < this.throttledUntil || (full && this.rules.whenFull === "throttle")) {
      // Every refused challenge pushes the end of the window: a client must really pause.
      this.throttledUntil = Math.max(this.throttledUntil, now + THROTTLE_MS);
      return undefined;
    }
    if (full) this.nonces.delete(this.nonces.keys().next().value!);
    const nonce = randomBytes(16).toString("base64"); // 24 characters ending in "==", as on fw 2.x
    this.nonces.set(nonce, { issuedMs: now, lastNc: 0, uses: 0, stale: false });
    return nonce;
  }

  /** Whether `nonce` was issued here and is neither expired nor marked stale. */
  live(nonce: string | undefined): boolean {
    const s = nonce === undefined ? undefined : this.nonces.get(nonce);
    return s !== undefined && !s.stale && this.now() - s.issuedMs <= this.rules.ttlMs;
  }

  /**
   * Counts one authenticated request on a live nonce; false (and nothing counted) when `nc` (8 hex
   * digits) does not rise above the last one or the nonce has served its `maxUses`.
   */
  use(nonce: string, nc: string): boolean {
    const s = this.nonces.get(nonce);
    const n = Number.parseInt(nc, 16);
    if (!s || !(n > s.lastNc) || s.uses >= this.rules.maxUses) return false;
    s.lastNc = n;
    s.uses++;
    return true;
  }

  /** Every nonce issued so far becomes stale: the next request gets `401 ... stale=true`. */
  expireAll(): void {
    for (const s of this.nonces.values()) s.stale = true;
  }

  private spent(s: Slot, now: number): boolean {
    return s.stale || s.uses >= this.rules.maxUses || now - s.issuedMs > this.rules.ttlMs;
  }
}
