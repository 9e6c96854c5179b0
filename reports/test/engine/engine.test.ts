import { mkdtempSync, writeFileSync, mkdirSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createReports } from "../../src/index.ts";
import { createEngine } from "../../src/engine/engine.ts";
import { LocalSource } from "../../src/store/local-source.ts";
import { lines, march, october } from "../helpers/hand-data.ts";

const NOW = Date.parse("2026-11-01T12:00:00Z");
const tmp = () => mkdtempSync(join(tmpdir(), "reports-engine-"));

function setup() {
  const dir = tmp();
  const file = join(dir, "history.lp");
  writeFileSync(file, lines([...march(), ...october()]));
  const env = { LOCAL_SOURCE: file, DATA_DIR: join(dir, "data"), REPORT_TZ: "Europe/Berlin" };
  return { dir, file, env, reports: createReports({ env, now: () => NOW }) };
}

describe("daily rows over hand-computed local data (Europe/Berlin)", () => {
  it("DST start day (23 h): energy, reset, rollover, running/standby, starts, COP, means, coverage", async () => {
    const { reports } = setup();
    const [row] = await reports.dailyRows("2026-03-29", "2026-03-29");
    expect(row).toMatchObject({
      day: "2026-03-29",
      start: "2026-03-28T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
      hours: 23,
      closed: true,
      // 1080 running steps of 10 s at 1200 W = 3.6 kWh; 7200 standby steps at 60 W = 1.2 kWh;
      // the counter reset at 12:00Z counts its new value.
      elec_kwh: 4.8,
      elec_method: "counter",
      running_elec_kwh: 3.6,
      standby_elec_kwh: 1.2,
      running_hours: 3,
      starts: 2,
      mean_run_min: 90,
      // heating 20 -> 0 at local midnight (rollover), then 36 steps of 0.2; hot water 3 -> 0 -> 1.
      heat_heating_kwh: 7.2,
      heat_dhw_kwh: 1,
      heat_kwh: 8.2,
      elec_vendor_heating_kwh: 1.8,
      elec_vendor_dhw_kwh: 0.5,
      elec_vendor_kwh: 2.3,
      cop: Math.round((8.2 / 4.8) * 1000) / 1000,
      cop_vendor: Math.round((8.2 / 2.3) * 1000) / 1000,
      cop_running: Math.round((8.2 / 3.6) * 1000) / 1000,
      starts_vendor: 2,
      outside_mean_c: 5,
      // Weighted by the heat counters' step into each sample: (7.2 * 40 + 1 * 50) / 8.2.
      flow_mean_c: Math.round(((7.2 * 40 + 50) / 8.2) * 100) / 100,
      flow_weighting: "heat",
      coverage_elec_pct: 100,
      coverage_hp_pct: 100,
      viessmann_calls: 42,
    });
  });

  it("one bad counter reading (a 0, or 100 Wh low) is an outlier: the day keeps its energy and counts it", async () => {
    for (const bad of [() => 0, (e: number) => e - 100]) {
      const dir = tmp();
      const file = join(dir, "history.lp");
      const at = Date.parse("2026-03-29T08:00:00Z");
      const points = [...march(), ...october()].map((p) =>
        p.measurement === "electric" && p.timeMs === at
          ? { ...p, fields: { ...p.fields, energy_wh: bad(p.fields.energy_wh as number) } }
          : p,
      );
      writeFileSync(file, lines(points));
      const reports = createReports({
        env: { LOCAL_SOURCE: file, DATA_DIR: join(dir, "data"), REPORT_TZ: "Europe/Berlin" },
        now: () => NOW,
      });
      const [row] = await reports.dailyRows("2026-03-29", "2026-03-29");
      // As in the undamaged day (4.8 kWh, hand-computed above).
      expect(row).toMatchObject({ elec_kwh: 4.8, outliers: 1 });
      const month = await reports.report({ kind: "month", id: "2026-03" });
      expect(month.outliers).toBe(1);
      expect(month.elec_kwh).toBeLessThan(10);
    }
  });

  it("a gap and a day without heat pump data: half coverage, heat and COP null, never 0", async () => {
    const { reports } = setup();
    const [row] = await reports.dailyRows("2026-03-30", "2026-03-30");
    expect(row).toMatchObject({
      hours: 24,
      elec_kwh: 0.72,
      coverage_elec_pct: 50,
      coverage_hp_pct: 0,
      heat_kwh: null,
      cop: null,
      cop_vendor: null,
      outside_mean_c: null,
      flow_mean_c: null,
      flow_weighting: null,
      viessmann_calls: null,
      starts: 0,
    });
  });

  it("DST end day (25 h) with zero electricity: COP null, not Infinity", async () => {
    const { reports } = setup();
    const [row] = await reports.dailyRows("2026-10-25", "2026-10-25");
    expect(row).toMatchObject({
      start: "2026-10-24T22:00:00.000Z",
      end: "2026-10-25T23:00:00.000Z",
      hours: 25,
      elec_kwh: 0,
      heat_kwh: 1,
      heat_heating_kwh: null,
      cop: null,
      cop_running: null,
      running_hours: 0,
      mean_run_min: null,
      coverage_elec_pct: 100,
      coverage_hp_pct: 100,
    });
  });

  it("a day with no data at all has null values and zero coverage", async () => {
    const { reports } = setup();
    const [row] = await reports.dailyRows("2026-06-01", "2026-06-01");
    expect(row).toMatchObject({
      elec_kwh: null,
      heat_kwh: null,
      cop: null,
      coverage_elec_pct: 0,
      coverage_hp_pct: 0,
      starts: null,
    });
  });

  it("week roll-up: energies summed, COP from the sums over days with both sides, coverage by hours", async () => {
    const { reports } = setup();
    const rep = await reports.report({ kind: "week", id: "2026-W13" });
    expect(rep.label).toBe("Week 13, 2026");
    expect(rep.rows.map((r) => r.day)).toEqual([
      "2026-03-23",
      "2026-03-24",
      "2026-03-25",
      "2026-03-26",
      "2026-03-27",
      "2026-03-28",
      "2026-03-29",
    ]);
    const sat = rep.rows[5]!;
    expect(rep.elec_kwh).toBeCloseTo((sat.elec_kwh ?? 0) + 4.8, 3);
    expect(rep.heat_kwh).toBe(8.2);
    // Saturday has electricity (the hour before midnight) but no heat: it is left out of the COP.
    expect(rep.cop).toBeCloseTo(8.2 / 4.8, 3);
    expect(rep.days).toBe(7);
    expect(rep.days_with_data).toBe(2);
    expect(rep.next).toBe("2026-W14");
    expect(rep.prev).toBeNull();
    // Every report states its metering, the week's too.
    expect(rep.metering.code).toBe("H2");
  });

  it("season report: SPF with the meter boundary, months, curve", async () => {
    const { reports } = setup();
    const rep = await reports.report({ kind: "season", id: "2025-26" });
    expect(rep.label).toBe("Heating season 2025/26");
    // The boundary from the meters with data (a store from before roles: the heat pump's alone).
    expect(rep.metering).toEqual({ code: "H2", roles: ["heatpump"], text: "H2: heat pump metered" });
    expect(rep.cop_system).toBeNull();
    expect(rep.months?.map((m) => m.id)).toContain("2026-03");
    expect(rep.heat_kwh).toBe(8.2);
    expect(rep.next).toBe("2026-27");
    const next = await reports.report({ kind: "season", id: "2026-27" });
    expect(next.curve).toEqual({ slope: 0.6, shift: 2 });
    expect(next.prev).toBe("2025-26");
    expect(next.heat_kwh).toBe(1);
  });

  it("warm cycle reads nothing for closed, unchanged days; late data recomputes the days it touches", async () => {
    const dir = tmp();
    const src = join(dir, "journal");
    mkdirSync(src);
    writeFileSync(join(src, "0001.lp"), lines(march()));
    let reads = 0;
    const make = () => {
      const raw = new LocalSource({ path: src, cacheDir: join(dir, "cache") });
      const orig = raw.samples.bind(raw);
      raw.samples = (a: number, b: number) => {
        reads++;
        return orig(a, b);
      };
      return createEngine(raw, {
        tz: "Europe/Berlin",
        thresholdW: 100,
        maxPowerW: 15_000,
        elecIntervalMs: 10_000,
        hpIntervalMs: 300_000,
        cacheDir: join(dir, "cache"),
        now: () => NOW,
      });
    };
    const first = await make().dailyRows("2026-03-28", "2026-03-31");
    expect(reads).toBe(1);
    reads = 0;
    // A new process (fresh engine) finds the rows and the byte index on disk.
    expect(await make().dailyRows("2026-03-28", "2026-03-31")).toEqual(first);
    expect(reads).toBe(0);
    // A journal replay adds heat pump data to the 30th: only that day (and its neighbour whose
    // look-back window overlaps) is recomputed.
    appendFileSync(
      join(src, "0002.lp"),
      lines([
        {
          measurement: "heatpump",
          tags: {},
          fields: { heat_heating_day_kwh: 0.5 },
          timeMs: Date.parse("2026-03-30T06:00:00Z"),
        },
      ]) +
        lines([
          {
            measurement: "heatpump",
            tags: {},
            fields: { heat_heating_day_kwh: 1.5 },
            timeMs: Date.parse("2026-03-30T07:00:00Z"),
          },
        ]),
    );
    const e = make();
    const after = await e.dailyRows("2026-03-28", "2026-03-31");
    expect(reads).toBe(1);
    expect(after[2]!.heat_kwh).toBe(1.5 - 0 + 0); // rollover from 7.2 to 0.5 counts 0.5, then +1.0
    expect(after[1]).toEqual(first[1]);
  });

  it("status: latest values with their age, stale sources, curve", async () => {
    const { reports } = setup();
    const nowMs = Date.parse("2026-10-25T23:30:00Z");
    const s = await reports.status(nowMs);
    expect(s.power_w).toMatchObject({ value: 0, unit: "W", ageS: 30 * 60 + 10 });
    expect(s.outside_c.value).toBe(10);
    expect(s.stale.map((x) => x.source).sort()).toEqual(["shelly", "viessmann"]);
    expect(s.cop_now.value).toBeNull();
    expect(s.curve).toEqual({ slope: 0.6, shift: 2 });
  });

  it("five-minute buckets of the 23-hour day: heat from the day counters in W, COP per bucket", async () => {
    const { reports } = setup();
    const b = await reports.dayBuckets("2026-03-29");
    expect(b.startMs).toBe(Date.parse("2026-03-28T23:00:00Z"));
    expect(b.values.power_w).toHaveLength(276);
    // 0.2 kWh of heating per 5 min while running (the first two hours): 200 Wh / (5/60 h) = 2400 W,
    // over 1200 W for 5 min (100 Wh): COP 2. Then standby at 60 W: no heat, no COP.
    expect(b.values.heat_w.slice(0, 24)).toEqual(Array(24).fill(2400));
    expect(b.values.cop.slice(0, 24)).toEqual(Array(24).fill(2));
    expect(b.values.power_w[0]).toBe(1200);
    expect(b.values.power_w[30]).toBe(60);
    expect(b.values.heat_w[30]).toBe(0);
    expect(b.values.cop[30]).toBeNull();
    // The last bucket has no interval that ends inside the day: unknown, not 0.
    expect(b.values.heat_w[275]).toBeNull();
    expect(b.values.outside_c.slice(0, 2)).toEqual([4, 6]);
  });

  it("series: from the buckets of the days the window covers; gaps where data stops", async () => {
    const { reports } = setup();
    const start = Date.parse("2026-03-29T22:00:00Z");
    const s = await reports.series(start, start + 86_400_000);
    // Electricity until 10:00Z: 12 hours of five-minute buckets; no heat pump data that day.
    expect(s.power_w).toHaveLength(144);
    expect(s.power_w!.at(-1)!.t).toBe(Date.parse("2026-03-30T09:55:00Z"));
    expect(s.outside_c).toEqual([]);
    const across = await reports.series(
      Date.parse("2026-03-29T20:00:00Z"),
      Date.parse("2026-03-30T02:00:00Z"),
    );
    expect(across.power_w).toHaveLength(72);
    expect(across.power_w!.some((p) => p.v === null)).toBe(false);
    // Heat pump data stops at the end of the 29th (21:55Z): its last bucket, then nothing.
    expect(across.flow_c!.at(-1)!.t).toBe(Date.parse("2026-03-29T21:55:00Z"));
  });

  it("extent: first and last local day with data", async () => {
    const { reports } = setup();
    expect(await reports.extent()).toEqual({ first: "2026-03-28", last: "2026-10-25" });
  });
});
