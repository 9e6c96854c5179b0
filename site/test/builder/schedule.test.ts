import { describe, expect, it } from "vitest";
import { scheduleFor } from "../../builder/schedule.ts";
import { CronTime } from "cron";

describe("scheduleFor", () => {
  it("gives exact clock-aligned expressions where the interval divides a minute, an hour or a day", () => {
    expect(scheduleFor(300)).toEqual({ cronTime: "0 */5 * * * *", minGapMs: 0 });
    expect(scheduleFor(15)).toEqual({ cronTime: "*/15 * * * * *", minGapMs: 0 });
    expect(scheduleFor(7200)).toEqual({ cronTime: "0 0 */2 * * *", minGapMs: 0 });
  });

  it("falls back to a one-second tick with a minimum gap for other intervals", () => {
    expect(scheduleFor(420 + 1)).toEqual({ cronTime: "* * * * * *", minGapMs: 421_000 });
    expect(scheduleFor(45)).toEqual({ cronTime: "* * * * * *", minGapMs: 45_000 });
  });

  it("every expression is valid for the cron library", () => {
    for (const s of [10, 12, 20, 30, 60, 120, 300, 600, 900, 3600, 7200, 45, 421]) {
      expect(CronTime.validateCronExpression(scheduleFor(s).cronTime).valid).toBe(true);
    }
  });
});
