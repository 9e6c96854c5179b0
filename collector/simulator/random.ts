/**
 * Seeded randomness. Two kinds: a sequential PRNG for measurement noise (deterministic for a seed
 * and a start time), and a stateless hash for anything that must be the same whatever the start
 * of the run (weather, daily hot-water habits), so history and live servers tell the same story.
 */

/** 32-bit integer hash of up to three integers (a variant of lowbias32). */
function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h ^ b, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h ^ c, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/** Uniform in [0, 1) from a hash of (a, b, c). */
export function hashUnit(a: number, b: number, c: number): number {
  return hash3(a, b, c) / 4294967296;
}

/** Standard normal from a hash of (a, b, c) (Box-Muller on two hashes). */
export function hashGauss(a: number, b: number, c: number): number {
  const u = (hash3(a, b, c) + 1) / 4294967297;
  const v = hash3(a, b ^ 0x5bd1e995, c) / 4294967296;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  gauss(): number;
}

/** mulberry32: small, fast, good enough for sensor noise. */
export function createRng(seed: number): Rng {
  let s = hash3(seed, 0x1234567, 0) | 0;
  let spare = NaN;
  const next = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = (): number => {
    if (!Number.isNaN(spare)) {
      const g = spare;
      spare = NaN;
      return g;
    }
    const u = 1 - next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { next, gauss };
}
