/**
 * The simulator's whole-system physics: the backup heater below -7 °C, the weekly legionella cycle,
 * the cooling week, the room sensor, the compressor speed, and the tags of the history lines.
 */
import { describe, expect, it } from "vitest";
import { parseLine, type ParsedLine } from "../../../core/src/data/line-protocol.ts";
import { featuresResponse } from "../../simulator/features.ts";
import { ROD_W } from "../../simulator/heatpump.ts";
import { historyChunks } from "../../simulator/history.ts";
import { VIESSMANN_IDS } from "../../simulator/ids.ts";
import { LEGIONELLA_C, Model } from "../../simulator/model.ts";
import { mapHeatpump, parseFeaturesBody } from "../../src/sources/viessmann/parse.ts";
import { dayOf, dayStartMs, offsetMs } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";
const STEP_S = 10;
/** Wh of one 10 s step at 1 W. */
const WH_PER_W_STEP = STEP_S / 3600;

interface Step {
  backupW: number;
  rodW: number;
  immersionW: number;
  heatW: number;
  mode: string;
  running: boolean;
  localDay: number;
  localHour: number;
}

/** Steps `m` for `days` days, calling `seen` at every instant (before integrating its step). */
function run(m: Model, days: number, seen: (m: Model) => void): void {
  const end = m.t + days * 86_400_000;
  while (m.t < end) {
    seen(m);
    m.integrate(STEP_S);
    m.update(m.t + STEP_S * 1000, STEP_S);
  }
}

const snapshot = (m: Model): Step => ({
  backupW: m.backupW,
  rodW: m.rodW,
  immersionW: m.immersionW,
  heatW: m.heatW,
  mode: m.mode,
  running: m.compressorOn,
  localDay: m.localDay,
  localHour: m.localHour,
});

// Monday 12 January 2026, local midnight: no Sunday (no legionella cycle) in the next two days.
const MONDAY = dayStartMs(TZ, "2026-01-12");

describe("the backup heater (heating rod in the flow)", () => {
  it.each([
    [-6.9, false],
    [-7.1, true],
  ])("at a constant %d °C outside it is %s", (outside, on) => {
    const m = new Model({ seed: 3, tz: TZ, startMs: MONDAY, outside: () => outside });
    const backup0 = m.backupEnergyWh;
    const rod0 = m.rodStarts;
    let onSteps = 0;
    let starts = 0;
    let prev = 0;
    run(m, 2, (s) => {
      expect([0, ROD_W]).toContain(s.backupW);
      if (s.backupW > 0) {
        // Only while the compressor heats the house (not hot water, not standing).
        expect(s.compressorOn && s.mode === "heating" && !s.defrosting).toBe(true);
        onSteps++;
        if (prev === 0) starts++;
      }
      prev = s.backupW;
    });
    if (on) {
      expect(onSteps).toBeGreaterThan(60); // at least ten minutes in two days at -7.1 °C
      expect(starts).toBeGreaterThan(0);
    } else {
      expect(onSteps).toBe(0);
    }
    // Its meter: 2000 W x 10 s = 5.556 Wh a step on, nothing else (no Sunday, so no legionella cycle).
    expect(m.backupEnergyWh - backup0).toBeCloseTo(onSteps * ROD_W * WH_PER_W_STEP, 6);
    // The device's own statistics count its starts.
    expect(m.rodStarts - rod0).toBe(starts);
  });

  it("its heat shows in flow x spread but not in the compressor's heat counter", () => {
    const m = new Model({ seed: 3, tz: TZ, startMs: MONDAY, outside: () => -9 });
    let checked = 0;
    run(m, 1, (s) => {
      const step = snapshot(s);
      if (step.rodW > 0) {
        // Flow x spread: 1.163 Wh/(l K) x l/h x K = compressor heat + the rod's 2000 W.
        const fxs = 1.163 * s.flowLph * (s.flowC - s.returnC);
        expect(fxs).toBeCloseTo(step.heatW + ROD_W, 6);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(10);
  });

  it("keeps the rod's electricity out of the compressor's heat counter, in a day counter of its own", () => {
    const m = new Model({ seed: 3, tz: TZ, startMs: MONDAY + 3_600_000, outside: () => -9 });
    let compressorWh = 0;
    let rodWh = 0;
    const heat0 = m.counters.today.heatHeatingWh;
    const rod0 = m.counters.today.rodHeatingWh;
    run(m, 0.5, (s) => {
      if (s.mode === "heating" && s.heatW > 0) compressorWh += s.heatW * WH_PER_W_STEP;
      rodWh += s.rodW * WH_PER_W_STEP;
    });
    expect(rodWh).toBeGreaterThan(0);
    expect(m.counters.today.heatHeatingWh - heat0).toBeCloseTo(compressorWh, 6);
    expect(m.counters.today.rodHeatingWh - rod0).toBeCloseTo(rodWh, 6);
  });
});

describe("the weekly legionella cycle", () => {
  it("runs once a week, Sundays from 14:00, takes the cylinder to 60 °C on the backup meter", () => {
    // Monday 5 to Tuesday 20 January 2026 at a mild 3 °C (no rod): Sundays 11 and 18 January.
    const m = new Model({ seed: 4, tz: TZ, startMs: dayStartMs(TZ, "2026-01-05"), outside: () => 3 });
    const cycles: { date: string; hour: number; wh: number; peakC: number }[] = [];
    let backupBefore = m.backupEnergyWh;
    run(m, 15, (s) => {
      if (s.immersionW > 0 && (cycles.length === 0 || cycles.at(-1)!.date !== dayOf(TZ, s.t))) {
        cycles.push({ date: dayOf(TZ, s.t), hour: s.localHour, wh: 0, peakC: 0 });
        backupBefore = s.backupEnergyWh;
      }
      const c = cycles.at(-1);
      if (c && c.date === dayOf(TZ, s.t)) {
        c.peakC = Math.max(c.peakC, s.tankC);
        c.wh = s.backupEnergyWh - backupBefore;
      }
      expect(s.rodW).toBe(0);
    });
    expect(cycles.map((c) => c.date)).toEqual(["2026-01-11", "2026-01-18"]);
    for (const c of cycles) {
      expect(c.hour).toBe(14); // the first step of 14:00 local
      expect(c.peakC).toBeGreaterThanOrEqual(LEGIONELLA_C);
      // From about 48 °C: 12 K x 232.6 Wh/K = 2791 Wh, plus standing losses; at most 3 h x 3 kW = 9 kWh.
      expect(c.wh).toBeGreaterThan(2500);
      expect(c.wh).toBeLessThan(9000);
      // 3000 W x 10 s = 8.333 Wh a step: the meter counts whole steps.
      expect((c.wh / (3000 * WH_PER_W_STEP)) % 1).toBeCloseTo(0, 6);
    }
  });
});

describe("the cooling week (15 to 21 July)", () => {
  const m = new Model({ seed: 2, tz: TZ, startMs: dayStartMs(TZ, "2026-07-13") });
  const byDate = new Map<string, { cooling: number; steps: number; heatingWh: number; coolingWh: number }>();
  let coolingSteps = 0;
  let elecWhWhileCooling = 0;
  const features: Record<string, number | undefined> = {};
  run(m, 11, (s) => {
    const date = dayOf(TZ, s.t);
    let d = byDate.get(date);
    if (!d) byDate.set(date, (d = { cooling: 0, steps: 0, heatingWh: 0, coolingWh: 0 }));
    d.steps++;
    if (s.coolingWeek) d.cooling++;
    d.heatingWh = s.counters.today.heatHeatingWh;
    d.coolingWh = s.counters.today.coolingWh;
    if (s.mode === "cooling") {
      coolingSteps++;
      expect(s.flowC).toBeLessThan(s.returnC);
      expect(s.heatW).toBeLessThan(0);
      elecWhWhileCooling += s.totalW * WH_PER_W_STEP;
      if (features[date] === undefined)
        features[date] = mapHeatpump(
          parseFeaturesBody(featuresResponse(s, VIESSMANN_IDS, "http://x")),
        ).cooling_active;
    }
  });

  it("sets the circuit to cool on exactly those local days", () => {
    const cooling = [...byDate]
      .filter(([, d]) => d.cooling > 0)
      .map(([date, d]) => [date, d.cooling === d.steps]);
    expect(cooling).toEqual([
      ["2026-07-15", true],
      ["2026-07-16", true],
      ["2026-07-17", true],
      ["2026-07-18", true],
      ["2026-07-19", true],
      ["2026-07-20", true],
      ["2026-07-21", true],
    ]);
  });

  it("cools with the flow below the return, counts no space heating, meters the electricity", () => {
    expect(coolingSteps).toBeGreaterThan(360); // at least an hour of cooling in the week
    for (const [date, d] of byDate) {
      if (date >= "2026-07-15" && date <= "2026-07-21") expect(d.heatingWh).toBe(0);
    }
    expect([...byDate.values()].reduce((a, d) => a + d.coolingWh, 0)).toBeGreaterThan(1000);
    expect(elecWhWhileCooling).toBeGreaterThan(100);
  });

  it("reads as cooling_active = 1 through the collector's parser while it cools", () => {
    expect(Object.values(features).length).toBeGreaterThan(0);
    for (const v of Object.values(features)) expect(v).toBe(1);
    // And 0 after the week (program normalHeating, demand heating).
    expect(
      mapHeatpump(parseFeaturesBody(featuresResponse(m, VIESSMANN_IDS, "http://x"))).cooling_active,
    ).toBe(0);
  });
});

function lines(opts: Parameters<typeof historyChunks>[0]): ParsedLine[] {
  const out: ParsedLine[] = [];
  for (const chunk of historyChunks(opts))
    for (const l of chunk.split("\n")) {
      const p = parseLine(l);
      if (p) out.push(p);
    }
  return out;
}

describe("history lines", () => {
  const jan = lines({ days: 2, end: "2026-01-07", seed: 1, tz: TZ, home: "casa-1" });

  it("carry the home on every point and a role on every meter point", () => {
    expect(jan.length).toBe(2 * (2 * 8640 + 2 * 288));
    for (const p of jan) expect(p.tags.home).toBe("casa-1");
    const roles = new Map<string, number>();
    for (const p of jan.filter((p) => p.measurement === "electric"))
      roles.set(p.tags.role!, (roles.get(p.tags.role!) ?? 0) + 1);
    expect(Object.fromEntries(roles)).toEqual({ heatpump: 2 * 8640, backup: 2 * 8640 });
    const backup = jan.find((p) => p.tags.role === "backup")!;
    expect(Object.keys(backup.fields)).toEqual(["power_w", "energy_wh"]);
  });

  it("default to the home `home`", () => {
    const one = lines({ days: 1, end: "2026-01-07", seed: 1, tz: TZ });
    expect(new Set(one.map((p) => p.tags.home))).toEqual(new Set(["home"]));
  });

  it("the backup meter's counter is the integral of its power readings", () => {
    const b = jan.filter((p) => p.tags.role === "backup");
    let integral = 0;
    for (let i = 0; i + 1 < b.length; i++) integral += ((b[i]!.fields.power_w as number) * STEP_S) / 3600;
    const counted = (b.at(-1)!.fields.energy_wh as number) - (b[0]!.fields.energy_wh as number);
    // 6 and 7 January 2026 with seed 1 reach -11 °C: the rod ran.
    expect(counted).toBeGreaterThan(1000);
    // Readings carry 0.3 % gain noise.
    expect(Math.abs(integral / counted - 1)).toBeLessThan(0.005);
  });

  it("write room_c, cooling_active and the compressor speed (0 exactly when it stands)", () => {
    const hp = jan.filter((p) => p.measurement === "heatpump");
    for (const p of hp) {
      const f = p.fields as Record<string, number>;
      expect(f.room_c).toBeGreaterThan(19.3);
      expect(f.room_c).toBeLessThan(21.5);
      expect(f.cooling_active).toBe(0);
      if (f.compressor_on === 0) expect(f.compressor_speed_rps).toBe(0);
      // Between the 15 rps floor and the inverter power over 39 W (8.5 kW at most: 218 rps).
      else expect(f.compressor_speed_rps).toBeGreaterThanOrEqual(15);
    }
  });

  it("room_c is a little lower on a very cold day, higher in the cooling week", () => {
    const mean = (ps: ParsedLine[]) => ps.reduce((a, p) => a + (p.fields.room_c as number), 0) / ps.length;
    const hp = (ps: ParsedLine[]) => ps.filter((p) => p.measurement === "heatpump");
    const cold = hp(jan).filter((p) => dayOf(TZ, p.timeMs) === "2026-01-06"); // -10 to -6 °C
    const mild = hp(lines({ days: 1, end: "2026-04-10", seed: 1, tz: TZ }));
    const july = hp(lines({ days: 1, end: "2026-07-17", seed: 1, tz: TZ }));
    expect(mean(cold)).toBeLessThan(mean(mild));
    expect(mean(cold)).toBeGreaterThan(19.5);
    expect(mean(mild)).toBeGreaterThan(20);
    expect(mean(mild)).toBeLessThan(21.5);
    // Cooling set point 24 °C, sun +-0.3 K, lagging cooling up to +1 K.
    expect(mean(july)).toBeGreaterThan(23.5);
    expect(mean(july)).toBeLessThan(25);
    for (const p of july) expect(p.fields.cooling_active).toBe(1);
    // Local noon of 17 July is in the week; offsetMs keeps the helper honest about the zone.
    expect(offsetMs(TZ, july[0]!.timeMs)).toBe(2 * 3_600_000);
  });
});
