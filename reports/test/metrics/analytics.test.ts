/**
 * Every analytics field of one hand-made day (helpers/analytics-day.ts), through the whole engine
 * (local files, counters judged, daily row, roll-up). Each expected value is worked out here from the
 * day's description: powers, poll counts, temperatures, counter steps.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createReports } from "../../src/index.ts";
import type { DailyRow, DayBuckets, PeriodReport } from "../../src/types.ts";
import { DAY, analyticsDay } from "../helpers/analytics-day.ts";
import { lines } from "../helpers/hand-data.ts";

const NOW = Date.parse("2026-01-20T12:00:00Z");
const r = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Wh of one 10 s poll at a power (W). */
const poll = (w: number) => (w * 10) / 3600;
/** Wh of one 5-min Viessmann interval at a power (W). */
const interval = (w: number) => (w * 300) / 3600;
/**
 * OpenEnergyMonitor's ideal COP at the day's flow temperatures, outside 5 °C all day, worked out by
 * hand: the condensing side 2 K above the flow, in kelvin, over the lift down to the evaporating side
 * 6 K below the outside air (-1 °C). Flow 35 °C: 310.15 K over 38 K = 8.1618.
 */
const IDEAL_COP_AT_5C = new Map([
  [35, 310.15 / 38],
  [31.5, 306.65 / 34.5],
  [28, 303.15 / 31],
  [42.5, 317.65 / 45.5],
  [50, 325.15 / 53],
]);
const carnot = (flow: number) => IDEAL_COP_AT_5C.get(flow)!;

// Running electricity by mode. A 10 s step counts where the reading that ends it falls, in the mode
// of the interval it falls in:
// - heating (00:00-06:00): the 2160 steps ending 00:00:00 .. 05:59:50, all at 1000 W; and the one
//   step ending 07:00:00 (from 06:59:50, still 1500 W), in the heating interval that starts at 07:00;
const heatingWh = 2160 * poll(1000) + poll(1500);
// - hot water (06:00-07:00): the 360 steps ending 06:00:00 .. 06:59:50; the first still at 1000 W.
const dhwWh = poll(1000) + 359 * poll(1500);
// Standby: the 6119 steps ending 07:00:10 .. 23:59:50 at 20 W.
const standbyWh = 6119 * poll(20);
// Heat from the day counters.
const heatHeating = 72 * 0.3;
const heatDhw = 12 * 0.5;
const heat = heatHeating + heatDhw;

let day: DailyRow;
let report: PeriodReport;
let flat: PeriodReport;
let none: PeriodReport;
let filed: PeriodReport;
let filedWeek: PeriodReport;
let buckets: DayBuckets;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "reports-analytics-"));
  const file = join(dir, "day.lp");
  writeFileSync(file, lines(analyticsDay()));
  const env = (extra: Record<string, string>) => ({
    LOCAL_SOURCE: file,
    DATA_DIR: join(dir, "data"),
    REPORT_TZ: "Europe/Berlin",
    ...extra,
  });
  const engine = (extra: Record<string, string>) =>
    createReports({ env: env(extra), now: () => NOW, noDiskCache: true });
  const open = (extra: Record<string, string>) => engine(extra).report({ kind: "day", id: DAY });
  buckets = await engine({}).dayBuckets(DAY);
  report = await open({
    ELECTRICITY_PRICE_SCHEDULE: "06:00-24:00=0.30,00:00-06:00=0.20",
    GAS_PRICE: "0.10",
    BOILER_EFFICIENCY: "0.9",
  });
  day = report.rows[0]!;
  flat = await open({ ELECTRICITY_PRICE: "0.30", HDD_BASE_C: "18", CURRENCY: "CHF" });
  none = await open({});
  // ELECTRICITY_PRICE until 05:00, then the prices file: 0.10 from 05:00, 0.50 from 14:00.
  const prices = join(dir, "prices.csv");
  writeFileSync(prices, "start,price\n2026-01-15T05:00:00+01:00,0.10\n2026-01-15T14:00:00+01:00,0.50\n");
  const filedEnv = {
    ELECTRICITY_PRICE: "0.30",
    ELECTRICITY_PRICES_FILE: prices,
    ELECTRICITY_STANDING_CHARGE: "0.45",
    GAS_PRICE: "0.10",
  };
  filed = await open(filedEnv);
  filedWeek = await engine(filedEnv).report({ kind: "week", id: "2026-W03" });
});

describe("the hand-made day: energies the analytics build on", () => {
  it("electricity, running and standby, heat", () => {
    expect(day.running_elec_kwh).toBe(r((heatingWh + dhwWh) / 1000, 4));
    expect(day.standby_elec_kwh).toBe(r(standbyWh / 1000, 4));
    expect(day.heat_heating_kwh).toBe(21.6);
    expect(day.heat_dhw_kwh).toBe(6);
  });
});

describe("COP per mode", () => {
  it("elec_heating_kwh: running electricity while heating", () => {
    expect(day.elec_heating_kwh).toBe(r(heatingWh / 1000, 4));
    expect(report.elec_heating_kwh).toBe(r(heatingWh / 1000, 3));
  });

  it("elec_dhw_kwh: running electricity while making hot water", () => {
    expect(day.elec_dhw_kwh).toBe(r(dhwWh / 1000, 4));
  });

  it("heating + hot water = the running electricity; standby stays apart", () => {
    expect(r(day.elec_heating_kwh! + day.elec_dhw_kwh!, 4)).toBe(day.running_elec_kwh);
  });

  it("cop_heating = heating heat / heating electricity", () => {
    expect(day.cop_heating).toBe(r(heatHeating / (heatingWh / 1000), 3));
    expect(report.cop_heating).toBe(r(21.6 / r(heatingWh / 1000, 4), 3));
  });

  it("cop_dhw = hot-water heat / hot-water electricity", () => {
    expect(day.cop_dhw).toBe(r(heatDhw / (dhwWh / 1000), 3));
  });

  it("cop_heating_vendor and cop_dhw_vendor: from the device's own estimate (5.4 and 1.2 kWh)", () => {
    expect(day.cop_heating_vendor).toBe(4);
    expect(day.cop_dhw_vendor).toBe(5);
    expect(report.cop_heating_vendor).toBe(4);
    expect(report.cop_dhw_vendor).toBe(5);
  });
});

describe("% of Carnot", () => {
  // Intervals ending inside the day (their Shelly electricity and heat from flow x spread):
  // - 67 heating intervals, both ends 3489 W at flow 35 °C, 1000 W;
  // - 4 between a heating and a defrosting reading: ends 3489 W and -2326 W, flow (35 + 28) / 2;
  //   the defrosting end shows heat drawn back, not produced, so the heating end's 3489 W counts
  //   (as the device's counters count produced heat); 1 between the two defrosting readings at
  //   04:00 and 04:05: nothing produced, flow 28 °C;
  // - 05:55-06:00: ends 3489 W and 5815 W, flow (35 + 50) / 2, still 1000 W;
  // - 12 hot-water intervals 06:00-07:00 at 1500 W, 5815 W (06:55-07:00: only its running end,
  //   5815 W; the reading at 07:00 is off, flow 50 °C); the rest of the day does not run.
  const heatWh = 67 * interval(3489) + 4 * interval(3489) + interval((3489 + 5815) / 2) + 12 * interval(5815);
  const idealWh =
    67 * interval(1000) * carnot(35) +
    4 * interval(1000) * carnot(31.5) +
    interval(1000) * carnot(28) +
    interval(1000) * carnot(42.5) +
    12 * interval(1500) * carnot(50);

  it("carnot_pct = 100 * Σ heat / Σ electricity x ideal COP, over the same running intervals", () => {
    // (25876.75 Wh sits on a rounding edge: the engine adds the intervals in another order.)
    expect(day.carnot_heat_kwh).toBeCloseTo(heatWh / 1000, 3);
    expect(day.carnot_ideal_heat_kwh).toBeCloseTo(idealWh / 1000, 3);
    expect(day.carnot_pct).toBe(r((100 * heatWh) / idealWh, 2));
    expect(report.carnot_pct).toBe(r((100 * day.carnot_heat_kwh!) / day.carnot_ideal_heat_kwh!, 2));
  });
});

describe("defrosts", () => {
  it("defrost_count: two runs of defrosting readings (02:00; 04:00 and 04:05)", () => {
    expect(day.defrost_count).toBe(2);
    expect(report.defrost_count).toBe(2);
  });

  it("defrost_min: each of the three defrosting readings holds until the next one, 5 min", () => {
    expect(day.defrost_min).toBe(15);
  });

  it("defrost_heat_kwh: 2326 W drawn back for 5 min, three times", () => {
    expect(day.defrost_heat_kwh).toBe(r((3 * interval(2326)) / 1000, 4));
  });

  it("the day's five-minute buckets mark the defrosts (02:00, 04:00, 04:05): the power chart draws them", () => {
    const marked = buckets.values.defrost.flatMap((v, k) => (v === 1 ? [k] : []));
    expect(marked).toEqual([24, 48, 49]);
    expect(buckets.values.defrost.filter((v) => v === 0)).toHaveLength(288 - 3);
  });

  it("defrost_share_pct: defrost heat over the day's heat", () => {
    expect(report.defrost_share_pct).toBe(r((100 * r((3 * interval(2326)) / 1000, 4)) / heat, 2));
  });
});

describe("degree days", () => {
  it("hdd: 15 °C base - 5 °C outside; 18 °C base: 13", () => {
    expect(report.hdd).toBe(10);
    expect(flat.hdd).toBe(13);
  });

  it("heat_per_hdd_kwh: space-heating heat per degree day", () => {
    expect(report.heat_per_hdd_kwh).toBe(2.16);
    expect(flat.heat_per_hdd_kwh).toBe(r(21.6 / 13, 4));
  });

  it("elec_per_hdd_kwh: space-heating electricity per degree day", () => {
    expect(report.elec_per_hdd_kwh).toBe(r(r(heatingWh / 1000, 4) / 10, 4));
  });
});

describe("money", () => {
  // Electricity per local hour: 00-05 all at 1000 W (360 steps each, the first of 00:00 from the
  // evening before); 06: one step at 1000 W and 359 at 1500 W; 07: one step at 1500 W and 359 at
  // 20 W; 08-23: 360 steps at 20 W.
  const hourly = [
    ...Array<number>(6).fill(360 * poll(1000)),
    poll(1000) + 359 * poll(1500),
    poll(1500) + 359 * poll(20),
    ...Array<number>(16).fill(360 * poll(20)),
  ].map((wh) => r(wh / 1000, 4));
  const cost = hourly.reduce((a, kwh, h) => a + kwh * (h < 6 ? 0.2 : 0.3), 0);
  const gas = (heat / 0.9) * 0.1;

  it("elec_hourly_kwh: electricity per local clock hour, adding up to the day", () => {
    expect(day.elec_hourly_kwh).toEqual(hourly);
    expect(
      r(
        hourly.reduce((a, x) => a + x, 0),
        4,
      ),
    ).toBe(day.elec_kwh);
  });

  it("cost: each hour at its price (0.20 before 06:00, 0.30 after)", () => {
    expect(report.currency).toBe("EUR");
    expect(report.cost).toBe(r(cost, 2));
    // One price all day: the day's electricity at 0.30 CHF.
    expect(flat.cost).toBe(r(hourly.reduce((a, x) => a + x, 0) * 0.3, 2));
    expect(flat.currency).toBe("CHF");
  });

  it("cost_per_heat_kwh: cost over heat", () => {
    expect(report.cost_per_heat_kwh).toBe(r(cost / heat, 4));
  });

  it("gas_cost: the same heat from a 90 % boiler at 0.10 per kWh of gas", () => {
    expect(report.gas_cost).toBe(r(gas, 2));
    expect(flat).not.toHaveProperty("gas_cost");
  });

  it("savings: gas cost - electricity cost", () => {
    expect(report.savings).toBe(r(gas - cost, 2));
    expect(flat).not.toHaveProperty("savings");
  });

  it("a prices file: 00-05 at 0.30, 05-14 at 0.10, 14-24 at 0.50; the standing charge beside it", () => {
    // 5 x 1.0 kWh x 0.30 = 1.50; (1.0 + 1.4986 + 0.0241 + 6 x 0.02) kWh x 0.10 = 0.26427;
    // 10 x 0.02 kWh x 0.50 = 0.10: 1.86427, and 0.45 of standing charge: 2.31427.
    expect(hourly.slice(0, 5).reduce((a, x) => a + x, 0)).toBe(5);
    expect(
      r(
        hourly.slice(5, 14).reduce((a, x) => a + x, 0),
        4,
      ),
    ).toBe(2.6427);
    expect(
      r(
        hourly.slice(14).reduce((a, x) => a + x, 0),
        4,
      ),
    ).toBe(0.2);
    const money = { cost: 1.86, standing_charge: 0.45, cost_total: 2.31 };
    expect(filed).toMatchObject(money);
    expect(filed.rows[0]).toMatchObject(money);
    // Per kWh of heat and against gas: energy only (1.86427 / 27.6; 27.6 / 0.9 x 0.10 - 1.86427).
    expect(filed.cost_per_heat_kwh).toBe(0.0675);
    expect(filed.savings).toBe(1.2);
    // The week: the day before has its last hour from the evening's readings (359 steps of 10 s at
    // 1000 W, 0.9972 kWh before the file's first row, at 0.30: 0.29917), so two days with a cost
    // and two days' charge; the days without electricity cost nothing known.
    expect(filedWeek).toMatchObject({ cost: 2.16, standing_charge: 0.9, cost_total: 3.06 });
    expect(filedWeek.rows.map((d) => d.cost)).toEqual([null, null, 0.3, 1.86, null, null, null]);
    expect(filedWeek.rows.map((d) => d.standing_charge)).toEqual([null, null, 0.45, 0.45, null, null, null]);
  });

  it("without prices there are no cost fields at all, never a 0", () => {
    for (const k of ["currency", "cost", "cost_per_heat_kwh", "gas_cost", "savings"])
      expect(none).not.toHaveProperty(k);
    for (const k of ["cost", "standing_charge", "cost_total"]) expect(none.rows[0]).not.toHaveProperty(k);
    for (const k of ["standing_charge", "cost_total"]) expect(report).not.toHaveProperty(k);
    expect(none.settings).toEqual({ hdd_base_c: 15, indoor_c: 20, design_outside_c: -12 });
  });
});

describe("export", () => {
  it("export_kwh: 360 polls of 0.5 Wh on the returned-energy counter", () => {
    expect(day.export_kwh).toBe(0.18);
    expect(report.export_kwh).toBe(0.18);
  });
});
