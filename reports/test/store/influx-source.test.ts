/**
 * The InfluxDB store against the Flux stand-in (helpers/flux-stand-in), on steady hand-made days
 * (helpers/steady-days.ts: 500 W all day, a meter reading a minute, a heat pump reading every 5
 * minutes), in Europe/Berlin (UTC+1 in March before the 29th):
 * - the data's end is the newest point of any series, even when the heat pump stopped days before
 *   the meter;
 * - late points for a day already reported (a journal draining after an outage) are found by the
 *   point counts and the day is computed anew.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createReports } from "../../src/index.ts";
import { InfluxSource } from "../../src/store/influx-source.ts";
import { lines } from "../helpers/hand-data.ts";
import { type InfluxStandIn, startInfluxStandIn } from "../helpers/flux-stand-in/index.ts";
import { steadyDays } from "../helpers/steady-days.ts";

const TZ = "Europe/Berlin";
const days = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    day: `2026-03-${String(from + i).padStart(2, "0")}`,
    powerW: 500,
    heatKwh: 10,
  }));

let standIn: InfluxStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe("InfluxSource on the stand-in", () => {
  it("the data's end: the meter's last point, though the heat pump's data stopped three days earlier", async () => {
    standIn = await startInfluxStandIn({ org: "home", bucket: "heatpump" });
    // 1 to 10 March; the heat pump's readings end with 7 March (local), the meter's with 10 March.
    const hpEnd = Date.parse("2026-03-07T23:00:00Z");
    const points = steadyDays(TZ, days(1, 10)).filter(
      (p) => p.measurement === "electric" || p.timeMs < hpEnd,
    );
    standIn.load(lines(points));
    const source = new InfluxSource({
      url: standIn.url,
      token: standIn.token,
      org: "home",
      bucket: "heatpump",
      tz: TZ,
      now: () => Date.parse("2026-03-12T12:00:00Z"),
    });
    // Local midnight of 1 March is 23:00Z on 28 February; the meter's last reading is 23:59 local
    // on 10 March, 22:59Z.
    expect(await source.extent(0, Date.parse("2026-04-01T00:00:00Z"))).toEqual({
      firstMs: Date.parse("2026-02-28T23:00:00Z"),
      lastMs: Date.parse("2026-03-10T22:59:00Z"),
    });
    // Inside a window that ends before the meter's data, the end is the window's last point.
    expect(await source.extent(0, Date.parse("2026-03-05T00:00:00Z"))).toMatchObject({
      lastMs: Date.parse("2026-03-04T23:59:00Z"),
    });
  });

  it("late points for a closed day: counted again, the day computed anew (6 kWh, then 12)", async () => {
    standIn = await startInfluxStandIn({ org: "home", bucket: "heatpump" });
    // 9 to 11 March; of the 10th only the morning (to 12:00 local, 11:00Z) at first.
    const lateFrom = Date.parse("2026-03-10T11:00:00Z");
    const lateTo = Date.parse("2026-03-10T23:00:00Z");
    const all = steadyDays(TZ, days(9, 11));
    const late = (t: number) => t >= lateFrom && t < lateTo;
    standIn.load(lines(all.filter((p) => !late(p.timeMs))));
    const dir = mkdtempSync(join(tmpdir(), "reports-influx-late-"));
    let nowMs = Date.parse("2026-03-12T12:00:00Z");
    const reports = createReports({
      env: {
        INFLUX_URL: standIn.url,
        INFLUX_TOKEN: standIn.token,
        INFLUX_ORG: "home",
        INFLUX_BUCKET: "heatpump",
        REPORT_TZ: TZ,
        DATA_DIR: dir,
      },
      now: () => nowMs,
    });
    try {
      // 12 hours at 500 W: 6 kWh.
      const before = await reports.report({ kind: "day", id: "2026-03-10" });
      expect(before.rows[0]).toMatchObject({ closed: true, elec_kwh: 6 });
      standIn.load(lines(all.filter((p) => late(p.timeMs))));
      // An hour later: the engine's next cycle asks the store again.
      nowMs += 3_600_000;
      // The whole day now: 24 hours at 500 W.
      const after = await reports.report({ kind: "day", id: "2026-03-10" });
      expect(after.rows[0]).toMatchObject({ closed: true, elec_kwh: 12 });
    } finally {
      await reports.close();
    }
  });
});
