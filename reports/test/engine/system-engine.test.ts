/**
 * The whole system through the engine (store -> judged samples -> rows -> reports): two steady days
 * (steady-days.ts, UTC) at 1000 W and 60 kWh of heat, a backup heater's meter (`role=backup`) at
 * 500 W the whole second day only. Its readings every minute rise by 500/60 Wh: 12 kWh that day.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.ts";
import { LocalSource } from "../../src/store/local-source.ts";
import { encodePoint, type Point } from "../../../core/src/data/line-protocol.ts";
import { steadyDays } from "../helpers/steady-days.ts";

const D2 = Date.parse("2026-01-06T00:00:00Z");

function backup(): Point[] {
  const out: Point[] = [];
  let e = 7000;
  for (let t = D2; t < D2 + 86_400_000; t += 60_000) {
    e += 500 / 60;
    out.push({
      measurement: "electric",
      tags: { role: "backup" },
      fields: { power_w: 500, energy_wh: e },
      timeMs: t,
    });
  }
  return out;
}

describe("a backup heater's meter through the engine", () => {
  it("the day it has data is H3 with the system's COP; the week says H3, the day without it H2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-system-"));
    const file = join(dir, "history.lp");
    const pts = [
      ...steadyDays("UTC", [
        { day: "2026-01-05", powerW: 1000, heatKwh: 60 },
        { day: "2026-01-06", powerW: 1000, heatKwh: 60 },
      ]),
      ...backup(),
    ];
    writeFileSync(file, pts.map(encodePoint).join("\n") + "\n");
    const engine = createEngine(new LocalSource({ path: file, cacheDir: null }), {
      tz: "UTC",
      thresholdW: 100,
      maxPowerW: 15_000,
      elecIntervalMs: 60_000,
      hpIntervalMs: 300_000,
      cacheDir: null,
      now: () => Date.parse("2026-02-01T00:00:00Z"),
    });
    const [first, second] = await engine.dailyRows("2026-01-05", "2026-01-06");
    // The data begins with the first day: its first readings have no step before them, (60 - 60 / 288)
    // kWh of heat over (24 - 1 / 60) kWh = 2.493.
    expect(first).toMatchObject({ boundary: "H2", backup_elec_kwh: null, cop: 2.493, cop_system: null });
    // The first reading of the day has no step before it: 1439 steps of 500/60 Wh = 11.9917 kWh.
    // Heat 60 + 11.9917; electricity 24 + 11.9917: 71.9917 / 35.9917 = 2.0002.
    expect(second).toMatchObject({
      boundary: "H3",
      backup_elec_kwh: 11.9917,
      heat_system_kwh: 71.9917,
      cop: 2.5,
      cop_system: 2,
    });
    const week = await engine.report({ kind: "week", id: "2026-W02" });
    expect(week.metering).toEqual({
      code: "H3",
      roles: ["heatpump", "backup"],
      text: "H3: heat pump and backup heater metered",
    });
    const day = await engine.report({ kind: "day", id: "2026-01-05" });
    expect(day.metering.code).toBe("H2");
    await engine.close();
  });
});
