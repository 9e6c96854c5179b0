import { describe, expect, it } from "vitest";
import type { Point } from "../../core/src/data/line-protocol.ts";
import { plausibilityScreen } from "../src/plausibility.ts";

const T0 = Date.UTC(2026, 10, 27, 4, 0, 0);

function harness(maxPowerW?: number) {
  let mono = 0;
  const warnings: string[] = [];
  const screen = plausibilityScreen({
    ...(maxPowerW === undefined ? {} : { maxPowerW }),
    monotonicNow: () => mono,
    warn: (m) => warnings.push(m),
  });
  return { screen, warnings, advance: (ms: number) => (mono += ms) };
}

const electric = (fields: Point["fields"], device = "shellypro3em-aabbccddeeff"): Point => ({
  measurement: "electric",
  tags: { device },
  fields,
  timeMs: T0,
});
const heatpump = (fields: Point["fields"]): Point => ({
  measurement: "heatpump",
  tags: { device: "7633107093013212-0" },
  fields,
  timeMs: T0,
});

describe("plausibility of device numbers", () => {
  it("keeps power up to ±MAX_POWER_W and leaves out beyond it, the other fields kept", () => {
    const h = harness(15_000);
    const [kept] = h.screen([electric({ power_w: 15_000, power_a_w: -15_000, voltage_a_v: 230 })]);
    expect(kept!.fields).toEqual({ power_w: 15_000, power_a_w: -15_000, voltage_a_v: 230 });
    const [cut] = h.screen([electric({ power_w: 15_001, power_a_w: -15_001, voltage_a_v: 230 })]);
    expect(cut!.fields).toEqual({ voltage_a_v: 230 });
    expect(h.warnings).toEqual([
      "shellypro3em-aabbccddeeff: electric power_w = 15001 is not plausible (expected within ±15000 W " +
        "(MAX_POWER_W)); left out, a gap in that field, the point's other fields are kept",
      "shellypro3em-aabbccddeeff: electric power_a_w = -15001 is not plausible (expected within ±15000 W " +
        "(MAX_POWER_W)); left out, a gap in that field, the point's other fields are kept",
    ]);
  });

  it("MAX_POWER_W moves the limit; the default is 15000 W", () => {
    expect(harness(20_000).screen([electric({ power_w: 19_999 })])[0]!.fields).toEqual({ power_w: 19_999 });
    expect(harness(10_000).screen([electric({ power_w: 10_001, energy_wh: 5 })])[0]!.fields).toEqual({
      energy_wh: 5,
    });
    expect(harness().screen([electric({ power_w: 15_001, energy_wh: 5 })])[0]!.fields).toEqual({
      energy_wh: 5,
    });
  });

  it("keeps temperatures from −60 to 150 °C and leaves out what is beyond", () => {
    const h = harness();
    const [kept] = h.screen([heatpump({ outside_c: -60, flow_c: 150, return_c: 30, dhw_c: 48.5 })]);
    expect(kept!.fields).toEqual({ outside_c: -60, flow_c: 150, return_c: 30, dhw_c: 48.5 });
    const [cut] = h.screen([heatpump({ outside_c: -60.1, flow_c: 150.1, return_c: 30 })]);
    expect(cut!.fields).toEqual({ return_c: 30 });
    expect(h.warnings).toHaveLength(2);
    expect(h.warnings[0]).toContain("heatpump outside_c = -60.1 is not plausible (expected -60 to 150 °C)");
  });

  it("counters must be finite and not below 0; voltages, currents and states plausible; any number finite", () => {
    const h = harness();
    const [e] = h.screen([
      electric({
        energy_wh: -1,
        energy_ret_wh: 0,
        voltage_a_v: 230.1,
        voltage_b_v: -5,
        voltage_c_v: 501,
        current_a_a: 12.5,
        current_b_a: 1e9,
        current_c_a: NaN,
      }),
    ]);
    expect(e!.fields).toEqual({ energy_ret_wh: 0, voltage_a_v: 230.1, current_a_a: 12.5 });
    const [hp] = h.screen([
      heatpump({
        compressor_starts: 1200,
        compressor_hours: -3,
        compressor_on: 2,
        defrosting: 1,
        spf_total: Infinity,
      }),
    ]);
    expect(hp!.fields).toEqual({ compressor_starts: 1200, defrosting: 1 });
    const raw: Point = {
      measurement: "viessmann_feature",
      tags: { device: "7633107093013212-0", feature: "heating.x" },
      fields: { value: -Infinity, other: 1e300, status: "on" },
      timeMs: T0,
    };
    expect(h.screen([raw])[0]!.fields).toEqual({ other: 1e300, status: "on" });
  });

  it("a point with no plausible field left is dropped, the others of the poll are kept", () => {
    const h = harness();
    const ok = heatpump({ outside_c: 3.3 });
    expect(h.screen([electric({ power_w: 1e306 * 1000 }), ok])).toEqual([ok]);
  });

  it("says it at most once an hour per field and device, then how often it happened meanwhile", () => {
    const h = harness();
    const poll = () => h.screen([electric({ power_w: Infinity, power_a_w: 1e306 })]);
    for (let i = 0; i < 360; i++) {
      poll(); // every 10 s for an hour
      h.advance(10_000);
    }
    expect(h.warnings).toHaveLength(2); // power_w and power_a_w, once each
    h.screen([electric({ power_w: Infinity }, "shellypro3em-other")]); // another device: its own line
    expect(h.warnings).toHaveLength(3);
    h.advance(1); // now an hour and 1 ms since the first lines (360 polls, 10 s apart)
    poll();
    expect(h.warnings.slice(3)).toEqual([
      expect.stringMatching(/power_w = Infinity .* \(359 more since the last such line, not logged\)$/),
      expect.stringMatching(/power_a_w = 1e\+306 .* \(359 more since the last such line, not logged\)$/),
    ]);
  });
});
