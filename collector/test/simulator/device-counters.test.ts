import { describe, expect, it } from "vitest";
import { DeviceCounters } from "../../simulator/device-counters.ts";
import { addDays, dayStartMs } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";

/** Runs the counters from `first` to `last` (inclusive), each day's heating heat = its day of month in kWh. */
function fill(first: string, last: string): DeviceCounters {
  const c = new DeviceCounters(TZ, first);
  for (let d = first; ; d = addDays(d, 1)) {
    c.roll(dayStartMs(TZ, d) + 3_600_000);
    c.today.heatHeatingWh += Number(d.slice(8)) * 1000;
    c.today.elecDhwWh += 500;
    if (d === last) break;
  }
  return c;
}

describe("device counters", () => {
  it("roll over at local midnight, also across the DST changes (23 and 25 hour days)", () => {
    const c = new DeviceCounters(TZ, "2026-03-29");
    expect(c.nextMidnightMs - dayStartMs(TZ, "2026-03-29")).toBe(23 * 3_600_000);
    expect(new Date(c.nextMidnightMs).toISOString()).toBe("2026-03-29T22:00:00.000Z");
    c.today.heatHeatingWh = 5000;
    c.roll(c.nextMidnightMs - 1);
    expect(c.date).toBe("2026-03-29");
    c.roll(c.nextMidnightMs);
    expect(c.date).toBe("2026-03-30");
    expect(c.today.heatHeatingWh).toBe(0);
    expect(c.days("heatHeatingWh", 2)).toEqual([0, 5]);

    const autumn = new DeviceCounters(TZ, "2026-10-25");
    expect(autumn.nextMidnightMs - dayStartMs(TZ, "2026-10-25")).toBe(25 * 3_600_000);
  });

  it("fills the day/week/month/year arrays with index 0 = the current period and weeks from Monday", () => {
    // Monday 2026-03-23 .. Thursday 2026-04-02.
    const c = fill("2026-03-23", "2026-04-02");
    expect(c.date).toBe("2026-04-02");
    expect(c.days("heatHeatingWh")).toEqual([2, 1, 31, 30, 29, 28, 27, 26]);
    const weeks = c.weeks("heatHeatingWh");
    expect(weeks[0]).toBe(30 + 31 + 1 + 2); // Mon 30 March .. today
    expect(weeks[1]).toBe(23 + 24 + 25 + 26 + 27 + 28 + 29);
    expect(weeks[2]).toBe(0);
    const months = c.months("heatHeatingWh");
    expect(months).toHaveLength(13);
    expect(months.slice(0, 3)).toEqual([3, 23 + 24 + 25 + 26 + 27 + 28 + 29 + 30 + 31, 0]);
    expect(c.years("heatHeatingWh")).toEqual([246, 0]);
    expect(c.days("elecDhwWh", 3)).toEqual([0.5, 0.5, 0.5]);
  });
});
