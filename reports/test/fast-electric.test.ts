import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../../collector/src/simulator/history.ts";
import { parseLine } from "../../collector/src/store/line-protocol.ts";
import { fastElectric } from "../src/fast-electric.ts";

const fast = (line: string) => {
  const b = Buffer.from(line);
  return fastElectric(b, 0, b.length);
};

describe("fast electric path agrees with parseLine", () => {
  it("on every electric line of two simulated days", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "reports-fast-")), "h.lp");
    await writeHistory({ days: 2, end: "2026-03-29", seed: 3, out, tz: "Europe/Berlin" });
    let n = 0;
    for (const line of readFileSync(out, "utf8").split("\n")) {
      if (!line.startsWith("electric")) continue;
      const p = parseLine(line)!;
      expect(fast(line)).toEqual([
        p.fields.power_w ?? Number.NaN,
        p.fields.energy_wh ?? Number.NaN,
        p.fields.energy_ret_wh ?? Number.NaN,
      ]);
      n++;
    }
    // 23 h + 24 h of 10 s polls (2026-03-29 is the DST day).
    expect(n).toBe(16_920);
  });

  it("falls back on shapes it does not handle, and reads the plain ones", () => {
    expect(fast("electric,device=a\\ b power_w=1 1000000")).toBeNull();
    expect(fast("electric power_w=5i 1000000")).toBeNull();
    expect(fast("electric power_w=1e3 1000000")).toBeNull();
    expect(fast('electric note="x",power_w=1 1000000')).toBeNull();
    expect(fast("heatpump flow_c=1 1000000")).toBeNull();
    expect(fast("electric,device=x energy_wh=1000004.15,power_w=-12.5 1000000\r")).toEqual([
      -12.5,
      1000004.15,
      Number.NaN,
    ]);
    expect(fast("electric,device=x energy_ret_wh=12.25,energy_wh=7 1000000")).toEqual([Number.NaN, 7, 12.25]);
    expect(fast("electric,device=x energy_ret_wh=1e3 1000000")).toBeNull();
    expect(fast("electric,device=x voltage_a_v=230 1000000")).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(fast("electric,device=x power_w=0.1234567890123456 1000000")).toBeNull();
  });
});
