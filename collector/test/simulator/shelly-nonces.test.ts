import { describe, expect, it } from "vitest";
import { NonceBook, type NonceRules } from "../../simulator/shelly-nonces.ts";

const rules: NonceRules = { maxUses: 3, ttlMs: 60_000, slots: 2, whenFull: "throttle" };

function book(r: Partial<NonceRules> = {}) {
  let now = 1_000_000;
  const b = new NonceBook({ ...rules, ...r }, () => now);
  return { b, tick: (ms: number) => (now += ms) };
}

describe("nonce book", () => {
  it("issues fw 2.x nonces (Base64 with padding) that serve rising nc up to maxUses", () => {
    const { b } = book();
    const n = b.issue()!;
    expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(b.use(n, "00000001")).toBe(true);
    expect(b.use(n, "00000001")).toBe(false); // nc must rise
    expect(b.use(n, "00000003")).toBe(true); // gaps are fine
    expect(b.use(n, "0000000a")).toBe(true);
    expect(b.use(n, "0000000b")).toBe(false); // third use was the last
  });

  it("a nonce goes stale after ttlMs and at expireAll()", () => {
    const { b, tick } = book();
    const n = b.issue()!;
    tick(60_000);
    expect(b.live(n)).toBe(true);
    tick(1);
    expect(b.live(n)).toBe(false);
    const m = b.issue()!;
    b.expireAll();
    expect(b.live(m)).toBe(false);
    expect(b.live("never-issued")).toBe(false);
  });

  it("throttle: with every slot taken no challenge for 2 s, each refusal pushing the window", () => {
    const { b, tick } = book();
    b.issue();
    b.issue();
    expect(b.issue()).toBeUndefined();
    tick(1500);
    expect(b.issue()).toBeUndefined(); // still full, window now ends 2 s after this refusal
    tick(60_000 - 1500 + 1); // both nonces expired: the slots are free, the window over
    expect(b.issue()).toBeDefined();
  });

  it("throttle window holds even once a slot frees up", () => {
    const { b, tick } = book({ ttlMs: 1000 });
    b.issue();
    b.issue();
    expect(b.issue()).toBeUndefined(); // window until +2000
    tick(1001); // both expired, slots free
    expect(b.issue()).toBeUndefined(); // window pushed to +3001
    tick(1999);
    expect(b.issue()).toBeUndefined();
    tick(2001);
    expect(b.issue()).toBeDefined();
  });

  it("evict: the oldest nonce is forgotten, no client is refused", () => {
    const { b } = book({ whenFull: "evict" });
    const first = b.issue()!;
    const second = b.issue()!;
    const third = b.issue()!;
    expect([b.live(first), b.live(second), b.live(third)]).toEqual([false, true, true]);
  });
});
