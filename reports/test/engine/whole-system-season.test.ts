/**
 * The whole system, end to end: the simulator's history with a backup-heater meter (the rod helps
 * below -7 °C, the immersion heater's legionella cycle on Sundays) and its cooling week, read by the
 * local store and the engine, against sums worked out here from the raw lines with nothing of the
 * engine: the heat pump's COP and the system's COP of the season within 1 %, and cooling kept out
 * of the heating COP.
 *
 * By hand, per local day: heat = the last reading of the device's day counters (heating + hot
 * water; they restart at 0 at the device's midnight), electricity = the growth of a meter's
 * `energy_wh` between the last readings of two consecutive days. The backup heater's heat equals
 * its electricity (a resistance heater). Season: COP = Σ heat / Σ heat pump electricity; system COP
 * = (Σ heat + Σ backup) / (Σ heat pump + Σ backup).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { createReports } from "../../src/index.ts";

const TZ = "Europe/Berlin";

interface Line {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number>;
  t: number;
}

/** The simulator's lines: no spaces or commas inside its tag values, numbers only (`i` integers). */
function parse(file: string): Line[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [head, body, ns] = l.split(" ");
      const [measurement, ...tags] = head!.split(",");
      const fields: Record<string, number> = {};
      for (const kv of body!.split(",")) {
        const [k, v] = kv.split("=");
        fields[k!] = Number(v!.replace(/i$/, ""));
      }
      return {
        measurement: measurement!,
        tags: Object.fromEntries(tags.map((kv) => kv.split("="))),
        fields,
        t: Number(ns!.slice(0, -6)),
      };
    });
}

const localDay = (t: number) => new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(t);

/** Last value of a field per local day, from lines in time order. */
function lastPerDay(lines: Line[], pick: (l: Line) => number | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    const v = pick(l);
    if (v !== undefined && !Number.isNaN(v)) out.set(localDay(l.t), v);
  }
  return out;
}

function handSums(lines: Line[]) {
  const sorted = [...lines].sort((a, b) => a.t - b.t);
  const hp = sorted.filter((l) => l.measurement === "heatpump");
  const meter = (role: string) =>
    sorted.filter((l) => l.measurement === "electric" && (l.tags.role ?? "heatpump") === role);
  const heat = lastPerDay(hp, (l) =>
    l.fields.heat_heating_day_kwh === undefined
      ? undefined
      : l.fields.heat_heating_day_kwh + (l.fields.heat_dhw_day_kwh ?? 0),
  );
  // Growth of a meter's counter over the whole history: last reading minus first (kWh).
  const growth = (role: string) => {
    const m = meter(role).filter((l) => l.fields.energy_wh !== undefined);
    return (m.at(-1)!.fields.energy_wh! - m[0]!.fields.energy_wh!) / 1000;
  };
  return {
    heat: [...heat.values()].reduce((a, b) => a + b, 0),
    elec: growth("heatpump"),
    backup: growth("backup"),
    days: heat.size,
  };
}

describe("a simulated winter with backup-heater days: the season's COPs against a hand computation", () => {
  let file: string;
  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), "whole-system-")), "winter.lp");
    // 10..24 January 2026: the rod helps on the cold days of 14 and 17-23 January, the immersion
    // heater's legionella cycle runs on Sunday 11 and 18 January.
    await writeHistory({ days: 15, end: "2026-01-24", seed: 42, out: file, tz: TZ });
  }, 60_000);

  it("heat pump COP and system COP within 1 %, with the backup heater's kWh and share", async () => {
    const hand = handSums(parse(file));
    expect(hand.days).toBe(15);
    // The history has the backup heater at work: several kWh over the fortnight.
    expect(hand.backup).toBeGreaterThan(10);
    const r = createReports({
      env: { LOCAL_SOURCE: file, DATA_DIR: join(file, "..", "data"), REPORT_TZ: TZ },
      now: () => Date.parse("2026-02-10T12:00:00Z"),
    });
    const season = await r.report({ kind: "season", id: "2025-26" });
    await r.close();

    const copHand = hand.heat / hand.elec;
    const systemHand = (hand.heat + hand.backup) / (hand.elec + hand.backup);
    expect(Math.abs(season.cop! / copHand - 1)).toBeLessThan(0.01);
    expect(Math.abs(season.cop_system! / systemHand - 1)).toBeLessThan(0.01);
    expect(Math.abs(season.backup_elec_kwh! / hand.backup - 1)).toBeLessThan(0.01);
    // The backup heater lowers the system's COP below the heat pump's.
    expect(season.cop_system!).toBeLessThan(season.cop!);
    const share = (100 * hand.backup) / (hand.heat + hand.backup);
    expect(Math.abs(season.backup_share_pct! - share)).toBeLessThan(0.5);
    expect(season.metering.code).toBe("H3");
    expect(season.cooling_kwh).toBeNull();
  });
});

describe("a cooling week: cooling never enters the heating COP", () => {
  let file: string;
  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), "whole-system-")), "summer.lp");
    // 12..24 July 2025: the cooling week is 15..21 July.
    await writeHistory({ days: 13, end: "2025-07-24", seed: 42, out: file, tz: TZ });
  }, 60_000);

  it("the heating COP leaves the cooling intervals' electricity out; cooling has its own EER", async () => {
    const lines = parse(file).sort((a, b) => a.t - b.t);
    const hand = handSums(lines);
    // By hand, the heat pump meter's electricity inside cooling intervals: an interval runs from one
    // heat pump reading to the next and is cooling when the reading at its start says cooling_active
    // = 1 while no hot water is made and no defrost runs.
    const hp = lines.filter((l) => l.measurement === "heatpump");
    const elec = lines.filter(
      (l) => l.measurement === "electric" && l.tags.role === "heatpump" && l.fields.energy_wh !== undefined,
    );
    let coolingWh = 0;
    let j = 0;
    for (let i = 0; i + 1 < hp.length; i++) {
      const a = hp[i]!;
      const cooling = a.fields.cooling_active === 1 && a.fields.dhw_active !== 1 && a.fields.defrosting !== 1;
      const t1 = hp[i + 1]!.t;
      while (j < elec.length && elec[j]!.t <= a.t) j++;
      let prev = elec[j - 1];
      for (let k = j; k < elec.length && elec[k]!.t <= t1; k++) {
        if (cooling && prev) coolingWh += elec[k]!.fields.energy_wh! - prev.fields.energy_wh!;
        prev = elec[k];
      }
    }
    const coolingKwh = coolingWh / 1000;
    // The week's cooling ran the compressor for real.
    expect(coolingKwh).toBeGreaterThan(5);

    const r = createReports({
      env: { LOCAL_SOURCE: file, DATA_DIR: join(file, "..", "data"), REPORT_TZ: TZ },
      now: () => Date.parse("2025-08-10T12:00:00Z"),
    });
    const season = await r.report({ kind: "season", id: "2025-26" });
    const rows = await r.dailyRows("2025-07-12", "2025-07-24");
    await r.close();

    expect(Math.abs(season.cooling_elec_kwh! / coolingKwh - 1)).toBeLessThan(0.01);
    const copHand = hand.heat / (hand.elec - coolingKwh);
    expect(Math.abs(season.cop! / copHand - 1)).toBeLessThan(0.01);
    // Counting the cooling electricity would have lowered the COP by more than the tolerance.
    expect(hand.heat / hand.elec / copHand).toBeLessThan(0.99);
    expect(season.eer!).toBeGreaterThan(1);
    // Cooling only inside the cooling week (15..21 July). On the 15th the house was not yet warm
    // enough for the compressor to cool (it ran for hot water only): by the raw lines, its
    // readings with cooling_active = 1 and the compressor on all make hot water, flow above return.
    const week = (d: { day: string }) => d.day >= "2025-07-15" && d.day <= "2025-07-21";
    for (const d of rows.filter((x) => !week(x))) {
      expect(d.cooling_kwh).toBeNull();
      expect(d.cooling_elec_kwh).toBeNull();
    }
    expect(rows.filter((d) => (d.cooling_kwh ?? 0) > 0).map((d) => d.day)).toEqual([
      "2025-07-16",
      "2025-07-17",
      "2025-07-18",
      "2025-07-19",
      "2025-07-20",
      "2025-07-21",
    ]);
  });
});
