/** The readable table of `npm run report` (output/table.ts): the metering and the system's lines. */
import { describe, expect, it } from "vitest";
import { formatReport } from "../../src/output/table.ts";
import { rollup } from "../../src/rollup/rollup.ts";
import { DEFAULT_SETTINGS } from "../../src/rollup/period-analytics.ts";
import type { DailyRow, PeriodReport } from "../../src/types.ts";

const report = (over: Partial<PeriodReport>) =>
  ({
    ...rollup([]),
    label: "Heating season 2025/26",
    tz: "Europe/Berlin",
    kind: "season",
    rows: [] as DailyRow[],
    progress: null,
    settings: DEFAULT_SETTINGS,
    metering: { code: "H3", roles: ["heatpump", "backup"], text: "H3: heat pump and backup heater metered" },
    ...over,
  }) as PeriodReport;

describe("the report table", () => {
  it("says the metering under the title, the system's COP, the backup heater, cooling and the room", () => {
    const text = formatReport(
      report({
        cop: 3.5,
        cop_system: 3.1,
        heat_system_kwh: 1234.5,
        backup_elec_kwh: 80,
        backup_share_pct: 6.48,
        cooling_kwh: 120,
        cooling_elec_kwh: 30,
        eer: 4,
        room_mean_c: 21.26,
      }),
    );
    expect(text.split("\n")[1]).toBe("metering: H3: heat pump and backup heater metered");
    expect(text).toContain(
      "system COP 3.10 (heat 1234.5 kWh), backup heater 80.00 kWh (6.5 % of heat), pumps – kWh",
    );
    expect(text).toContain("cooling 120.00 kWh for 30.00 kWh of electricity, EER 4.00");
    expect(text).toContain("room 21.3 °C");
    expect(text).toContain("SPF 3.50, system SPF 3.10 (H3)");
  });

  it("the heat pump's meter alone: no system, cooling or room lines", () => {
    const text = formatReport(
      report({ cop: 3.5, metering: { code: "H2", roles: ["heatpump"], text: "H2: heat pump metered" } }),
    );
    expect(text).toContain("metering: H2: heat pump metered");
    expect(text).not.toMatch(/system|cooling|room|house/);
    expect(text).toContain("SPF 3.50\n");
  });
});
