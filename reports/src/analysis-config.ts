/**
 * The settings of the period analytics, from the environment (README, "Configuration"): degree-day
 * base, indoor and design temperatures, electricity prices (a flat price or a daily schedule, a
 * prices file over time, a standing charge) and the gas price. Part of the report engine's
 * configuration (config.ts); each bad value names its variable and the fix. The prices file is
 * read here, at start-up: a bad one stops start-up naming the file, the line and the fix.
 */
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { z } from "zod";
import { ConfigError } from "../../core/src/env.ts";
import { shortHash } from "../../core/src/hash.ts";
import type { AnalysisSettings, PriceRange } from "./types.ts";
import { flatPrice, hourlyPrices, parseSchedule } from "./rollup/tariff.ts";
import { parsePricesFile, PricesFileError, pricesByHour } from "./rollup/price-file.ts";

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
  ELECTRICITY_PRICES_FILE: z.string().optional(),
  ELECTRICITY_STANDING_CHARGE: z.coerce
    .number({ error: "must be an amount per day as a plain number, e.g. ELECTRICITY_STANDING_CHARGE=0.45" })
    .min(0, { error: "must be 0 or more, e.g. ELECTRICITY_STANDING_CHARGE=0.45" })
    .refine(Number.isFinite, {
      error: "must be an amount per day as a plain number, e.g. ELECTRICITY_STANDING_CHARGE=0.45",
    })
    .optional(),
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
  const priced =
    c.ELECTRICITY_PRICE !== undefined ||
    c.ELECTRICITY_PRICE_SCHEDULE !== undefined ||
    c.ELECTRICITY_PRICES_FILE !== undefined;
  if (c.ELECTRICITY_STANDING_CHARGE !== undefined && !priced)
    add(
      "ELECTRICITY_STANDING_CHARGE",
      "is set without an electricity price: set ELECTRICITY_PRICE, ELECTRICITY_PRICE_SCHEDULE or " +
        "ELECTRICITY_PRICES_FILE as well (the charge is added to the days whose electricity is costed)",
    );
  if (!(c.DESIGN_OUTSIDE_C < c.INDOOR_C))
    add("DESIGN_OUTSIDE_C", `must be below INDOOR_C (${c.INDOOR_C} °C), e.g. DESIGN_OUTSIDE_C=-12`);
}

/**
 * The settings from checked variables; `tz` is the zone the prices file's times are resolved to
 * local clock hours in, `cwd` what a relative ELECTRICITY_PRICES_FILE is relative to.
 */
export function analysisSettings(c: AnalysisEnv, o: { tz: string; cwd: string }): AnalysisSettings {
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
  const file = c.ELECTRICITY_PRICES_FILE;
  if (prices || file !== undefined || c.GAS_PRICE !== undefined) out.currency = c.CURRENCY;
  if (prices) out.electricity_prices = prices;
  if (file !== undefined) addPricesFile(out, file, prices, o);
  if (c.ELECTRICITY_STANDING_CHARGE !== undefined)
    out.electricity_standing_charge = c.ELECTRICITY_STANDING_CHARGE;
  if (c.GAS_PRICE !== undefined) {
    out.gas_price = c.GAS_PRICE;
    out.boiler_efficiency = c.BOILER_EFFICIENCY;
  }
  return out;
}

/** Reads and checks the prices file; describes it in `out` and prices the hours with it. */
function addPricesFile(
  out: AnalysisSettings,
  file: string,
  base: PriceRange[] | undefined,
  o: { tz: string; cwd: string },
): void {
  const fail = (problem: string): never => {
    throw new ConfigError([`ELECTRICITY_PRICES_FILE: ${problem}`]);
  };
  let text = "";
  try {
    text = readFileSync(resolve(o.cwd, file), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
    fail(`cannot read ${file} (${code}): point it at a CSV file with the header start,price`);
  }
  let changes: ReturnType<typeof parsePricesFile>;
  try {
    changes = parsePricesFile(text, file);
  } catch (e) {
    if (e instanceof PricesFileError) fail(e.message);
    throw e;
  }
  out.electricity_prices_file = {
    file: basename(file),
    rows: changes.length,
    first_start: changes[0]!.start,
    last_start: changes.at(-1)!.start,
    hash: shortHash(text),
  };
  // Not enumerable: the JSON twins carry the description above, not 35,000 prices a year.
  Object.defineProperty(out, "hour_price", {
    value: pricesByHour(changes, o.tz, base ? hourlyPrices(base) : null),
    enumerable: false,
  });
}
