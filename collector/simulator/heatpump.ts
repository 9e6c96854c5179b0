/**
 * Heat pump physics: capacity, efficiency and the constants of the control loop.
 * An air/water Vitocal 250-A sized about 8 kW at A7/W35.
 */

/**
 * Share of the inverter load on phases A, B, C (triphase wiring). The controller, fan and pump hang
 * on phase A besides; the model's per-phase energy counters and the meter's readings both split by it.
 */
export const PHASE_SPLIT: readonly [number, number, number] = [0.338, 0.331, 0.331];
/** Minimum compressor output, W: below this the unit cycles. */
export const MIN_OUTPUT_W = 2400;
/** Minimum run and off times, ms (typical E3 anti-short-cycle settings). */
export const MIN_RUN_MS = 10 * 60_000;
export const MIN_OFF_MS = 15 * 60_000;
/** Space-heating deficit band, Wh: start above +band, stop below -band (after minimum run). */
export const DEFICIT_BAND_WH = 250;
/** Heat output while charging the cylinder, W (capped by capacity). */
export const DHW_OUTPUT_W = 5500;
/** Defrost: length, heat taken from the water (W) and compressor power during it (W). */
export const DEFROST_MS = 4 * 60_000;
export const DEFROST_HEAT_W = -2200;
export const DEFROST_ELEC_W = 1400;
/** Run time to a full ice load at the worst outside temperature (about +1 °C), s. */
const ICING_S = 75 * 60;
/** Fraction of the Carnot COP reached (default 0.52). */
const CARNOT_FRACTION = 0.52;

/** Maximum heat output, W, at outside temperature `outside` (°C): less in frost. */
export function maxOutputW(outside: number): number {
  return Math.min(8500, Math.max(4500, 6600 + 100 * outside));
}

/**
 * COP from a fraction of the Carnot COP between the condenser (flow + 3 K) and the evaporator
 * (outside - 5 K): that is about 0.45-0.5 of the Carnot COP taken at the flow and outside
 * temperatures in frost, less on mild days, and is capped at 6.5. `startup` applies the first
 * minutes' penalty while the circuit warms up.
 */
export function cop(flowC: number, outside: number, startup: boolean): number {
  const cond = flowC + 3;
  const evap = outside - 5;
  const lift = Math.max(15, cond - evap);
  let c = (CARNOT_FRACTION * (cond + 273.15)) / lift;
  if (startup) c *= 0.75;
  return Math.min(6.5, Math.max(1.4, c));
}

/** Icing rate (fraction of a full load per second of running) at `outside` °C. */
export function icingPerS(outside: number): number {
  if (outside >= 5) return 0;
  // Worst just above freezing (humid air); dry frost ices more slowly.
  const f = outside >= -1 ? 1 - (outside + 1) * 0.12 : Math.max(0.3, 1 - (-1 - outside) * 0.05);
  return f / ICING_S;
}

/** Auxiliary electrical power, W: controller standby, crankcase heater in the cold, fan and pump when running. */
export function auxW(running: boolean, flowLph: number, outside: number): number {
  let w = 12; // controller and gateway
  if (!running && outside < 5) w += 25; // crankcase heater
  if (running) w += 35 + 8 + (32 * flowLph) / 1300; // fan + internal pump
  return w;
}
