/**
 * The house fit (house-fit.ts) on a simulated heating season, against the simulator's own house.
 * A minute of simulation and a whole season through the engine: apart from the hand-made cases
 * (house-fit.test.ts) so that mutation testing can leave it out.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_HOUSE, heatDemandW } from "../../../collector/simulator/house.ts";
import { historyChunks } from "../../../collector/simulator/history.ts";
import { createReports } from "../../src/index.ts";

describe("house fit on a simulated heating season", () => {
  it("finds the simulator's house: heat loss within 10 % of 140 W/K, design load within 15 % of 4080 W", async () => {
    // The simulator's house (collector/simulator/house.ts): 140 W/K with 400 W of gains, so
    // 140 * (20 - -12) - 400 = 4080 W at -12 °C.
    expect(DEFAULT_HOUSE.heatLossWPerK).toBe(140);
    expect(heatDemandW(DEFAULT_HOUSE, -12)).toBe(4080);
    // The season as `npm run simulate -- history` writes it; the fit reads heat pump data only, so
    // the 10 s electric lines are left out of the file (they would only make it 25 times larger).
    const dir = mkdtempSync(join(tmpdir(), "reports-house-season-"));
    const file = join(dir, "season.lp");
    let text = "";
    for (const chunk of historyChunks({ days: 365, end: "2026-06-30", seed: 1, tz: "Europe/Berlin" }))
      for (const line of chunk.split("\n")) if (line.startsWith("heatpump")) text += line + "\n";
    writeFileSync(file, text);
    const reports = createReports({
      env: { LOCAL_SOURCE: file, DATA_DIR: join(dir, "data"), REPORT_TZ: "Europe/Berlin" },
      now: () => Date.parse("2026-07-15T12:00:00Z"),
      noDiskCache: true,
    });
    const season = await reports.report({ kind: "season", id: "2025-26" });
    expect(season.house_fit_days).toBeGreaterThan(200);
    expect(Math.abs(season.heat_loss_w_per_k! - 140) / 140).toBeLessThan(0.1);
    expect(Math.abs(season.design_load_w! - 4080) / 4080).toBeLessThan(0.15);
    // The balance point: where 140 W/K meets the 400 W of gains, 20 - 400 / 140 = 17.1 °C.
    expect(Math.abs(season.balance_point_c! - (20 - 400 / 140))).toBeLessThan(1.5);
    expect(season.house_fit_r2).toBeGreaterThan(0.95);
  }, 180_000);
});
