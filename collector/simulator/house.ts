/**
 * The house and its emitters: heat loss, the Viessmann heating curve, and the hot-water habits.
 */
import { hashUnit } from "./random.ts";

export interface HouseParams {
  /** Heat-loss coefficient, W/K (default 140: about 4.1 kW at -12 °C). */
  readonly heatLossWPerK: number;
  /** Indoor set point, °C (default 20). */
  readonly roomSetC: number;
  /** Internal and solar gains, W (default 400). */
  readonly gainsW: number;
  /** Heating limit: no space heating above this smoothed outside temperature, °C (default 15.5). */
  readonly heatingLimitC: number;
  /** Heating curve slope (default 0.6, underfloor heating). */
  readonly curveSlope: number;
  /** Heating curve parallel shift, K (default 3). */
  readonly curveShift: number;
}

export const DEFAULT_HOUSE: HouseParams = {
  heatLossWPerK: 140,
  roomSetC: 20,
  gainsW: 400,
  heatingLimitC: 15.5,
  curveSlope: 0.6,
  curveShift: 3,
};

/**
 * Viessmann heating curve: flow = RT_set + shift - slope * DAR * (1.4347 + 0.021 DAR + 247.9e-6 DAR²),
 * DAR = outside - RT_set (Vitotronic/E3 documentation, also used by openHAB and ioBroker scripts).
 * Clamped to the usual 20..60 °C flow limits.
 */
export function curveFlowC(p: HouseParams, outside: number): number {
  const dar = outside - p.roomSetC;
  const flow = p.roomSetC + p.curveShift - p.curveSlope * dar * (1.4347 + 0.021 * dar + 247.9e-6 * dar * dar);
  return Math.min(60, Math.max(20, flow));
}

/** Space-heating demand, W (0 when heating is off). */
export function heatDemandW(p: HouseParams, outside: number): number {
  return Math.max(0, p.heatLossWPerK * (p.roomSetC - outside) - p.gainsW);
}

/** Hot-water cylinder: 200 l, so 200 * 1.163 Wh per kelvin. */
export const TANK_WH_PER_K = 232.6;
export const TANK_TARGET_C = 50;
/** Cylinder standing loss, W per kelvin above the 20 °C plant room. */
export const TANK_LOSS_W_PER_K = 1.6;
export const COLD_WATER_C = 12;

interface Draw {
  readonly startH: number;
  readonly durationH: number;
  readonly energyWh: number;
}

/** The day's hot-water draws (local hours), from the seed and the local day number. */
function draws(seed: number, localDay: number): Draw[] {
  const u = (k: number) => hashUnit(seed ^ 0x0d4a, localDay, k);
  return [
    { startH: 6.25 + u(1) * 1.0, durationH: 0.6, energyWh: 1800 + u(2) * 1600 }, // showers
    { startH: 12.0 + u(3) * 1.5, durationH: 0.3, energyWh: 300 + u(4) * 400 }, // kitchen
    { startH: 18.75 + u(5) * 2.0, durationH: 1.0, energyWh: 1200 + u(6) * 1800 }, // evening
  ];
}

/** Hot-water draw power at local hour `hour` of local day `localDay`, W. */
export function drawW(seed: number, localDay: number, hour: number): number {
  let w = 0;
  for (const d of draws(seed, localDay)) {
    if (hour >= d.startH && hour < d.startH + d.durationH) w += d.energyWh / d.durationH;
  }
  return w;
}

/**
 * Hot-water request at local hour `hour`: the charge windows (05-08 and 16-21 local) top the
 * cylinder up below 45 °C; outside them only a cold cylinder (< 40 °C, daytime) is heated.
 */
export function dhwWanted(tankC: number, hour: number): boolean {
  const window = (hour >= 5 && hour < 8) || (hour >= 16 && hour < 21);
  if (window && tankC < 45) return true;
  return hour >= 5 && hour < 22 && tankC < 40;
}

/** Cooling set point of the rooms in the cooling week, °C. */
export const COOLING_SET_C = 24;

/**
 * The cooling week: 15 to 21 July (local dates), every year. The owner sets circuit 0 to heating and
 * cooling for it, the active program is normalCooling, and space heating is off.
 */
export function inCoolingWeek(localDay: number): boolean {
  const d = new Date(localDay * 86_400_000);
  return d.getUTCMonth() === 6 && d.getUTCDate() >= 15 && d.getUTCDate() <= 21;
}

/** Heat to remove to hold COOLING_SET_C, W: transmission from outside plus the gains (sun, people). */
export function coolingLoadW(p: HouseParams, outside: number): number {
  return Math.max(0, p.heatLossWPerK * (outside - COOLING_SET_C) + 2 * p.gainsW);
}

/**
 * The room sensor, °C, at local hour `hour`: the set point plus half a kelvin, a little warmer in the
 * afternoon (sun), a little cooler when the heat pump lags (`deficitWh`, up to 3 kWh: -0.5 K) and in
 * hard frost (0.05 K per kelvin below -5 °C outside); in summer it follows the smoothed outside
 * temperature above 15 °C a little. In the cooling week (`coolingDeficitWh` a number, NaN otherwise)
 * it stays near COOLING_SET_C, warmer while the cooling lags. Positional, so a step allocates nothing.
 */
export function roomC(
  p: HouseParams,
  hour: number,
  outside: number,
  smoothOutside: number,
  deficitWh: number,
  coolingDeficitWh: number,
): number {
  const sun = 0.3 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
  if (!Number.isNaN(coolingDeficitWh))
    return COOLING_SET_C + sun + Math.max(-0.5, Math.min(1, coolingDeficitWh / 2000));
  const frost = 0.05 * Math.max(0, -5 - outside);
  const lag = Math.max(0, deficitWh) / 6000;
  const summer = 0.15 * Math.max(0, smoothOutside - 15);
  return p.roomSetC + 0.5 + sun - frost - lag + summer;
}
