/**
 * The simulated histories both benchmarks read (report engine: reports/bench/cycle.ts, site builder:
 * site/bench/site.ts): one week, one year and three years ending on END with the heat pump's meter
 * alone (most installations; the figures compare with those from before meters had roles), and a
 * year with the backup heater's meter beside it (SYSTEM_YEAR: what a second meter costs), generated
 * once into data/bench/ (BENCH_DIR to change) and reused. "Now" is 20:00 local on the last day, so
 * that day is open and recomputed on every cycle, as in production.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeHistory } from "../../collector/simulator/history.ts";
import { dayStartMs } from "../../core/src/time.ts";

export const TZ = "Europe/Berlin";
export const END = "2026-03-31";
export const BENCH_DIR = resolve(process.env.BENCH_DIR ?? "data/bench");
export const SIZES: [string, number][] = [
  ["1 week", 7],
  ["1 year", 365],
  ["3 years", 1096],
];
/** The year with the backup heater's meter too: its name in the figures, its days. */
export const SYSTEM_YEAR: [string, number] = ["1 year, backup meter too", 365];
export const NOW = dayStartMs(TZ, END) + 20 * 3_600_000;

/**
 * The history file of `days` days (with the backup heater's meter: `backupMeter`), generated on
 * first use; `indent` prefixes the progress line. The name says what it holds, so that a file of
 * another kind (one from before the meters' roles and homes had tags) is never taken for it.
 */
export async function benchHistory(days: number, indent = "", backupMeter = false): Promise<string> {
  const out = join(BENCH_DIR, `history-${days}d-${END}-${backupMeter ? "heatpump+backup" : "heatpump"}.lp`);
  if (!existsSync(out)) {
    mkdirSync(BENCH_DIR, { recursive: true });
    const t = performance.now();
    await writeHistory({ days, end: END, seed: 42, out, tz: TZ, backupMeter });
    console.log(
      `${indent}generated ${days} days in ${((performance.now() - t) / 1000).toFixed(1)} s -> ${out}`,
    );
  }
  return out;
}
