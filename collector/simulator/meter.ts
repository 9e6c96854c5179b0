/**
 * The Shelly Pro 3EM's view of the heat pump supply: three phases with mains voltage around 230 V,
 * currents from power and power factor, and measurement noise. Triphase: the inverter load is
 * spread over the three phases, the controller, fan and pump hang on phase A. Monophase profile
 * (EM1, three independent channels): the whole unit on channel A, B and C carry no load.
 */
import { PHASE_SPLIT } from "./heatpump.ts";
import type { Model } from "./model.ts";
import type { Rng } from "./random.ts";

export type MeterProfile = "triphase" | "monophase";

/** One reading, already rounded as the device reports it (W and V to 0.1, A to 0.001). */
export interface MeterReading {
  powerW: number;
  phaseW: [number, number, number];
  voltageV: [number, number, number];
  currentA: [number, number, number];
  pf: [number, number, number];
  frequencyHz: number;
}

/** Phase voltage offsets, V (a slightly unbalanced street). */
const V_OFFSET: readonly [number, number, number] = [0.9, -0.6, 0.3];

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function newReading(): MeterReading {
  return {
    powerW: 0,
    phaseW: [0, 0, 0],
    voltageV: [230, 230, 230],
    currentA: [0, 0, 0],
    pf: [1, 1, 1],
    frequencyHz: 50,
  };
}

/** Fills `r` with a noisy reading of the model's current state. */
export function readMeter(m: Model, rng: Rng, profile: MeterProfile, r: MeterReading): MeterReading {
  // Grid voltage: evening dip, small per-phase offsets, a few tenths of a volt of noise.
  const sag = 2.2 * Math.cos((2 * Math.PI * (m.localHour - 19)) / 24);
  let total = 0;
  for (let i = 0; i < 3; i++) {
    const v = 230.5 - sag + V_OFFSET[i]! + 0.35 * rng.gauss();
    let p: number;
    let pf: number;
    if (profile === "monophase") {
      p = i === 0 ? m.totalW : 0;
      pf = i === 0 ? (m.compressorW * 0.99 + m.auxW * 0.62) / m.totalW : 0;
    } else {
      const aux = i === 0 ? m.auxW : 0;
      const comp = m.compressorW * PHASE_SPLIT[i]!;
      p = comp + aux;
      pf = p > 0 ? (comp * 0.985 + aux * 0.62) / p : 0;
    }
    // 0.3 % gain noise plus a small offset noise, like a real clamp at low load.
    const measured = p > 0 ? Math.max(0, p * (1 + 0.003 * rng.gauss()) + 0.15 * rng.gauss()) : 0;
    r.phaseW[i] = r1(measured);
    r.voltageV[i] = r1(v);
    r.currentA[i] = pf > 0 ? r3(measured / (v * pf)) : 0;
    r.pf[i] = r2(pf);
    total += measured;
  }
  r.powerW = r1(total);
  r.frequencyHz = r1(50 + 0.02 * rng.gauss());
  return r;
}
