import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import type { HomeSettings } from "../../../core/src/data/home.ts";
import { fastLine, lineHome } from "../../src/store/fast-line.ts";
import { DEFAULT_HOME, isHome } from "../../src/store/home-filter.ts";
import { SampleBuilder, type Samples } from "../../src/store/samples.ts";
import { lineTimeMs, timestampStart } from "../../src/store/file-index.ts";

/**
 * The samples of `lines` of `home` read by the fast path (falling back like the local source) or by
 * parseLine only.
 */
function read(lines: string[], fast: boolean, home = DEFAULT_HOME): { samples: Samples; fallbacks: number } {
  const b = new SampleBuilder();
  const bytes = lineHome(home);
  let fallbacks = 0;
  for (const line of lines) {
    const buf = Buffer.from(line);
    const ms = lineTimeMs(buf, 0, buf.length);
    // As the local source calls it: the timestamp's start known, the chunk free of escapes.
    if (fast && fastLine(buf, 0, buf.length, ms, b, bytes, !/[\\"I]/.test(line), timestampStart)) continue;
    fallbacks++;
    const p = parseLine(line);
    if (p && isHome(home, p.tags.home)) b.add(p.measurement, p.tags, p.fields, ms);
  }
  return { samples: b.finish(), fallbacks };
}

const one = (line: string, home: HomeSettings = DEFAULT_HOME) => {
  const b = new SampleBuilder();
  const buf = Buffer.from(line);
  lineTimeMs(buf, 0, buf.length);
  return {
    handled: fastLine(buf, 0, buf.length, 1000, b, lineHome(home), false, timestampStart),
    samples: b.finish(),
  };
};

describe("fast line path agrees with parseLine", () => {
  it("on every line of two simulated days, with integer and boolean heat pump fields too", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "reports-fast-")), "h.lp");
    await writeHistory({ days: 2, end: "2026-03-29", seed: 3, out, tz: "Europe/Berlin" });
    const lines = readFileSync(out, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) =>
        l.startsWith("heatpump")
          ? l
              .replace(/compressor_starts=(\d+)(?=[, ])/, "compressor_starts=$1i")
              .replace(/compressor_on=1(?=[, ])/, "compressor_on=true")
              .replace(/compressor_on=0(?=[, ])/, "compressor_on=F")
          : l,
      );
    const fast = read(lines, true);
    const reference = read(lines, false);
    expect(fast.samples).toEqual(reference.samples);
    // 23 h + 24 h of 10 s polls (2026-03-29 is the DST day), every 5 min from the heat pump.
    expect(fast.samples.elec.t).toHaveLength(16_920);
    expect(fast.samples.hp.t).toHaveLength(564);
    // The simulator's backup heater meter (role backup) polls with the heat pump's: apart from it.
    expect(fast.samples.meters.backup?.t).toHaveLength(16_920);
    expect(Object.keys(fast.samples.meters)).toEqual(["backup"]);
    expect(fast.samples.hp.f.compressor_starts.every((v) => Number.isInteger(v))).toBe(true);
    // Only the collector's lines took the slow path.
    expect(fast.fallbacks).toBe(lines.filter((l) => l.startsWith("collector")).length);
  });

  it("falls back on shapes it does not handle, and reads the plain ones", () => {
    for (const line of [
      "electric,device=a\\ b power_w=1 1000000",
      "electric power_w=1e3 1000000",
      'electric note="x",power_w=1 1000000',
      "electric,device=x power_w=0.1234567890123456 1000000",
      "heatpump flow_c=warm 1000000",
      'heatpump,device=x mode="heating",flow_c=30 1000000',
      "electrical power_w=1 1000000",
      "collector,source=viessmann calls_today=1 1000000",
    ])
      expect(one(line).handled, line).toBe(false);
    // A heat pump line given up half-way adds nothing.
    expect(one("heatpump flow_c=30,return_c=x 1000000").samples.hp.t).toEqual([]);
    const e = one("electric,device=x energy_wh=1000004.15,power_w=-12.5 1000000\r").samples.elec;
    expect([e.power[0], e.energy[0], e.ret[0]]).toEqual([-12.5, 1000004.15, Number.NaN]);
    const h = one("heatpump,device=x flow_c=35.5,compressor_on=t,compressor_starts=1873i,unknown=3 1000000");
    expect(h.handled).toBe(true);
    expect([
      h.samples.hp.f.flow_c[0],
      h.samples.hp.f.compressor_on[0],
      h.samples.hp.f.compressor_starts[0],
    ]).toEqual([35.5, 1, 1873]);
    expect(h.samples.hp.f.return_c[0]).toBeNaN();
    // The writers' order (power first, energy last) and any other order read alike.
    for (const line of [
      "electric,device=x power_w=5.5,voltage_a_v=230,energy_wh=7,energy_ret_wh=1.25 1000000",
      "electric,device=x power_w=5.5,energy_wh=7,energy_ret_wh=1.25,voltage_a_v=230 1000000",
      "electric,device=x energy_ret_wh=1.25,voltage_a_v=230,energy_wh=7,power_w=5.5 1000000",
    ]) {
      const x = one(line).samples.elec;
      expect([x.power[0], x.energy[0], x.ret[0]], line).toEqual([5.5, 7, 1.25]);
    }
    const noRet = one("electric,device=x power_w=5.5,voltage_a_v=230,energy_wh=7 1000000").samples.elec;
    expect([noRet.power[0], noRet.energy[0], noRet.ret[0]]).toEqual([5.5, 7, Number.NaN]);
  });

  it("reads each point's home and meter: the home's meters apart, other homes and unknown roles passed over", () => {
    const lines = [
      "electric,device=m1,home=a,role=heatpump power_w=100,energy_wh=1000 1000000000",
      "electric,device=m2,home=a,role=backup power_w=3000,energy_wh=500 1000000000",
      // A role the catalogue does not know: no meter of ours.
      "electric,device=m3,home=a,role=garage power_w=7,energy_wh=7 1000000000",
      "electric,device=m1,home=b,role=heatpump power_w=999,energy_wh=9 2000000000",
      // No home and no role: the heat pump's meter of HOME_UNTAGGED.
      "electric,device=m0 power_w=50,energy_wh=900 3000000000",
      "electric,device=m2,home=a,role=backup power_w=2900,energy_wh=500.8 10000000000",
      "heatpump,device=h,home=b flow_c=99 1000000000",
      "heatpump,device=h,home=a,role=backup flow_c=35 1000000000",
      // An escaped tag value (a space) is parseLine's; an `I` or a quote in a tag is not.
      "electric,device=my\\ meter,home=a,role=backup power_w=1,energy_wh=501 20000000000",
      'electric,device=Isar"1",home=a,role=pumps power_w=40,energy_wh=10 1000000000',
    ];
    const a = { id: "a", readsUntagged: true };
    const fast = read(lines, true, a);
    expect(fast.samples).toEqual(read(lines, false, a).samples);
    expect(fast.fallbacks).toBe(1);
    const s = fast.samples;
    expect([s.elec.t, s.elec.power, s.elec.energy]).toEqual([
      [1000, 3000],
      [100, 50],
      [1000, 900],
    ]);
    expect(s.meters.backup).toEqual({
      t: [1000, 10_000, 20_000],
      power: [3000, 2900, 1],
      energy: [500, 500.8, 501],
      ret: [Number.NaN, Number.NaN, Number.NaN],
    });
    expect(s.meters.pumps?.power).toEqual([40]);
    expect(s.meters.house).toBeUndefined();
    // The role tag of a heat pump point means nothing.
    expect(s.hp.f.flow_c).toEqual([35]);

    // HOME_UNTAGGED another home: the untagged meter reading is not a's.
    const tagged = { id: "a", readsUntagged: false };
    expect(read(lines, true, tagged).samples.elec.t).toEqual([1000]);
    expect(read(lines, true, tagged).samples).toEqual(read(lines, false, tagged).samples);
    const b = read(lines, true, { id: "b", readsUntagged: false }).samples;
    expect([b.elec.t, b.elec.power, b.hp.f.flow_c, b.meters]).toEqual([[2000], [999], [99], {}]);

    // Passed over counts as handled (true), adding nothing; an escape anywhere in the tags is not.
    for (const line of ["electric,home=b power_w=1 1000000", "electric,role=garage power_w=1 1000000"]) {
      const r = one(line);
      expect(r.handled, line).toBe(true);
      expect(r.samples.elec.t, line).toEqual([]);
    }
    expect(one("electric,ro\\le=backup power_w=1 1000000").handled).toBe(false);
    expect(one("electric,home power_w=1 1000000").handled).toBe(false);
    // An empty home tag is no tag (parseLine reads home: ""; the index and Flux see none).
    expect(one("electric,home=,role=backup power_w=1 1000000").samples.meters.backup?.power).toEqual([1]);
  });
});
