/**
 * Benchmark of one regeneration cycle of the report engine over simulated history (local source):
 * one week, one year and three years, cold cache and warm cache. Prints figures; asserts nothing.
 * Target (issue 5): warm cycle three years / one week <= 1.3.
 *
 * A cycle is what the site builder asks every few minutes: status, the last 24 h of series, the
 * day/week/month/season reports of today, and the daily rows of the whole history. "Now" is 20:00
 * local on the last simulated day, so that day is open and is recomputed on every cycle.
 * The histories are generated once and shared with the site benchmark (histories.ts): the heat
 * pump's meter alone, and a year with the backup heater's meter too.
 */
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { createReports } from "../src/index.ts";
import { periodOf } from "../src/periods.ts";
import { BENCH_DIR as dir, benchHistory, END, NOW, SIZES, SYSTEM_YEAR, TZ } from "./histories.ts";

async function cycle(file: string, dataDir: string): Promise<number> {
  const t = performance.now();
  const r = createReports({ env: { LOCAL_SOURCE: file, DATA_DIR: dataDir, REPORT_TZ: TZ }, now: () => NOW });
  const ext = await r.extent();
  await r.status(NOW);
  await r.series(NOW - 86_400_000, NOW);
  for (const kind of ["day", "week", "month", "season"] as const)
    await r.report({ kind, id: periodOf(kind, END) });
  if (ext) await r.dailyRows(ext.first, ext.last);
  await r.close();
  return performance.now() - t;
}

console.log(`report engine cycle (local source, ${TZ}, now = ${END} 20:00 local)`);
const prepared: { name: string; file: string; dataDir: string }[] = [];
const runs: [string, number, boolean][] = [
  ...SIZES.map(([name, days]): [string, number, boolean] => [name, days, false]),
  [...SYSTEM_YEAR, true],
];
for (const [name, days, backupMeter] of runs) {
  const file = await benchHistory(days, "", backupMeter);
  const dataDir = join(dir, `data-${days}${backupMeter ? "-backup" : ""}`);
  rmSync(dataDir, { recursive: true, force: true });
  const cold = await cycle(file, dataDir);
  const mb = statSync(file).size / 1e6;
  console.log(
    `${name.padEnd(24)} ${mb.toFixed(0).padStart(6)} MB  cold cycle (byte index and rows built) ` +
      `${(cold / 1000).toFixed(2).padStart(7)} s`,
  );
  prepared.push({ name, file, dataDir });
}
// Warm cycles, sizes interleaved so that load from other processes on the machine hits all alike;
// each cycle is a fresh engine (a new process of the site builder), the first round only warms the JIT.
const ROUNDS = 9;
const warm = new Map<string, number[]>(prepared.map((p) => [p.name, []]));
for (let k = 0; k <= ROUNDS; k++)
  for (const p of prepared) {
    const ms = await cycle(p.file, p.dataDir);
    if (k > 0) warm.get(p.name)!.push(ms);
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (const p of prepared) {
  const xs = warm.get(p.name)!;
  console.log(
    `${p.name.padEnd(24)} warm cycle: median ${median(xs).toFixed(0)} ms, ` +
      `min ${Math.min(...xs).toFixed(0)} ms (${ROUNDS} runs)`,
  );
}
const ratio = median(warm.get("3 years")!) / median(warm.get("1 week")!);
console.log(`warm cycle ratio three years / one week (medians): ${ratio.toFixed(2)} (target <= 1.3)`);
