/** The analytics settings (HDD_BASE_C .. BOILER_EFFICIENCY) and the time-of-use schedule's checks. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../core/src/env.ts";
import { loadReportsConfig } from "../src/config.ts";
import { hourlyPrices, parseSchedule } from "../src/rollup/tariff.ts";

const problem = (env: Record<string, string>): string => {
  try {
    loadReportsConfig(env, "/");
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("the configuration was accepted");
};

describe("analytics settings", () => {
  it("defaults: 15 °C degree-day base, 20 °C indoors, -12 °C design; no price, no currency", () => {
    expect(loadReportsConfig({}, "/").settings).toEqual({
      hdd_base_c: 15,
      indoor_c: 20,
      design_outside_c: -12,
    });
  });

  it("a flat price is one range over the day; the gas price brings the boiler efficiency", () => {
    expect(
      loadReportsConfig(
        { ELECTRICITY_PRICE: "0.31", GAS_PRICE: "0.12", CURRENCY: "GBP", HDD_BASE_C: "15.5" },
        "/",
      ).settings,
    ).toEqual({
      hdd_base_c: 15.5,
      indoor_c: 20,
      design_outside_c: -12,
      currency: "GBP",
      electricity_prices: [{ from: "00:00", to: "24:00", price: 0.31 }],
      gas_price: 0.12,
      boiler_efficiency: 0.9,
    });
  });

  it("a schedule, in any order, is kept in order; each hour gets its range's price", () => {
    const s = loadReportsConfig({ ELECTRICITY_PRICE_SCHEDULE: "06:00-24:00=0.34, 00:00-06:00=0.22" }, "/");
    expect(s.settings.electricity_prices).toEqual([
      { from: "00:00", to: "06:00", price: 0.22 },
      { from: "06:00", to: "24:00", price: 0.34 },
    ]);
    expect(hourlyPrices(s.settings.electricity_prices!)).toEqual([
      ...Array<number>(6).fill(0.22),
      ...Array<number>(18).fill(0.34),
    ]);
  });

  it("bad values name the variable and the fix", () => {
    expect(problem({ ELECTRICITY_PRICE: "cheap" })).toMatch(
      /ELECTRICITY_PRICE: must be a price per kWh.*e\.g\. ELECTRICITY_PRICE=0\.30/,
    );
    expect(problem({ ELECTRICITY_PRICE: "-0.1" })).toMatch(/ELECTRICITY_PRICE: must be 0 or more/);
    expect(problem({ GAS_PRICE: "x" })).toMatch(/GAS_PRICE: must be a price per kWh/);
    expect(problem({ BOILER_EFFICIENCY: "90" })).toMatch(/BOILER_EFFICIENCY: must be at most 1\.1/);
    expect(problem({ BOILER_EFFICIENCY: "0" })).toMatch(/BOILER_EFFICIENCY: must be above 0/);
    expect(problem({ CURRENCY: "euro" })).toMatch(
      /CURRENCY: must be a three-letter ISO 4217 currency code, e\.g\. CURRENCY=EUR/,
    );
    expect(problem({ HDD_BASE_C: "warm" })).toMatch(
      /HDD_BASE_C: must be a temperature in °C, e\.g\. HDD_BASE_C=15/,
    );
    expect(problem({ DESIGN_OUTSIDE_C: "21" })).toMatch(/DESIGN_OUTSIDE_C: must be below INDOOR_C \(20 °C\)/);
    expect(problem({ ELECTRICITY_PRICE: "0.3", ELECTRICITY_PRICE_SCHEDULE: "00:00-24:00=0.3" })).toMatch(
      /ELECTRICITY_PRICE_SCHEDULE: is set together with ELECTRICITY_PRICE: set one of them/,
    );
  });
});

describe("ELECTRICITY_PRICE_SCHEDULE: anything but whole-hour ranges that cover the day once is refused", () => {
  const refused = (text: string) => problem({ ELECTRICITY_PRICE_SCHEDULE: text });

  it("every message names the variable, the problem and an example", () => {
    const m = refused("00:00-06:00=0.22");
    expect(m).toContain("ELECTRICITY_PRICE_SCHEDULE: nothing covers 06:00-24:00");
    expect(m).toContain("e.g. 00:00-06:00=0.22,06:00-24:00=0.34");
  });

  it("gaps, overlaps, a late start", () => {
    expect(refused("00:00-06:00=0.2,07:00-24:00=0.3")).toContain("nothing covers 06:00-07:00");
    expect(refused("01:00-24:00=0.3")).toContain("nothing covers 00:00-01:00");
    expect(refused("00:00-12:00=0.2,11:00-24:00=0.3")).toContain(
      '"00:00-12:00=0.2" and "11:00-24:00=0.3" overlap (11:00-12:00)',
    );
    expect(refused("00:00-24:00=0.2,00:00-24:00=0.3")).toContain("overlap (00:00-24:00)");
  });

  it("ranges past midnight, empty ranges, minutes, impossible times", () => {
    expect(refused("22:00-06:00=0.2,06:00-22:00=0.3")).toContain(
      '"22:00-06:00=0.2" runs past midnight: split it into 22:00-24:00 and 00:00-06:00',
    );
    expect(refused("06:00-06:00=0.2")).toContain('"06:00-06:00=0.2" is empty');
    expect(refused("00:00-06:30=0.2,06:30-24:00=0.3")).toContain(
      '06:30 in "00:00-06:30=0.2" is not on the hour',
    );
    expect(refused("00:00-25:00=0.2")).toContain('25:00 in "00:00-25:00=0.2" is not a time of day');
    expect(refused("00:00-24:30=0.2")).toContain("24:30");
  });

  it("malformed parts and prices", () => {
    expect(refused("00:00-24:00")).toContain('"00:00-24:00" is not a range');
    expect(refused("0-24=0.3")).toContain('"0-24=0.3" is not a range');
    expect(refused("00:00-06:00=0.2,")).toContain('"" is not a range');
    expect(refused("00:00-24:00=cheap")).toContain(
      'the price "cheap" of "00:00-24:00=cheap" is not a number of 0 or more',
    );
    expect(refused("00:00-24:00=")).toContain("is not a number of 0 or more");
    expect(refused("00:00-24:00=-1")).toContain("is not a number of 0 or more");
  });

  it("parseSchedule accepts single-digit hours and spaces, and 24:00 as the end", () => {
    expect(parseSchedule(" 0:00-7:00 = 0.1 ,7:00-24:00=0.25")).toEqual([
      { from: "00:00", to: "07:00", price: 0.1 },
      { from: "07:00", to: "24:00", price: 0.25 },
    ]);
  });
});
