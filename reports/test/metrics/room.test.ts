/**
 * The room temperature (`room_c`): the day's mean weighted by heat (daily.ts roomMean), and the
 * house fit (house-fit.ts) using it instead of INDOOR_C where every day used has one.
 */
import { describe, expect, it } from "vitest";
import { roomMean } from "../../src/metrics/daily.ts";
import { fitHouse } from "../../src/rollup/house-fit.ts";
import { rollup } from "../../src/rollup/rollup.ts";
import type { DailyRow } from "../../src/types.ts";
import { handSamples, MIN } from "../helpers/hand-samples.ts";

const DAY = Date.parse("2026-01-15T00:00:00Z");
const END = DAY + 24 * 60 * MIN;

describe("the day's room temperature", () => {
  it("weighted by heat per reading: (3 * 20 + 5 * 22) / 8 = 21.25; a reading without heat weighs nothing", () => {
    const s = handSamples({
      hp: [
        // 1000 l/h at 3 K: 3489 W = 3 * 1163; at 5 K: 5815 W = 5 * 1163.
        { t: DAY, flow_lph: 1000, flow_c: 35, return_c: 32, room_c: 20 },
        { t: DAY + 5 * MIN, flow_lph: 1000, flow_c: 40, return_c: 35, room_c: 22 },
        { t: DAY + 10 * MIN, flow_lph: 0, flow_c: 30, return_c: 30, room_c: 18 },
      ],
    });
    expect(roomMean(s, DAY, END)).toBeCloseTo(21.25, 9);
  });

  it("a plain mean on a day without heat; null without readings", () => {
    const off = (t: number, room: number) => ({ t, flow_lph: 0, flow_c: 30, return_c: 30, room_c: room });
    const s = handSamples({ hp: [off(DAY, 18), off(DAY + 5 * MIN, 19), off(DAY + 10 * MIN, 20)] });
    expect(roomMean(s, DAY, END)).toBe(19);
    const none = handSamples({ hp: [{ t: DAY, flow_lph: 1000, flow_c: 35, return_c: 30 }] });
    expect(roomMean(none, DAY, END)).toBeNull();
  });

  it("rolled up weighted by each day's heat: (10 * 20 + 30 * 22) / 40 = 21.5", () => {
    const day = (heat: number, room: number | null) =>
      ({ hours: 24, closed: true, heat_kwh: heat, room_mean_c: room, coverage_elec_pct: 100 }) as DailyRow;
    expect(rollup([day(10, 20), day(30, 22), day(5, null)]).room_mean_c).toBe(21.5);
    // No heat at all (summer): by the days' hours, (20 * 24 + 23 * 12) / 36 = 21.
    const warm = { ...day(0, 20), heat_kwh: null };
    expect(rollup([warm, { ...warm, hours: 12, room_mean_c: 23 }]).room_mean_c).toBe(21);
  });
});

describe("the house fit with a room sensor (INDOOR_C 20 °C, design -12 °C)", () => {
  // 14 days, outside -6 .. 7 °C, rooms 20 and 22 °C in turn; the house loses 150 W/K of room minus
  // outside and gains 300 W: P = 150 * (room - outside) - 300.
  const rows = (room: (i: number) => number | null) =>
    Array.from({ length: 14 }, (_, i) => {
      const outside = i - 6;
      const r = room(i);
      return {
        day: "2026-01-01",
        hours: 24,
        closed: true,
        coverage_hp_pct: 100,
        outside_mean_c: outside,
        heat_heating_kwh: ((150 * ((r ?? 21) - outside) - 300) * 24) / 1000,
        room_mean_c: r,
      } as DailyRow;
    });
  const alternating = (i: number) => (i % 2 === 0 ? 20 : 22);

  it("each day's room: the exact line; balance and design load from the mean room, 21 °C", () => {
    expect(fitHouse(rows(alternating), 20, -12)).toEqual({
      heat_loss_w_per_k: 150,
      // 21 - 300 / 150 = 19; -300 + 150 * (21 + 12) = 4650.
      balance_point_c: 19,
      design_load_w: 4650,
      house_fit_days: 14,
      house_fit_r2: 1,
      indoor_source: "room",
    });
  });

  it("one day without a room temperature: INDOOR_C for every day (the rooms' ±1 K is then scatter)", () => {
    const mixed = fitHouse(
      rows((i) => (i === 0 ? null : alternating(i))),
      20,
      -12,
    );
    expect(mixed.indoor_source).toBe("setting");
    expect(mixed.house_fit_r2).toBeLessThan(1);
    expect(mixed.house_fit_days).toBe(14);
  });
});
