/**
 * The whole system and cooling over a period (system-totals.ts through rollup.ts), from hand-made
 * daily rows, each expected value worked out here:
 * - A: H4; 30 kWh of heat for 10 kWh (9 running); backup 2, pumps 1: system 32 / 13.
 * - B: H2; 50 for 20 (18 running); nothing else metered.
 * - C: H3; 10 for 5 (4 running), of which 1 (0.8 running) cooling 3 kWh out of the house; backup 1:
 *   system 11 / (5 - 1 + 1).
 */
import { describe, expect, it } from "vitest";
import { rollup } from "../../src/rollup/rollup.ts";
import { heatingElec, heatingRunningElec } from "../../src/rollup/system-totals.ts";
import type { DailyRow } from "../../src/types.ts";

const row = (over: Partial<DailyRow>) =>
  ({
    hours: 24,
    closed: true,
    coverage_elec_pct: 100,
    coverage_hp_pct: 100,
    outliers: 0,
    ...over,
  }) as DailyRow;

const A = row({
  boundary: "H4",
  elec_kwh: 10,
  running_elec_kwh: 9,
  heat_kwh: 30,
  backup_elec_kwh: 2,
  pumps_elec_kwh: 1,
  heat_system_kwh: 32,
  cop_system: 2.462,
});
const B = row({ boundary: "H2", elec_kwh: 20, running_elec_kwh: 18, heat_kwh: 50 });
const C = row({
  boundary: "H3",
  elec_kwh: 5,
  running_elec_kwh: 4,
  heat_kwh: 10,
  backup_elec_kwh: 1,
  heat_system_kwh: 11,
  cop_system: 2.2,
  cooling_kwh: 3,
  cooling_elec_kwh: 1,
  cooling_running_elec_kwh: 0.8,
  eer: 3,
});

describe("the system and cooling rolled up", () => {
  it("sums, ratios of sums over the days with both sides, the widest boundary", () => {
    expect(rollup([A, B, C])).toMatchObject({
      // 90 / (10 + 20 + 5 - 1) = 2.647; running: 90 / (9 + 18 + 4 - 0.8) = 2.980.
      cop: 2.647,
      cop_running: 2.98,
      elec_kwh: 35,
      boundary: "H4",
      backup_elec_kwh: 3,
      pumps_elec_kwh: 1,
      house_elec_kwh: null,
      heat_system_kwh: 43,
      // Over A and C: (32 + 11) / (13 + 5) = 2.389, not the mean of 2.462 and 2.2.
      cop_system: 2.389,
      // 100 * 3 / 43 = 6.977.
      backup_share_pct: 6.98,
      cooling_kwh: 3,
      cooling_elec_kwh: 1,
      eer: 3,
    });
  });

  it("without other meters or cooling: null, and the COP as before", () => {
    expect(rollup([B])).toMatchObject({
      cop: 2.5,
      boundary: "H2",
      backup_elec_kwh: null,
      heat_system_kwh: null,
      cop_system: null,
      backup_share_pct: null,
      cooling_kwh: null,
      eer: null,
      room_mean_c: null,
    });
  });

  it("rows published before these fields existed: the heat pump's meter alone, H2", () => {
    const old = { ...B } as Partial<DailyRow>;
    delete old.boundary;
    expect(rollup([old as DailyRow])).toMatchObject({ cop: 2.5, boundary: "H2", cop_system: null });
  });

  it("the house meter and the device's rod figure are added up", () => {
    const withHouse = { ...A, house_elec_kwh: 7, backup_vendor_kwh: 1.5 };
    const withRod = { ...C, house_elec_kwh: 4.5, backup_vendor_kwh: 0.25 };
    // 7 + 4.5; 1.5 + 0.25.
    expect(rollup([withHouse, B, withRod])).toMatchObject({ house_elec_kwh: 11.5, backup_vendor_kwh: 1.75 });
  });

  it("a day with heat but no meter data weighs in no COP", () => {
    const noMeter = row({ elec_kwh: null, running_elec_kwh: null, heat_kwh: 10, cooling_elec_kwh: 1 });
    // B's alone: 50 / 20 and 50 / 18 = 2.778 (not 60 / 20 or 60 / 18).
    expect(rollup([B, noMeter])).toMatchObject({ cop: 2.5, cop_running: 2.778 });
    expect(heatingElec(noMeter)).toBeNull();
    expect(heatingRunningElec({ ...noMeter, cooling_running_elec_kwh: 0.8 })).toBeNull();
  });

  it("cop_system over the days that have both its sides, whatever a row's own cop_system says", () => {
    // Rows inconsistent with themselves (a cop_system but no heat, or no electricity) add nothing:
    // A's alone, 32 / 13 = 2.462.
    const noHeat = row({ elec_kwh: 5, heat_kwh: null, backup_elec_kwh: 1, cop_system: 2 });
    const noElec = row({ elec_kwh: null, heat_kwh: 10, backup_elec_kwh: 1, cop_system: 2 });
    expect(rollup([A, noHeat]).cop_system).toBe(2.462);
    expect(rollup([A, noElec]).cop_system).toBe(2.462);
  });
});
