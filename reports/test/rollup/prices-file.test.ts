/**
 * ELECTRICITY_PRICES_FILE and ELECTRICITY_STANDING_CHARGE: prices over time, costed hour by hour,
 * and a bad file stopping start-up with its line and the fix. Expected values are worked out by
 * hand in the comments.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../core/src/env.ts";
import { loadReportsConfig } from "../../src/config.ts";
import { pricesByHour, parsePricesFile } from "../../src/rollup/price-file.ts";
import { moneyTotals, pricedRows } from "../../src/rollup/tariff.ts";
import type { DailyRow } from "../../src/types.ts";

const dir = mkdtempSync(join(tmpdir(), "reports-prices-"));
let files = 0;
/** Writes `text` as a prices file and returns its path. */
const pricesFile = (text: string) => {
  const path = join(dir, `prices-${++files}.csv`);
  writeFileSync(path, text);
  return path;
};
const settingsWith = (env: Record<string, string>) =>
  loadReportsConfig({ REPORT_TZ: "Europe/Berlin", ...env }, dir).settings;

/** A day row with the given electricity per local clock hour (kWh). */
const row = (day: string, hourly: (number | null)[], extra: Partial<DailyRow> = {}) =>
  Object.freeze({ day, elec_hourly_kwh: hourly, heat_kwh: 10, ...extra }) as unknown as DailyRow;

const problem = (text: string, env: Record<string, string> = {}): string => {
  try {
    settingsWith({ ELECTRICITY_PRICES_FILE: pricesFile(text), ...env });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("the prices file was accepted");
};

describe("a price change at 14:00 local", () => {
  // ELECTRICITY_PRICE 0.30 until the file's first row (14:00 on 1 December, Berlin, +01:00), then
  // 0.40. Half a kWh in every hour: 14 hours x 0.5 kWh x 0.30 = 2.10, 10 hours x 0.5 x 0.40 = 2.00.
  const s = settingsWith({
    ELECTRICITY_PRICE: "0.30",
    ELECTRICITY_PRICES_FILE: pricesFile("start,price\n2026-12-01T14:00:00+01:00,0.40\n"),
    ELECTRICITY_STANDING_CHARGE: "0.45",
  });
  const day = row("2026-12-01", Array<number>(24).fill(0.5));

  it("costs each hour at the price of its time: 2.10 + 2.00 = 4.10, plus 0.45 a day", () => {
    const [priced] = pricedRows([day], s);
    expect(priced).toMatchObject({ cost: 4.1, standing_charge: 0.45, cost_total: 4.55 });
    const before = row("2026-11-30", Array<number>(24).fill(0.5));
    const after = row("2026-12-02", Array<number>(24).fill(0.5));
    // The day before at 0.30 all day (3.60), the day after at 0.40 (4.80): the last row's price holds.
    expect(pricedRows([before, after], s).map((r) => r.cost)).toEqual([3.6, 4.8]);
    // Three days with a cost: 3 x 0.45 of standing charge; cost per kWh of heat stays energy only.
    expect(moneyTotals([before, day, after], s)).toEqual({
      currency: "EUR",
      cost: 12.5,
      standing_charge: 1.35,
      cost_total: 13.85,
      cost_per_heat_kwh: 0.4167, // 12.50 / 30 kWh of heat
    });
  });

  it("says which file it used in the settings, without the prices themselves", () => {
    expect(s.electricity_prices_file).toMatchObject({
      file: expect.stringMatching(/^prices-\d+\.csv$/) as unknown as string,
      rows: 1,
      first_start: "2026-12-01T14:00:00+01:00",
      last_start: "2026-12-01T14:00:00+01:00",
    });
    expect(s.electricity_standing_charge).toBe(0.45);
    expect(JSON.stringify(s)).not.toContain("hour_price");
  });

  it("a frozen row gets the same frozen priced row again (the JSON and CSV writers keep its text)", () => {
    const [a] = pricedRows([day], s);
    const [b] = pricedRows([day], s);
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    expect(pricedRows([day], { hdd_base_c: 15, indoor_c: 20, design_outside_c: -12 })[0]).toBe(day);
  });
});

describe("dynamic prices", () => {
  it("quarter-hour prices cost the hour's electricity spread evenly: 10:00-11:00 at their mean", () => {
    const s = settingsWith({
      ELECTRICITY_PRICES_FILE: pricesFile(
        "start,price\r\n" +
          "2026-12-02T00:00:00+01:00,0.30\r\n" +
          "2026-12-02T10:00:00+01:00,0.20\r\n" +
          "2026-12-02T10:15:00+01:00,0.40\r\n" +
          "2026-12-02T10:30:00+01:00,-0.10\r\n" +
          "2026-12-02T10:45:00+01:00,0.90\r\n" +
          "2026-12-02T11:00:00+01:00,0.30\r\n",
      ),
    });
    // 10:00-11:00 at (0.20 + 0.40 - 0.10 + 0.90) / 4 = 0.35: its 2 kWh cost 0.70; 1 kWh at 09:00
    // and 1 kWh at 11:00 at 0.30 each: 1.30 for the day.
    const hourly = Array<number | null>(24).fill(null);
    hourly[9] = 1;
    hourly[10] = 2;
    hourly[11] = 1;
    expect(pricedRows([row("2026-12-02", hourly)], s)[0]!.cost).toBe(1.3);
    expect(s.hour_price!("2026-12-02", 10)).toBeCloseTo(0.35, 12);
  });

  it("the hour that repeats when the clocks go back is priced over both of its halves", () => {
    // 25 October 2026 in Berlin: 02:00-03:00 happens at +02:00 (00:00Z) and again at +01:00 (01:00Z).
    const changes = parsePricesFile(
      "start,price\n" +
        "2026-10-25T00:00:00+02:00,0.25\n" +
        "2026-10-25T02:00:00+02:00,0.10\n" +
        "2026-10-25T02:00:00+01:00,0.30\n" +
        "2026-10-25T03:00:00+01:00,0.20\n",
      "prices.csv",
    );
    const price = pricesByHour(changes, "Europe/Berlin", null);
    expect(price("2026-10-25", 1)).toBe(0.25);
    expect(price("2026-10-25", 2)).toBeCloseTo((0.1 + 0.3) / 2, 12);
    expect(price("2026-10-25", 3)).toBe(0.2);
    // The hour that does not exist on 29 March (02:00) has no price, its neighbours do.
    const spring = pricesByHour(
      parsePricesFile("start,price\n2026-03-29T00:00:00+01:00,0.2\n2026-03-30T00:00:00+02:00,0.1", "p.csv"),
      "Europe/Berlin",
      null,
    );
    expect([1, 2, 3].map((h) => spring("2026-03-29", h))).toEqual([0.2, null, 0.2]);
  });

  it("without a base price, electricity before the file's first row has no cost (and no standing charge)", () => {
    const s = settingsWith({
      ELECTRICITY_PRICES_FILE: pricesFile("start,price\n2026-12-01T12:00:00+01:00,0.40\n"),
      ELECTRICITY_STANDING_CHARGE: "0.50",
    });
    const morning = Array<number | null>(24).fill(null);
    morning[8] = 1;
    const afternoon = Array<number | null>(24).fill(null);
    afternoon[15] = 1;
    const rows = pricedRows([row("2026-12-01", morning), row("2026-12-01", afternoon)], s);
    expect(rows.map((r) => [r.cost, r.standing_charge, r.cost_total])).toEqual([
      [null, null, null],
      [0.4, 0.5, 0.9],
    ]);
  });
});

describe("a bad prices file stops start-up naming the file, the line and the fix", () => {
  it("a start without its offset", () => {
    const m = problem("start,price\n2026-12-01T14:00,0.40\n");
    expect(m).toMatch(/ELECTRICITY_PRICES_FILE: \/.*\/prices-\d+\.csv line 2: /);
    expect(m).toContain(
      'line 2: the start "2026-12-01T14:00" has no offset: ' +
        "write it with its offset to UTC, e.g. 2026-10-01T00:00:00+02:00",
    );
  });

  it("an unparsable row: not a time, a price with a decimal comma, no price", () => {
    expect(problem("start,price\n2026-12-01T00:00:00Z,0.3\nyesterday,0.40\n")).toMatch(
      /line 3: the start "yesterday" is not an ISO 8601 time: write e\.g\. 2026-10-01T00:00:00\+02:00/,
    );
    expect(problem("start,price\n2026-12-01T00:00:00+01:00,0,40\n")).toMatch(
      /line 2: "2026-12-01T00:00:00\+01:00,0,40" has 3 columns: write start,price/,
    );
    expect(problem("start,price\n2026-12-01T00:00:00+01:00,cheap\n")).toMatch(
      /line 2: the price "cheap" is not a number: write it in CURRENCY per kWh with a point, e\.g\. 0\.30/,
    );
    expect(problem("start,price\n2026-02-30T00:00:00+01:00,0.3\n")).toMatch(/line 2: .* is not a real time/);
  });

  it("starts that do not increase", () => {
    expect(problem("start,price\n2026-12-01T14:00:00+01:00,0.4\n\n2026-12-01T13:00:00Z,0.3\n")).toContain(
      "line 4: the start 2026-12-01T13:00:00Z is not after the start 2026-12-01T14:00:00+01:00 of line 2: " +
        "sort the rows by start, one row per start",
    );
  });

  it("no header, no rows, no file", () => {
    expect(problem("2026-12-01T14:00:00+01:00,0.4\n")).toMatch(
      /line 1: the header is .*: the first line must be start,price/,
    );
    expect(problem("start,price\n")).toMatch(/the file holds no price/);
    expect(() => settingsWith({ ELECTRICITY_PRICES_FILE: "missing.csv" })).toThrow(
      "ELECTRICITY_PRICES_FILE: cannot read missing.csv (ENOENT): point it at a CSV file with the header start,price",
    );
  });

  it("a standing charge needs a price; it is an amount of 0 or more", () => {
    expect(() => settingsWith({ ELECTRICITY_STANDING_CHARGE: "0.45" })).toThrow(
      /ELECTRICITY_STANDING_CHARGE: is set without an electricity price/,
    );
    expect(() => settingsWith({ ELECTRICITY_PRICE: "0.3", ELECTRICITY_STANDING_CHARGE: "-1" })).toThrow(
      /ELECTRICITY_STANDING_CHARGE: must be 0 or more/,
    );
  });
});
