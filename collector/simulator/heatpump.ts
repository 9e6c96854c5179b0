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

/**
 * The backup heater in the flow (the unit's instantaneous heating rod): one 2 kW stage that helps the
 * compressor with space heating below the bivalence point, -7 °C outside (not at -7 itself), while the
 * compressor runs, is not defrosting and the house lags (a heat deficit). Its heat goes into the flow,
 * so it shows in flow x spread, but not in the compressor's heat counters; it has its own meter (role
 * `backup`).
 */
export const ROD_W = 2000;
export const BIVALENT_C = -7;

/** The heating rod's power, W, for the outside temperature and what the compressor and house do. */
export function rodW(outside: number, spaceHeating: boolean, defrosting: boolean, lagging: boolean): number {
  return spaceHeating && !defrosting && lagging && outside < BIVALENT_C ? ROD_W : 0;
}

/** Immersion heater of the cylinder (on the backup meter too): power, W, for the weekly legionella cycle. */
export const IMMERSION_W = 3000;

/** Cooling: cooling power limits (W) and the flow temperature aimed at (°C, above the dew point). */
export const MIN_COOLING_W = 2000;
export const MAX_COOLING_W = 6000;
export const COOLING_FLOW_C = 18;

/**
 * Cooling EER from a fraction of the Carnot figure between the evaporator (flow - 4 K) and the
 * condenser (outside + 8 K), capped at 6: about 4.5-5 at 18 °C flow and 28 °C outside.
 */
export function eer(flowC: number, outside: number): number {
  const evap = flowC - 4;
  const cond = outside + 8;
  const lift = Math.max(10, cond - evap);
  return Math.min(6, Math.max(2, (0.4 * (evap + 273.15)) / lift));
}

/** Compressor speed, rev/s: roughly the inverter power over 39 W (the 252-A ran 38.5 rps at 1508 W), 0 off. */
export function compressorSpeedRps(running: boolean, compressorW: number): number {
  return running ? Math.round(Math.max(15, compressorW / 39) * 10) / 10 : 0;
}
