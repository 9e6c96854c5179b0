import { describe, expect, it } from "vitest";
import { bucketsCsv, dailyRowsCsv } from "../../src/output/csv.ts";
import { loadReportsConfig } from "../../src/config.ts";
import { pricedRows } from "../../src/rollup/tariff.ts";
import type { DailyRow, DayBuckets } from "../../src/types.ts";

/** `n` five-minute buckets from `startIso` with power 100, 200, ... W and nothing else. */
const buckets = (startIso: string, n: number): DayBuckets => {
  const col = (f: (k: number) => number | null) => Array.from({ length: n }, (_, k) => f(k));
  const none = col(() => null);
  return {
    day: "",
    startMs: Date.parse(startIso),
    values: {
      power_w: col((k) => (k + 1) * 100),
      heat_w: none,
      flow_c: none,
      return_c: none,
      outside_c: none,
      dhw_c: none,
      cop: none,
      defrost: none,
      flow_lph: none,
      delta_t_k: none,
      compressor_speed_rps: none,
      backup_w: none,
      cooling: none,
    },
  };
};
const lineStarts = (csv: string) => csv.split("\r\n").map((l) => l.split(",").slice(0, 3).join(","));

describe("CSV files", () => {
  it("a day's buckets: UTC bucket starts in whole seconds, empty cells for missing values, CRLF", () => {
    const csv = bucketsCsv(
      {
        day: "2026-03-29",
        startMs: Date.parse("2026-03-28T23:00:00Z"),
        values: {
          power_w: [1200.5, null],
          heat_w: [3600, 0],
          flow_c: [35.25, null],
          return_c: [30, null],
          outside_c: [-2.5, -2.75],
          dhw_c: [null, 48],
          cop: [3, null],
          defrost: [1, 0],
          flow_lph: [1000, 0],
          delta_t_k: [5.25, null],
          compressor_speed_rps: [42.5, null],
          backup_w: [null, 3000],
          cooling: [0, 1],
        },
      },
      "Europe/Berlin",
    );
    // The hydraulics after the first columns: flow rate, flow - return while running, compressor
    // speed, the backup heater's power and the cooling flag; empty where not reported.
    expect(csv).toBe(
      "time,local_time,power_w,heat_w,flow_c,return_c,outside_c,dhw_c,cop,defrost," +
        "flow_lph,delta_t_k,compressor_speed_rps,backup_w,cooling\r\n" +
        "2026-03-28T23:00:00Z,2026-03-29T00:00:00+01:00,1200.5,3600,35.25,30,-2.5,,3,1,1000,5.25,42.5,,0\r\n" +
        "2026-03-28T23:05:00Z,2026-03-29T00:05:00+01:00,,0,,,-2.75,48,,0,0,,,3000,1\r\n",
    );
  });

  it("daily rows: the row's fields in order, null empty, text with a comma or quote quoted", () => {
    const rows = [
      { day: "2026-03-01", elec_kwh: 12.5, cop: null, closed: true, note: 'a "b", c' },
      { day: "2026-03-02", elec_kwh: null, cop: 3.2, closed: false, note: "x" },
    ] as unknown as DailyRow[];
    expect(dailyRowsCsv(rows)).toBe(
      "date,day,elec_kwh,cop,closed,note\r\n" +
        '2026-03-01,2026-03-01,12.5,,true,"a ""b"", c"\r\n' +
        "2026-03-02,2026-03-02,,3.2,false,x\r\n",
    );
  });

  it(
    "daily rows: the electricity per local hour becomes one column per hour " +
      "(a spreadsheet cannot read a list)",
    () => {
      const hourly = Array.from({ length: 24 }, (_, h) => (h === 2 ? null : h / 10));
      const rows = [{ day: "2026-03-29", elec_kwh: 27.6, elec_hourly_kwh: hourly }] as unknown as DailyRow[];
      const [head, line] = dailyRowsCsv(rows).split("\r\n");
      expect(head).toBe(
        "date,day,elec_kwh," +
          Array.from({ length: 24 }, (_, h) => `elec_h${String(h).padStart(2, "0")}_kwh`).join(","),
      );
      expect(line).toBe(
        "2026-03-29,2026-03-29,27.6," +
          "0,0.1,,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,1.9,2,2.1,2.2,2.3",
      );
    },
  );

  it("daily rows: a kept line of a closed day follows the header of the file it is written into", () => {
    // A closed day (frozen, as the day cache hands it out) with three hourly values, then the same
    // day in a file whose first day has two: its third value has no column there.
    const closed = Object.freeze({ day: "2026-03-30", elec_hourly_kwh: [1, 2, 3] }) as unknown as DailyRow;
    const short = { day: "2026-03-29", elec_hourly_kwh: [4, 5] } as unknown as DailyRow;
    const head3 = "date,day,elec_h00_kwh,elec_h01_kwh,elec_h02_kwh\r\n";
    expect(dailyRowsCsv([closed])).toBe(`${head3}2026-03-30,2026-03-30,1,2,3\r\n`);
    expect(dailyRowsCsv([short, closed])).toBe(
      "date,day,elec_h00_kwh,elec_h01_kwh\r\n2026-03-29,2026-03-29,4,5\r\n2026-03-30,2026-03-30,1,2\r\n",
    );
    expect(dailyRowsCsv([closed])).toBe(`${head3}2026-03-30,2026-03-30,1,2,3\r\n`);
  });

  it("local_time: 1 December in Berlin starts at 23:00 UTC the day before, shown as 00:00+01:00", () => {
    expect(lineStarts(bucketsCsv(buckets("2026-11-30T23:00:00Z", 2), "Europe/Berlin"))).toEqual([
      "time,local_time,power_w",
      "2026-11-30T23:00:00Z,2026-12-01T00:00:00+01:00,100",
      "2026-11-30T23:05:00Z,2026-12-01T00:05:00+01:00,200",
      "",
    ]);
    // West of UTC and a half-hour zone: the offset's sign and its minutes.
    expect(lineStarts(bucketsCsv(buckets("2026-12-01T05:00:00Z", 1), "America/New_York"))[1]).toBe(
      "2026-12-01T05:00:00Z,2026-12-01T00:00:00-05:00,100",
    );
    expect(lineStarts(bucketsCsv(buckets("2026-11-30T18:30:00Z", 1), "Asia/Kolkata"))[1]).toBe(
      "2026-11-30T18:30:00Z,2026-12-01T00:00:00+05:30,100",
    );
  });

  it("local_time: on the spring DST day 01:55+01:00 is followed by 03:00+02:00", () => {
    // 29 March 2026 in Berlin: bucket 23 is 00:55Z (01:55 local, winter time), bucket 24 01:00Z.
    const lines = lineStarts(bucketsCsv(buckets("2026-03-28T23:00:00Z", 25), "Europe/Berlin"));
    expect(lines.slice(24, 26)).toEqual([
      "2026-03-29T00:55:00Z,2026-03-29T01:55:00+01:00,2400",
      "2026-03-29T01:00:00Z,2026-03-29T03:00:00+02:00,2500",
    ]);
  });

  it("daily rows of a report with prices carry the cost columns", () => {
    const settings = loadReportsConfig(
      { ELECTRICITY_PRICE: "0.25", ELECTRICITY_STANDING_CHARGE: "0.40", REPORT_TZ: "Europe/Berlin" },
      "/",
    ).settings;
    const rows = [
      { day: "2026-12-01", elec_kwh: 4, elec_hourly_kwh: [1, 3] },
      { day: "2026-12-02", elec_kwh: null, elec_hourly_kwh: [null, null] },
    ] as unknown as DailyRow[];
    // 4 kWh at 0.25: 1.00, plus 0.40 a day; the day without electricity has no cost.
    expect(dailyRowsCsv(pricedRows(rows, settings))).toBe(
      "date,day,elec_kwh,elec_h00_kwh,elec_h01_kwh,cost,standing_charge,cost_total\r\n" +
        "2026-12-01,2026-12-01,4,1,3,1,0.4,1.4\r\n" +
        "2026-12-02,2026-12-02,,,,,,\r\n",
    );
  });
});
