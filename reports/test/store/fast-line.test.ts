import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import { fastLine } from "../../src/store/fast-line.ts";
import { SampleBuilder, type Samples } from "../../src/store/samples.ts";
import { lineTimeMs, timestampStart } from "../../src/store/file-index.ts";

/** The samples of `lines` read by the fast path (falling back like the local source) or by parseLine only. */
function read(lines: string[], fast: boolean): { samples: Samples; fallbacks: number } {
  const b = new SampleBuilder();
  let fallbacks = 0;
  for (const line of lines) {
    const buf = Buffer.from(line);
    const ms = lineTimeMs(buf, 0, buf.length);
    // As the local source calls it: the timestamp's start known, the chunk free of escapes.
    if (fast && fastLine(buf, 0, buf.length, ms, b, true, timestampStart)) continue;
    fallbacks++;
    const p = parseLine(line);
    if (p) b.add(p.measurement, p.tags, p.fields, ms);
  }
  return { samples: b.finish(), fallbacks };
}

const one = (line: string) => {
  const b = new SampleBuilder();
  const buf = Buffer.from(line);
  lineTimeMs(buf, 0, buf.length);
  return { handled: fastLine(buf, 0, buf.length, 1000, b, false, timestampStart), samples: b.finish() };
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
});
