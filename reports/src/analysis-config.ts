/**
 * The settings of the period analytics, from the environment (README, "Configuration"): degree-day
 * base, indoor and design temperatures, electricity and gas prices. Part of the report engine's
 * configuration (config.ts); each bad value names its variable and the fix.
 */
import { z } from "zod";
import type { AnalysisSettings } from "./types.ts";
import { flatPrice, parseSchedule } from "./rollup/tariff.ts";

const temperature = (name: string, def: number) =>
  z.coerce
    .number({ error: `must be a temperature in °C, e.g. ${name}=${def}` })
    .refine(Number.isFinite, { error: `must be a temperature in °C, e.g. ${name}=${def}` })
    .default(def);

const price = (name: string, example: string) =>
  z.coerce
    .number({ error: `must be a price per kWh as a plain number, e.g. ${name}=${example}` })
    .min(0, { error: `must be 0 or more, e.g. ${name}=${example}` })
    .refine(Number.isFinite, { error: `must be a price per kWh as a plain number, e.g. ${name}=${example}` })
    .optional();

const isCurrency = (code: string) => {
  try {
    new Intl.NumberFormat("en-GB", { style: "currency", currency: code });
    return /^[A-Z]{3}$/.test(code);
  } catch {
    return false;
  }
};

/** The variables, for the report engine's schema. */
export const ANALYSIS_ENV = {
  HDD_BASE_C: temperature("HDD_BASE_C", 15),
  INDOOR_C: temperature("INDOOR_C", 20),
  DESIGN_OUTSIDE_C: temperature("DESIGN_OUTSIDE_C", -12),
  ELECTRICITY_PRICE: price("ELECTRICITY_PRICE", "0.30"),
  ELECTRICITY_PRICE_SCHEDULE: z.string().optional(),
  CURRENCY: z
    .string()
    .refine(isCurrency, { error: "must be a three-letter ISO 4217 currency code, e.g. CURRENCY=EUR" })
    .default("EUR"),
  GAS_PRICE: price("GAS_PRICE", "0.10"),
  BOILER_EFFICIENCY: z.coerce
    .number({ error: "must be a number between 0 and 1.1, e.g. BOILER_EFFICIENCY=0.9" })
    .gt(0, { error: "must be above 0, e.g. BOILER_EFFICIENCY=0.9" })
    .max(1.1, {
      error: "must be at most 1.1 (a condensing boiler on the gross value), e.g. BOILER_EFFICIENCY=0.9",
    })
    .default(0.9),
};

type AnalysisEnv = z.output<z.ZodObject<typeof ANALYSIS_ENV>>;

/** Cross-variable checks, for the schema's superRefine. */
export function checkAnalysisEnv(c: AnalysisEnv, ctx: z.RefinementCtx): void {
  const add = (name: string, message: string) => ctx.addIssue({ code: "custom", path: [name], message });
  if (c.ELECTRICITY_PRICE !== undefined && c.ELECTRICITY_PRICE_SCHEDULE !== undefined)
    add(
      "ELECTRICITY_PRICE_SCHEDULE",
      "is set together with ELECTRICITY_PRICE: set one of them (a schedule, or one price for the whole day)",
    );
  else if (c.ELECTRICITY_PRICE_SCHEDULE !== undefined) {
    try {
      parseSchedule(c.ELECTRICITY_PRICE_SCHEDULE);
    } catch (e) {
      add("ELECTRICITY_PRICE_SCHEDULE", (e as Error).message);
    }
  }
  if (!(c.DESIGN_OUTSIDE_C < c.INDOOR_C))
    add("DESIGN_OUTSIDE_C", `must be below INDOOR_C (${c.INDOOR_C} °C), e.g. DESIGN_OUTSIDE_C=-12`);
}

/** The settings from checked variables. */
export function analysisSettings(c: AnalysisEnv): AnalysisSettings {
  const prices =
    c.ELECTRICITY_PRICE_SCHEDULE !== undefined
      ? parseSchedule(c.ELECTRICITY_PRICE_SCHEDULE)
      : c.ELECTRICITY_PRICE !== undefined
        ? flatPrice(c.ELECTRICITY_PRICE)
        : undefined;
  const out: AnalysisSettings = {
    hdd_base_c: c.HDD_BASE_C,
    indoor_c: c.INDOOR_C,
    design_outside_c: c.DESIGN_OUTSIDE_C,
  };
  if (prices || c.GAS_PRICE !== undefined) out.currency = c.CURRENCY;
  if (prices) out.electricity_prices = prices;
  if (c.GAS_PRICE !== undefined) {
    out.gas_price = c.GAS_PRICE;
    out.boiler_efficiency = c.BOILER_EFFICIENCY;
  }
  return out;
}
