/**
 * The collector's live values from hand-made points. The worked example: a Shelly reading every 10 s
 * at 1500 W (its counter rising 1500 W x 10 s = 4.1667 Wh a step), heat pump readings at 0 and 300 s
 * with 1000 l/h, flow 35 °C, return 30 °C, compressor on: thermal power 1000 x 1.163 x 5 = 5815 W.
 * Over the interval the Shelly counted 1500 W x 300 s = 125 Wh, the heat pump made 5815 W x 300 s =
 * 484.58 Wh: COP now 3.88 (= 5815 / 1500).
 */
import { describe, expect, it } from "vitest";
import type { Point } from "../../../core/src/data/line-protocol.ts";
import { createLiveState, MAX_ELEC_SAMPLES, modeOf } from "../../src/mqtt/live-state.ts";

const S = 1000;
const electric = (t: number, powerW: number, energyWh: number): Point => ({
  measurement: "electric",
  tags: { device: "meter" },
  fields: { power_w: powerW, energy_wh: energyWh },
  timeMs: t,
});
const heatpump = (t: number, fields: Record<string, number>): Point => ({
  measurement: "heatpump",
  tags: { device: "hp" },
  fields,
  timeMs: t,
});
const running = {
  flow_lph: 1000,
  flow_c: 35,
  return_c: 30,
  outside_c: -2.04,
  dhw_c: 48.96,
  compressor_on: 1,
  defrosting: 0,
  dhw_active: 0,
  heat_heating_day_kwh: 10,
  heat_dhw_day_kwh: 2.5,
};
/** Shelly readings every 10 s over [fromS, toS] at 1500 W. */
const meterRun = (fromS: number, toS: number): Point[] => {
  const out: Point[] = [];
  for (let s = fromS; s <= toS; s += 10) out.push(electric(s * S, 1500, 1000 + (1500 * s) / 3600));
  return out;
};

describe("live values", () => {
  it("a Shelly poll: power, electricity in kWh, compressor from the power", () => {
    const live = createLiveState({ thresholdW: 100, elecIntervalMs: 10 * S });
    expect(Object.fromEntries(live.add([electric(0, 2413.825, 5415414.19)]))).toEqual({
      electric_power: "2413.8",
      electricity_imported: "5415.414",
      compressor: "ON",
    });
    expect(live.add([electric(10 * S, 99.9, 5415414.5)]).get("compressor")).toBe("OFF");
    // A reading without power: the power is unknown (a gap, never 0); the compressor keeps its state.
    const gap = live.add([{ ...electric(20 * S, 0, 5415415), fields: { energy_wh: 5415415 } }]);
    expect(gap.get("electric_power")).toBe("None");
    expect(gap.has("compressor")).toBe(false);
  });

  it("a heat pump poll: temperatures, mode, heat in kWh, thermal power; COP now from the second reading on", () => {
    const live = createLiveState({ thresholdW: 100, elecIntervalMs: 10 * S });
    live.add(meterRun(-10, 0));
    const first = Object.fromEntries(live.add([heatpump(0, running)]));
    expect(first).toEqual({
      flow_temperature: "35",
      return_temperature: "30",
      outside_temperature: "-2",
      hot_water_temperature: "49",
      heat_produced: "12.5",
      operating_mode: "heating",
      cop_now: "None",
      thermal_power: "5815",
    });
    live.add(meterRun(10, 300));
    const second = live.add([heatpump(300 * S, { ...running, heat_heating_day_kwh: 10.4 })]);
    expect(second.get("cop_now")).toBe("3.88");
    expect(second.get("heat_produced")).toBe("12.9");
    // The Shelly's power is fresh: the compressor state is its, published with the Shelly poll only.
    expect(second.has("compressor")).toBe(false);
  });

  it("without a flow sensor: the interval's heat from the day counters, over its length", () => {
    const live = createLiveState({ thresholdW: 100, elecIntervalMs: 10 * S });
    const noFlow = { ...running, flow_lph: Number.NaN };
    live.add(meterRun(-10, 0));
    live.add([heatpump(0, noFlow)]);
    live.add(meterRun(10, 300));
    const out = live.add([heatpump(300 * S, { ...noFlow, heat_heating_day_kwh: 10.4 })]);
    // 0.4 kWh in 300 s = 4800 W; over the Shelly's 125 Wh: COP 3.2
    expect(out.get("thermal_power")).toBe("4800");
    expect(out.get("cop_now")).toBe("3.2");
  });

  it("with no fresh Shelly power the compressor state is the heat pump's; no Shelly readings, no COP", () => {
    const live = createLiveState({ thresholdW: 100, elecIntervalMs: 10 * S });
    live.add([electric(0, 1500, 1000)]);
    expect(live.add([heatpump(61 * S, { ...running, compressor_on: 0 })]).get("compressor")).toBe("OFF");
    const second = live.add([heatpump(361 * S, running)]);
    expect(second.get("compressor")).toBe("ON");
    expect(second.get("cop_now")).toBe("None");
  });

  it("modes from the heat pump's readings", () => {
    expect(modeOf(1, 0, 0)).toBe("heating");
    expect(modeOf(1, 1, 0)).toBe("hot_water");
    expect(modeOf(1, 1, 1)).toBe("defrosting");
    expect(modeOf(0, 1, 0)).toBe("standby");
    expect(modeOf(Number.NaN, 1, 0)).toBe("None");
  });

  it("keeps the Shelly readings of the last interval only, and never more than MAX_ELEC_SAMPLES", () => {
    const live = createLiveState({ thresholdW: 100, elecIntervalMs: 1 * S });
    for (let i = 0; i < 3 * MAX_ELEC_SAMPLES; i++) live.add([electric(i * S, 1500, i)]);
    expect(live.keptReadings()).toBeLessThanOrEqual(5); // no heat pump: a few for the next interval
    live.add([heatpump(3 * MAX_ELEC_SAMPLES * S, running)]);
    for (let i = 0; i < 3 * MAX_ELEC_SAMPLES; i++)
      live.add([electric((3 * MAX_ELEC_SAMPLES + i + 1) * S, 1500, i)]);
    expect(live.keptReadings()).toBe(MAX_ELEC_SAMPLES); // a heat pump that stopped answering
  });
});
