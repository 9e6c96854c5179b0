import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historyChunks, writeHistory } from "../../simulator/history.ts";
import type { ParsedLine } from "../../../core/src/data/line-protocol.ts";
import { daily, generate, type Day } from "./daily.ts";
import { dayOf, offsetMs } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";
const DAY_FIELDS = ["heat_heating_day_kwh", "heat_dhw_day_kwh", "elec_heating_day_kwh", "elec_dhw_day_kwh"];

/** Spearman rank correlation. */
function spearman(xs: number[], ys: number[]): number {
  const rank = (v: number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(v.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const rx = rank(xs);
  const ry = rank(ys);
  const n = xs.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (rx[i]! - ry[i]!) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

const field = (p: ParsedLine, name: string) => p.fields[name] as number;

describe("simulated history, a winter spell and mild spring days", () => {
  let lines: ParsedLine[];
  let days: Day[];
  let winter: Day[];
  let mild: Day[];

  beforeAll(() => {
    const w = generate({ days: 21, end: "2026-01-25", seed: 7, tz: TZ });
    const m = generate({ days: 8, end: "2026-04-12", seed: 7, tz: TZ });
    lines = [...w, ...m];
    winter = daily(w, TZ);
    mild = daily(m, TZ);
    days = [...winter, ...mild];
  });

  it("covers whole local days: 8640 readings of each meter and 288 heat pump readings a day", () => {
    expect(winter.map((d) => d.date)).toHaveLength(21);
    expect(winter[0]!.date).toBe("2026-01-05");
    expect(winter.at(-1)!.date).toBe("2026-01-25");
    const electric = (role: string) =>
      lines.filter((p) => p.measurement === "electric" && p.tags.role === role).length;
    expect(electric("heatpump")).toBe(29 * 8640);
    expect(electric("backup")).toBe(29 * 8640);
    for (const d of days) expect(d.heatpumpSamples).toBe(288);
  });

  it("has a daily COP between 2 and 6 that falls on colder days", () => {
    const cops = days.map((d) => d.heatKwh / d.elecKwh);
    for (const c of cops) {
      expect(c).toBeGreaterThan(2);
      expect(c).toBeLessThan(6);
    }
    expect(
      spearman(
        days.map((d) => d.meanOutsideC),
        cops,
      ),
    ).toBeGreaterThan(0.8);
    // The weather actually varied enough for the comparison to mean something.
    const temps = days.map((d) => d.meanOutsideC);
    expect(Math.max(...temps) - Math.min(...temps)).toBeGreaterThan(8);
  });

  it("uses more electricity on colder days", () => {
    expect(
      spearman(
        days.map((d) => d.meanOutsideC),
        days.map((d) => d.elecKwh),
      ),
    ).toBeLessThan(-0.8);
  });

  it("keeps lifetime counters rising", () => {
    const counters: Record<string, string[]> = {
      electric: ["energy_wh", "energy_ret_wh"],
      heatpump: ["compressor_starts", "compressor_hours", "heating_rod_starts", "heating_rod_hours"],
    };
    const last = new Map<string, number>();
    let checked = 0;
    const falls: string[] = [];
    // Each generated run starts its own model; check monotonicity within each run, per meter. A day
    // is 8640 steps of two meter lines plus 2 x 288 five-minute lines: 17856.
    for (const run of [lines.slice(0, 21 * 17856), lines.slice(21 * 17856)]) {
      last.clear();
      for (const p of run) {
        for (const name of counters[p.measurement] ?? []) {
          const v = field(p, name);
          if (v === undefined) continue; // the backup meter has no energy_ret_wh
          const key = `${p.tags.device} ${name}`;
          const prev = last.get(key);
          if (prev !== undefined && v < prev) falls.push(`${key} ${prev} -> ${v} at ${p.timeMs}`);
          last.set(key, v);
          checked++;
        }
      }
    }
    expect(falls).toEqual([]);
    expect(checked).toBeGreaterThan(500_000);
  });

  it("meters energy_wh that matches the integral of power_w within 2 % every day", () => {
    for (const d of days) {
      expect(d.elecKwh).toBeGreaterThan(1);
      expect(Math.abs(d.powerIntegralKwh / d.elecKwh - 1)).toBeLessThan(0.02);
    }
  });

  it("device day counters only fall at local midnight, where they start from zero", () => {
    const hp = lines.filter((p) => p.measurement === "heatpump");
    let drops = 0;
    for (let i = 1; i < hp.length; i++) {
      const newDay = dayOf(TZ, hp[i]!.timeMs) !== dayOf(TZ, hp[i - 1]!.timeMs);
      for (const name of DAY_FIELDS) {
        const v = field(hp[i]!, name);
        if (newDay) expect(v).toBe(0);
        else expect(v).toBeGreaterThanOrEqual(field(hp[i - 1]!, name));
      }
      if (newDay && field(hp[i - 1]!, "heat_heating_day_kwh") > 0) drops++;
    }
    expect(drops).toBeGreaterThanOrEqual(26);
  });

  it("the vendor's electricity estimate is a little below the meter (no standby, pumps or fan)", () => {
    for (const d of days) {
      expect(d.vendorElecKwh).toBeLessThan(d.elecKwh);
      expect(d.vendorElecKwh).toBeGreaterThan(d.elecKwh * 0.75);
    }
  });

  it("heats hot water morning and evening, defrosts in frost, cycles on mild days", () => {
    const hp = lines.filter((p) => p.measurement === "heatpump");
    const dhwStartsByHour = new Array<number>(24).fill(0);
    for (let i = 1; i < hp.length; i++) {
      if (field(hp[i]!, "dhw_active") === 1 && field(hp[i - 1]!, "dhw_active") === 0) {
        const t = hp[i]!.timeMs;
        const hour = Math.floor(((t + offsetMs(TZ, t)) % 86_400_000) / 3_600_000);
        dhwStartsByHour[hour]!++;
      }
    }
    const morning = dhwStartsByHour.slice(5, 11).reduce((a, b) => a + b, 0);
    const evening = dhwStartsByHour.slice(16, 23).reduce((a, b) => a + b, 0);
    expect(morning).toBeGreaterThanOrEqual(days.length * 0.8);
    expect(evening).toBeGreaterThanOrEqual(days.length * 0.8);
    for (const d of winter) {
      if (d.meanOutsideC < 3) expect(d.defrostSamples).toBeGreaterThan(0);
    }
    const cold = winter.filter((d) => d.meanOutsideC < 0);
    const warm = mild.filter((d) => d.meanOutsideC > 7);
    expect(cold.length).toBeGreaterThan(0);
    expect(warm.length).toBeGreaterThan(0);
    const meanStarts = (ds: Day[]) => ds.reduce((a, d) => a + d.starts, 0) / ds.length;
    expect(meanStarts(warm)).toBeGreaterThan(meanStarts(cold) + 5);
  });

  it("writes thermal power consistent with flow and spread while heating", () => {
    const running = lines.filter((p) => p.measurement === "heatpump" && field(p, "compressor_on") === 1);
    expect(running.length).toBeGreaterThan(1000);
    for (const p of running) {
      expect(field(p, "flow_lph")).toBeGreaterThan(0);
      if (field(p, "defrosting") === 1) expect(field(p, "flow_c")).toBeLessThan(field(p, "return_c"));
      else expect(field(p, "flow_c")).toBeGreaterThanOrEqual(field(p, "return_c"));
    }
  });
});

describe("device days across the DST changes (Europe/Berlin)", () => {
  it.each([
    ["2026-03-29", 23],
    ["2026-10-25", 25],
  ])("%s has %i hours of readings and rolls over at local midnight", (date, hours) => {
    const lines = generate({ days: 3, end: addOne(date), seed: 3, tz: TZ });
    const byDay = daily(lines, TZ);
    const dst = byDay.find((d) => d.date === date)!;
    expect(dst.heatpumpSamples).toBe(hours * 12);
    const hp = lines.filter((p) => p.measurement === "heatpump");
    const midnights = hp.filter((p) => {
      const local = p.timeMs + offsetMs(TZ, p.timeMs);
      return local % 86_400_000 === 0;
    });
    expect(midnights.map((p) => dayOf(TZ, p.timeMs))).toEqual([addOne(date, -1), date, addOne(date)]);
    for (const p of midnights) for (const name of DAY_FIELDS) expect(field(p, name)).toBe(0);
    // The sample just before each later midnight carries the whole day.
    for (const p of midnights.slice(1)) {
      const before = hp[hp.indexOf(p) - 1]!;
      expect(field(before, "heat_heating_day_kwh") + field(before, "heat_dhw_day_kwh")).toBeGreaterThan(1);
    }
  });

  it("follows another device time zone (--tz America/New_York)", () => {
    const tz = "America/New_York";
    const lines = generate({ days: 2, end: "2026-01-15", seed: 3, tz });
    expect(dayOf(tz, lines[0]!.timeMs)).toBe("2026-01-14");
    expect(new Date(lines[0]!.timeMs).toISOString()).toBe("2026-01-14T05:00:00.000Z");
    const hp = lines.filter((p) => p.measurement === "heatpump");
    const reset = hp.find((p) => p.timeMs === Date.parse("2026-01-15T05:00:00Z"))!;
    const before = hp[hp.indexOf(reset) - 1]!;
    expect(field(reset, "heat_heating_day_kwh")).toBe(0);
    expect(field(before, "heat_heating_day_kwh")).toBeGreaterThan(10);
  });
});

function addOne(date: string, n = 1): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

describe("determinism and the file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sim-history-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const hashOf = (seed: number) => {
    const h = createHash("sha256");
    for (const c of historyChunks({ days: 2, end: "2026-02-01", seed, tz: TZ })) h.update(c);
    return h.digest("hex");
  };

  it("gives the same output for the same seed, and another for another seed", () => {
    expect(hashOf(11)).toBe(hashOf(11));
    expect(hashOf(12)).not.toBe(hashOf(11));
  });

  it("writes the same lines to the file atomically and counts them", async () => {
    const out = join(dir, "history.lp");
    const r = await writeHistory({ days: 2, end: "2026-02-01", seed: 11, out, tz: TZ });
    const text = await readFile(out, "utf8");
    expect(createHash("sha256").update(text).digest("hex")).toBe(hashOf(11));
    expect(r.lines).toBe(text.split("\n").length - 1);
    expect(r.lines).toBe(2 * (2 * 8640 + 288 * 2));
    expect(r.startMs).toBe(Date.parse("2026-01-30T23:00:00Z"));
    expect(r.endMs).toBe(Date.parse("2026-02-01T23:00:00Z"));
  });

  it("without the backup meter: the same lines but the backup meter's, and the same heat pump", async () => {
    const both = [...historyChunks({ days: 2, end: "2026-02-01", seed: 11, tz: TZ })].join("");
    const stats = { lines: 0 };
    const alone = [
      ...historyChunks({ days: 2, end: "2026-02-01", seed: 11, tz: TZ, backupMeter: false }, stats),
    ].join("");
    const withoutBackup = both.split("\n").filter((l) => !l.includes(",role=backup "));
    expect(alone.split("\n")).toEqual(withoutBackup);
    // Two days: 8640 heat pump meter readings and 288 heat pump and collector points a day.
    expect(stats.lines).toBe(2 * (8640 + 288 * 2));
    expect(alone.split("\n").length - 1).toBe(stats.lines);
  });

  it("rejects bad options naming them", async () => {
    await expect(writeHistory({ days: 0, end: "2026-02-01", seed: 1, out: join(dir, "x") })).rejects.toThrow(
      /`days`/,
    );
    await expect(writeHistory({ days: 1, end: "2026-02-30", seed: 1, out: join(dir, "x") })).rejects.toThrow(
      /2026-02-30/,
    );
  });

  it("fails at once for an unwritable output and leaves no temp file", async () => {
    await expect(
      writeHistory({ days: 1, end: "2026-02-01", seed: 1, out: join(dir, "missing", "x.lp") }),
    ).rejects.toMatchObject({
      code: "ENOENT",
    });
    expect(await readdir(dir)).not.toContain("missing");
  });

  it("monophase puts the whole unit on channel A", () => {
    const lines = generate({ days: 1, end: "2026-01-10", seed: 2, tz: TZ, profile: "monophase" });
    const electric = lines.filter((p) => p.measurement === "electric" && p.tags.role === "heatpump");
    expect(electric).toHaveLength(8640);
    for (const p of electric) {
      expect(field(p, "power_b_w")).toBe(0);
      expect(field(p, "power_c_w")).toBe(0);
      expect(Math.abs(field(p, "power_a_w") - field(p, "power_w"))).toBeLessThan(0.11);
    }
  });
});
