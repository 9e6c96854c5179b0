/**
 * The live values (MQTT) come from the heat pump's meter only: a backup heater's 3 kW on its own
 * meter must not show as the heat pump's power. Points stored without a role are the heat pump's.
 */
import { expect, it } from "vitest";
import type { Point } from "../../../core/src/data/line-protocol.ts";
import { heatPumpOnly } from "../../src/main.ts";

const electric = (tags: Record<string, string>, power: number): Point => ({
  measurement: "electric",
  tags,
  fields: { power_w: power },
  timeMs: 1_000,
});

it("keeps the heat pump meter's points (role heatpump or none) and every non-electric point", () => {
  const points: Point[] = [
    electric({ device: "hp", role: "heatpump" }, 1200),
    electric({ device: "rod", role: "backup" }, 3000),
    electric({ device: "pumps", role: "pumps" }, 80),
    electric({ device: "old" }, 900),
    { measurement: "heatpump", tags: { device: "vc" }, fields: { flow_c: 35 }, timeMs: 1_000 },
  ];
  expect(heatPumpOnly(points).map((p) => p.fields.power_w ?? p.fields.flow_c)).toEqual([1200, 900, 35]);
});
