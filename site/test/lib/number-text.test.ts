import { describe, expect, it } from "vitest";
import { minusSign } from "../../../reports/src/output/number-text.ts";
import { DEFAULT_SETTINGS } from "../../../reports/src/rollup/period-analytics.ts";
import { rollup } from "../../../reports/src/rollup/rollup.ts";
import { formatReport } from "../../../reports/src/output/table.ts";
import { num, withUnit } from "../../src/lib/format.ts";
import type { PeriodReport } from "../../../reports/src/types.ts";

describe("negative numbers for people", () => {
  it("carry the minus sign U+2212, and a figure that rounds to zero carries none", () => {
    expect(minusSign("-3.5")).toBe("\u22123.5");
    expect(minusSign("-0.0")).toBe("0.0");
    expect(minusSign("-0.04")).toBe("\u22120.04");
    expect(minusSign("12")).toBe("12");
    // The pages' formatter: -0.04 °C shown with one decimal is 0.0 °C, not "-0.0 °C".
    expect(num(-0.04)).toBe("0.0");
    expect(num(-1234.56)).toBe("\u22121,234.6");
    expect(withUnit(-2, "°C")).toBe("\u22122.0 °C");
  });

  it("in `npm run report`'s table too, which also says how far a period in progress is", () => {
    const totals = rollup([]);
    const row = Object.fromEntries(Object.keys(totals).map((k) => [k, null]));
    Object.assign(row, { day: "2026-01-05", outside_mean_c: -4.25, elec_kwh: 12, heat_kwh: 30 });
    const text = formatReport({
      ...totals,
      outside_mean_c: -4.25,
      label: "Monday 5 January 2026",
      tz: "Europe/Berlin",
      kind: "day",
      rows: [row],
      days: 1,
      progress: { elapsed_hours: 14.5, hours: 24 },
      settings: DEFAULT_SETTINGS,
      // Every report states its metering boundary (the table prints it under the title).
      metering: { code: "H2", roles: ["heatpump"], text: "H2: heat pump metered" },
    } as unknown as PeriodReport);
    expect(text).toMatch(/^Monday 5 January 2026 \(Europe\/Berlin\), so far: 14\.5 of 24 hours\n/);
    expect(text).toContain("\u22124.3");
    expect(text).not.toMatch(/(^|\s)-\d/m);
  });
});
