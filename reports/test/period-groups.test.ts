import { describe, expect, it } from "vitest";
import { groupDays, isoWeekOf, monthEnd, seasonOf } from "../src/periods.ts";
import { dayList, dayOf } from "../../core/src/time.ts";

describe("periods", () => {
  it("ISO weeks: Monday start, week 1 holds the first Thursday, years roll over", () => {
    expect(isoWeekOf("2026-03-29")).toBe("2026-W13"); // a Sunday
    expect(isoWeekOf("2026-03-30")).toBe("2026-W14"); // the Monday after
    expect(isoWeekOf("2027-01-01")).toBe("2026-W53");
    expect(isoWeekOf("2024-12-30")).toBe("2025-W01");
  });

  it("heating seasons run July to June", () => {
    expect(seasonOf("2025-07-01")).toBe("2025-26");
    expect(seasonOf("2026-06-30")).toBe("2025-26");
    expect(seasonOf("2099-12-31")).toBe("2099-00");
  });

  it("lists and groups days", () => {
    expect(dayList("2026-02-27", "2026-03-02")).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
    expect([...groupDays("month", dayList("2026-02-27", "2026-03-02")).keys()]).toEqual([
      "2026-02",
      "2026-03",
    ]);
    expect(monthEnd("2026-12")).toBe("2027-01-01");
  });

  it("local days around the DST changes in Europe/Berlin", () => {
    // 2026-03-29 01:30 UTC is 03:30 CEST; 2026-10-25 22:30 UTC is 23:30 CET.
    expect(dayOf("Europe/Berlin", Date.UTC(2026, 2, 28, 23, 30))).toBe("2026-03-29");
    expect(dayOf("Europe/Berlin", Date.UTC(2026, 9, 25, 22, 30))).toBe("2026-10-25");
    expect(dayOf("Europe/Berlin", Date.UTC(2026, 9, 25, 23, 0))).toBe("2026-10-26");
  });
});
