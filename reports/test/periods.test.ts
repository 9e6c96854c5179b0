import { describe, expect, it } from "vitest";
import { isoWeekOf, periodDays, periodLabel, PeriodError, seasonOf, shiftPeriod } from "../src/periods.ts";
import { dayOf, dayRange } from "../../core/src/time.ts";

describe("periods", () => {
  it("local days in Europe/Berlin: 23 h on DST start, 25 h on DST end", () => {
    const spring = dayRange("Europe/Berlin", "2026-03-29");
    expect(new Date(spring.startMs).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect((spring.endMs - spring.startMs) / 3_600_000).toBe(23);
    const autumn = dayRange("Europe/Berlin", "2026-10-25");
    expect(new Date(autumn.startMs).toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect((autumn.endMs - autumn.startMs) / 3_600_000).toBe(25);
    expect(dayOf("Europe/Berlin", Date.parse("2026-03-28T23:00:00Z"))).toBe("2026-03-29");
    expect(dayOf("Europe/Berlin", Date.parse("2026-03-28T22:59:59Z"))).toBe("2026-03-28");
  });

  it("a zone whose DST gap is at midnight starts the day at the end of the gap", () => {
    // America/Santiago springs forward at 24:00 -> 01:00 (2026-09-06).
    const r = dayRange("America/Santiago", "2026-09-06");
    expect(dayOf("America/Santiago", r.startMs)).toBe("2026-09-06");
    expect(dayOf("America/Santiago", r.startMs - 1000)).toBe("2026-09-05");
    expect((r.endMs - r.startMs) / 3_600_000).toBe(23);
  });

  it("ISO weeks, months and seasons", () => {
    expect(isoWeekOf("2026-03-29")).toBe("2026-W13");
    expect(isoWeekOf("2025-12-29")).toBe("2026-W01");
    expect(isoWeekOf("2021-01-03")).toBe("2020-W53");
    expect(periodDays("week", "2026-W13")).toEqual({ first: "2026-03-23", last: "2026-03-29" });
    expect(periodDays("week", "2020-W53")).toEqual({ first: "2020-12-28", last: "2021-01-03" });
    expect(periodDays("month", "2028-02")).toEqual({ first: "2028-02-01", last: "2028-02-29" });
    expect(periodDays("season", "2025-26")).toEqual({ first: "2025-07-01", last: "2026-06-30" });
    expect(seasonOf("2026-06-30")).toBe("2025-26");
    expect(seasonOf("2026-07-01")).toBe("2026-27");
    expect(seasonOf("2099-08-01")).toBe("2099-00");
    expect(shiftPeriod("week", "2026-W01", -1)).toBe("2025-W52");
    expect(shiftPeriod("month", "2026-12", 1)).toBe("2027-01");
    expect(shiftPeriod("season", "2025-26", 1)).toBe("2026-27");
  });

  it("labels", () => {
    expect(periodLabel("day", "2026-03-29")).toBe("Sunday 29 March 2026");
    expect(periodLabel("week", "2026-W13")).toBe("Week 13, 2026");
    expect(periodLabel("month", "2026-03")).toBe("March 2026");
    expect(periodLabel("season", "2025-26")).toBe("Heating season 2025/26");
  });

  it("malformed ids fail naming the format", () => {
    expect(() => periodDays("day", "2026-02-30")).toThrow(PeriodError);
    expect(() => periodDays("week", "2026-W54")).toThrow(/YYYY-Www/);
    expect(() => periodDays("season", "2025-27")).toThrow(/2025-26/);
    expect(() => periodDays("month", "2026-13")).toThrow(PeriodError);
  });
});
