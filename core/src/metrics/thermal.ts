/** Heat from the secondary circuit's flow and temperatures: one formula for the reports and the collector. */

/** Specific heat of water: W per (l/h * K). */
const WATER_WH_PER_L_K = 1.163;

/** Thermal power from the secondary circuit (W): flow l/h * 1.163 * (flow - return) K. */
export const thermalW = (flowLph: number, flowC: number, returnC: number) =>
  flowLph * WATER_WH_PER_L_K * (flowC - returnC);
