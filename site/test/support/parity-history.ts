/**
 * The history both stores must agree on (store-parity.test.ts): simulated days in Europe/Berlin
 * around the spring DST change, with what real data has and the simulator does not write:
 * - a gap: three hours without any point (the collector was down);
 * - a counter reset: from 2026-03-30 10:00Z the Shelly's energy counter goes on from near 0;
 * - field types beside floats: compressor_starts written as integers (`1873i`), compressor_on,
 *   dhw_active and defrosting as booleans, as a user's own writer or an older collector might.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { writeHistory } from "../../../collector/simulator/history.ts";

export const PARITY_TZ = "Europe/Berlin";
/** 18:00 local on the last day: that day is open, its evening not there yet. */
export const PARITY_NOW = Date.parse("2026-03-31T16:00:00Z");

const GAP = [Date.parse("2026-03-27T09:00:00Z"), Date.parse("2026-03-27T12:00:00Z")] as const;
const RESET = Date.parse("2026-03-30T10:00:00Z");

const timeOf = (line: string) => Number(line.slice(line.lastIndexOf(" ") + 1, -6));

export async function writeParityHistory(out: string): Promise<void> {
  await writeHistory({ days: 6, end: "2026-03-31", seed: 11, out, tz: PARITY_TZ });
  let offset: number | undefined;
  const lines = readFileSync(out, "utf8")
    .trimEnd()
    .split("\n")
    .filter((l) => {
      const t = timeOf(l);
      return t < GAP[0] || t >= GAP[1];
    })
    .map((l) => {
      if (l.startsWith("electric") && timeOf(l) >= RESET)
        return l.replace(/energy_wh=([0-9.]+)/, (_m, wh: string) => {
          offset ??= Number(wh) - 0.5;
          return `energy_wh=${Math.round((Number(wh) - offset) * 1000) / 1000}`;
        });
      if (l.startsWith("heatpump"))
        return l
          .replace(/compressor_starts=(\d+)(?=[, ])/, "compressor_starts=$1i")
          .replace(
            /(compressor_on|dhw_active|defrosting)=([01])(?=[, ])/g,
            (_m, f: string, v: string) => `${f}=${v === "1" ? "true" : "false"}`,
          );
      return l;
    });
  writeFileSync(out, lines.join("\n") + "\n");
}
