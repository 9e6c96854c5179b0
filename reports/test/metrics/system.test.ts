/**
 * The whole system of a day (system.ts, boundary.ts) from hand-made samples, UTC, 2026-01-15:
 * - the heat pump's meter every 10 s at 1000 W all day: 8640 steps of 1000/360 Wh = 24 kWh;
 * - the heat pump every 5 minutes, its heating day counter 30 kWh the evening before, then
 *   0.25 kWh more at each of the day's 288 readings (rolled over at midnight): 72 kWh; COP 72 / 24 = 3;
 * - the backup heater's meter at 2000 W from 06:00 to 08:00, 0 W otherwise: 720 steps of 2000/360 Wh
 *   = 4 kWh; the pumps' at 50 W (1.2 kWh); the house's at 500 W (12 kWh).
 */
import { describe, expect, it } from "vitest";
import { computeDailyRow } from "../../src/metrics/daily.ts";
import { systemFigures } from "../../src/metrics/system.ts";
import { boundaryOf, boundaryStatement, periodMetering, rowRoles } from "../../src/metrics/boundary.ts";
import { SampleBuilder } from "../../src/store/samples.ts";
import type { DailyRow } from "../../src/types.ts";
import { handSamples, MIN } from "../helpers/hand-samples.ts";

const H = 60 * MIN;
const DAY = Date.parse("2026-01-15T00:00:00Z");
const range = { day: "2026-01-15", startMs: DAY, endMs: DAY + 24 * H };
const o = { thresholdW: 100, elecIntervalMs: 10_000, hpIntervalMs: 5 * MIN };
const all = { fromMs: DAY - MIN, toMs: DAY + 24 * H - 10_000 };

function day(roles: ("backup" | "pumps" | "house")[]) {
  const hp = [];
  for (let k = -1; k < 288; k++)
    hp.push({ t: DAY + k * 5 * MIN, heat_heating_day_kwh: k < 0 ? 30 : 0.25 * (k + 1), compressor_on: 1 });
  const power = {
    backup: (t: number) => (t >= DAY + 6 * H && t < DAY + 8 * H ? 2000 : 0),
    pumps: () => 50,
    house: () => 500,
  };
  const s = handSamples({
    shelly: { ...all, power: () => 1000 },
    hp,
    meters: roles.map((role) => ({ role, ...all, power: power[role] })),
  });
  return computeDailyRow(s, range, DAY + 48 * H, o);
}

describe("the device's own heating-rod figure beside the backup meter's", () => {
  it("the rod's day counters' growth (heating 1.2 + hot water 0.5 = 1.7 kWh), midnight rollover handled", () => {
    // Readings every 5 min from 23:55 the evening before: the heating counter 3.4 kWh then (the day
    // before's, rolled over at midnight to 0), 0.1 kWh at 06:00, 1.2 kWh from 08:00 on; the hot-water
    // counter 0.5 kWh from 14:00 on. The day: 1.2 + 0.5 = 1.7 kWh.
    const hp = [];
    for (let k = -1; k < 288; k++) {
      const t = DAY + k * 5 * MIN;
      const heating = k < 0 ? 3.4 : t >= DAY + 8 * H ? 1.2 : t >= DAY + 6 * H ? 0.1 : 0;
      hp.push({
        t,
        heat_heating_day_kwh: k < 0 ? 30 : 0.25 * (k + 1),
        compressor_on: 1,
        heating_rod_heating_day_kwh: heating,
        heating_rod_dhw_day_kwh: t >= DAY + 14 * H ? 0.5 : 0,
      });
    }
    const s = handSamples({ shelly: { ...all, power: () => 1000 }, hp, meters: [] });
    expect(computeDailyRow(s, range, DAY + 48 * H, o).backup_vendor_kwh).toBe(1.7);
  });

  it("null where the device does not report its rod", () => {
    expect(day(["backup"]).backup_vendor_kwh).toBeNull();
  });
});

describe("the whole system of a day", () => {
  it("backup heater, pumps and house metered: H4, system heat and COP, the backup's share", () => {
    const r = day(["backup", "pumps", "house"]);
    expect(r).toMatchObject({
      elec_kwh: 24,
      heat_kwh: 72,
      // The heat pump's own COP is unchanged: 72 / 24.
      cop: 3,
      boundary: "H4",
      backup_elec_kwh: 4,
      pumps_elec_kwh: 1.2,
      house_elec_kwh: 12,
      // 72 + 4 (the rod's kWh are heat, and the device counters do not count them).
      heat_system_kwh: 76,
      // 76 / (24 + 4 + 1.2) = 2.60274; the house is in no COP.
      cop_system: 2.603,
      // 100 * 4 / 76 = 5.263.
      backup_share_pct: 5.26,
    });
  });

  it("backup heater only: H3, 76 / (24 + 4) = 2.714", () => {
    expect(day(["backup"])).toMatchObject({
      boundary: "H3",
      backup_elec_kwh: 4,
      pumps_elec_kwh: null,
      house_elec_kwh: null,
      heat_system_kwh: 76,
      cop_system: 2.714,
    });
  });

  it("pumps only: H4 without a backup heater, 72 / (24 + 1.2) = 2.857; no system heat to state", () => {
    expect(day(["pumps"])).toMatchObject({
      boundary: "H4",
      heat_system_kwh: null,
      cop_system: 2.857,
      backup_share_pct: null,
    });
  });

  it("the heat pump's meter alone (and the house's): H2, no system figures", () => {
    expect(day(["house"])).toMatchObject({
      boundary: "H2",
      backup_elec_kwh: null,
      pumps_elec_kwh: null,
      house_elec_kwh: 12,
      heat_system_kwh: null,
      cop_system: null,
      backup_share_pct: null,
      cop: 3,
    });
  });
});

describe("the system figures from the heat pump's figures and the other meters (systemFigures)", () => {
  // The backup heater's meter as in day(): 2000 W from 06:00 to 08:00, 4 kWh; the pumps' 50 W, 1.2 kWh.
  const meters = (roles: ("backup" | "pumps")[]) =>
    handSamples({
      meters: roles.map((role) => ({
        role,
        ...all,
        power: role === "pumps" ? () => 50 : (t: number) => (t >= DAY + 6 * H && t < DAY + 8 * H ? 2000 : 0),
      })),
    });
  type Input = Parameters<typeof systemFigures>[3];
  const input: Input = {
    thresholdW: 100,
    elecIntervalMs: 10_000,
    heatKwh: 72,
    elecKwh: 24,
    coolingElecKwh: null,
    backupVendorKwh: null,
  };
  const figures = (roles: ("backup" | "pumps")[], over: Partial<Input> = {}) =>
    systemFigures(meters(roles), DAY, DAY + 24 * H, { ...input, ...over });

  it("no heat pump meter data: no boundary and no system COP, though the backup heater's heat is known", () => {
    expect(figures(["backup"], { elecKwh: null })).toMatchObject({
      boundary: null,
      backup_elec_kwh: 4,
      // 72 + 4; 100 * 4 / 76 = 5.263.
      heat_system_kwh: 76,
      cop_system: null,
      backup_share_pct: 5.26,
    });
  });

  it("no heat figure: no system heat, no system COP, no share", () => {
    expect(figures(["backup"], { heatKwh: null })).toMatchObject({
      boundary: "H3",
      backup_elec_kwh: 4,
      heat_system_kwh: null,
      cop_system: null,
      backup_share_pct: null,
    });
  });

  it("the cooling intervals' electricity is left out of the system COP: 66 / (24 - 2 + 1.2) = 2.845", () => {
    expect(figures(["pumps"], { heatKwh: 66, coolingElecKwh: 2 })).toMatchObject({
      boundary: "H4",
      pumps_elec_kwh: 1.2,
      cop_system: 2.845,
    });
  });

  it("a meter with power readings only, polled every minute: its own spacing, not the configured 10 s", () => {
    // 60 W from 23:59 the evening before to 23:59, a reading a minute: the day's 1440 steps of 60 s
    // at 60 W are 1 Wh each, 1.44 kWh (steps of 60 s would be gaps at three times 10 s).
    const b = new SampleBuilder();
    for (let t = DAY - MIN; t < DAY + 24 * H; t += MIN)
      b.add("electric", { role: "pumps" }, { power_w: 60 }, t);
    const r = systemFigures(b.finish(), DAY, DAY + 24 * H, input);
    expect(r.pumps_elec_kwh).toBe(1.44);
    // 72 / (24 + 1.44) = 2.8302.
    expect(r.cop_system).toBe(2.83);
  });
});

describe("the metering boundary", () => {
  it("from the roles: the heat pump's meter first, then backup H3, pumps H4", () => {
    expect(boundaryOf([])).toBeNull();
    expect(boundaryOf(["backup", "pumps"])).toBeNull();
    expect(boundaryOf(["heatpump", "house"])).toBe("H2");
    expect(boundaryOf(["backup", "heatpump"])).toBe("H3");
    expect(boundaryOf(["heatpump", "pumps"])).toBe("H4");
    expect(boundaryOf(["heatpump", "backup", "pumps"])).toBe("H4");
  });

  it("says which meters there are, in catalogue order", () => {
    expect(boundaryStatement("H4", ["house", "pumps", "backup", "heatpump"])).toEqual({
      code: "H4",
      roles: ["heatpump", "backup", "pumps", "house"],
      text: "H4: heat pump, backup heater and pumps metered; the house meter for context, in no COP",
    });
    expect(boundaryStatement("H4", ["heatpump", "pumps"]).text).toBe(
      "H4: heat pump and pumps metered (no backup heater meter: none taken to be in use)",
    );
    expect(boundaryStatement("H3", ["heatpump", "backup"]).text).toBe(
      "H3: heat pump and backup heater metered",
    );
    expect(boundaryStatement(null, ["backup"]).text).toBe(
      "No boundary: no heat pump meter data (metered: backup heater)",
    );
    expect(boundaryStatement(null, [])).toEqual({ code: null, roles: [], text: "No electricity meter data" });
    expect(boundaryStatement(null, ["house"]).text).toBe(
      "No boundary: no heat pump meter data (metered: house)",
    );
    // Only H4 without a backup meter says there is none in use.
    expect(boundaryStatement("H2", ["heatpump"]).text).toBe("H2: heat pump metered");
  });

  it("a row's roles: the meters whose electricity it has", () => {
    const r = { elec_kwh: 1, backup_elec_kwh: null, pumps_elec_kwh: 0.5, house_elec_kwh: 3 } as DailyRow;
    expect(rowRoles(r)).toEqual(["heatpump", "pumps", "house"]);
  });

  it("a period's: the widest boundary among its days, every role seen; rows from before roles read as H2", () => {
    const r = (over: Partial<DailyRow>) => ({ elec_kwh: 1, ...over }) as DailyRow;
    const old = r({});
    const h3 = r({ boundary: "H3", backup_elec_kwh: 2 });
    const houseOnly = r({ elec_kwh: null, boundary: null, house_elec_kwh: 5 });
    expect(periodMetering([old, h3, houseOnly])).toEqual({
      code: "H3",
      roles: ["heatpump", "backup", "house"],
      text: "H3: heat pump and backup heater metered; the house meter for context, in no COP",
    });
    expect(periodMetering([old]).code).toBe("H2");
    expect(periodMetering([]).code).toBeNull();
  });
});
