import { describe, expect, it } from "vitest";
import { bucketsCsv, dailyRowsCsv } from "../../src/output/csv.ts";
import type { DailyRow } from "../../src/types.ts";

describe("CSV files", () => {
  it("a day's buckets: UTC bucket starts in whole seconds, empty cells for missing values, CRLF", () => {
    const csv = bucketsCsv({
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
      },
    });
    expect(csv).toBe(
      "time,power_w,heat_w,flow_c,return_c,outside_c,dhw_c,cop,defrost\r\n" +
        "2026-03-28T23:00:00Z,1200.5,3600,35.25,30,-2.5,,3,1\r\n" +
        "2026-03-28T23:05:00Z,,0,,,-2.75,48,,0\r\n",
    );
  });

  it("daily rows: the row's fields in order, null empty, text with a comma or quote quoted", () => {
    const rows = [
      { day: "2026-03-01", elec_kwh: 12.5, cop: null, closed: true, note: 'a "b", c' },
      { day: "2026-03-02", elec_kwh: null, cop: 3.2, closed: false, note: "x" },
    ] as unknown as DailyRow[];
    expect(dailyRowsCsv(rows)).toBe(
      "day,elec_kwh,cop,closed,note\r\n" +
        '2026-03-01,12.5,,true,"a ""b"", c"\r\n' +
        "2026-03-02,,3.2,false,x\r\n",
    );
  });

  it("daily rows: the electricity per local hour becomes one column per hour (a spreadsheet cannot read a list)", () => {
    const hourly = Array.from({ length: 24 }, (_, h) => (h === 2 ? null : h / 10));
    const rows = [{ day: "2026-03-29", elec_kwh: 27.6, elec_hourly_kwh: hourly }] as unknown as DailyRow[];
    const [head, line] = dailyRowsCsv(rows).split("\r\n");
    expect(head).toBe(
      "day,elec_kwh," +
        Array.from({ length: 24 }, (_, h) => `elec_h${String(h).padStart(2, "0")}_kwh`).join(","),
    );
    expect(line).toBe(
      "2026-03-29,27.6,0,0.1,,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,1.9,2,2.1,2.2,2.3",
    );
  });

  it("daily rows: a kept line of a closed day follows the header of the file it is written into", () => {
    // A closed day (frozen, as the day cache hands it out) with three hourly values, then the same
    // day in a file whose first day has two: its third value has no column there.
    const closed = Object.freeze({ day: "2026-03-30", elec_hourly_kwh: [1, 2, 3] }) as unknown as DailyRow;
    const short = { day: "2026-03-29", elec_hourly_kwh: [4, 5] } as unknown as DailyRow;
    expect(dailyRowsCsv([closed])).toBe("day,elec_h00_kwh,elec_h01_kwh,elec_h02_kwh\r\n2026-03-30,1,2,3\r\n");
    expect(dailyRowsCsv([short, closed])).toBe(
      "day,elec_h00_kwh,elec_h01_kwh\r\n2026-03-29,4,5\r\n2026-03-30,1,2\r\n",
    );
    expect(dailyRowsCsv([closed])).toBe("day,elec_h00_kwh,elec_h01_kwh,elec_h02_kwh\r\n2026-03-30,1,2,3\r\n");
  });
});
