import { hashGauss } from "./random.ts";

/**
 * Outside air temperature, a pure function of (seed, time): a central-European year (January mean
 * about 0.5 °C, July about 19.5 °C), a daily cycle (coldest before dawn, warmest mid-afternoon,
 * wider in summer) and weather on three time scales: spells of several days (frost or mild), day
 * to day changes, and a few hours of drift. Stateless, so any start time gives the same weather.
 */

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.2425;
/** Day of year (0 = Jan 1) of the coldest seasonal mean. */
const COLDEST_DOY = 19;

/** Noise octaves: knot spacing (ms) and standard deviation (K), cosine-interpolated between knots. */
const OCTAVES: readonly { readonly spacingMs: number; readonly sigmaK: number }[] = [
  { spacingMs: 4 * DAY_MS, sigmaK: 3.6 },
  { spacingMs: DAY_MS, sigmaK: 1.6 },
  { spacingMs: 3 * 3_600_000, sigmaK: 0.5 },
];

function smoothNoise(seed: number, octave: number, tMs: number, spacingMs: number): number {
  const x = tMs / spacingMs;
  const k = Math.floor(x);
  const f = x - k;
  const w = (1 - Math.cos(Math.PI * f)) / 2;
  const a = hashGauss(seed, octave, k);
  const b = hashGauss(seed, octave, k + 1);
  return a + (b - a) * w;
}

/** Seasonal and daily shape without weather noise, °C. */
function climateC(tMs: number): number {
  const days = tMs / DAY_MS;
  const doy = days - Math.floor(days / YEAR_DAYS) * YEAR_DAYS;
  const season = Math.cos((2 * Math.PI * (doy - COLDEST_DOY)) / YEAR_DAYS); // 1 in deep winter
  const mean = 10 - 9.5 * season;
  // Daily cycle in solar time (UTC+1 is close enough for central Europe): minimum about 04:30.
  const solarHour = (((tMs / 3_600_000 + 1) % 24) + 24) % 24;
  const amplitude = 3.6 - 1.4 * season;
  return mean - amplitude * Math.cos((2 * Math.PI * (solarHour - 4.5)) / 24);
}

/** Outside temperature at `tMs` for `seed`, °C (not rounded). */
export function outsideC(seed: number, tMs: number): number {
  let t = climateC(tMs);
  for (let i = 0; i < OCTAVES.length; i++) {
    const o = OCTAVES[i]!;
    t += o.sigmaK * smoothNoise(seed, i + 1, tMs, o.spacingMs);
  }
  return t;
}
