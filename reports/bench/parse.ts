/**
 * Benchmark of the local source's parsing: every point of one year of simulated history read by
 * LocalSource.samples() (the byte index built beforehand), against a plain split loop over the
 * same file (chunks decoded and split at line ends, each line touched). Prints lines per second of
 * both and their ratio; asserts nothing. Target (issue 15): the local source at least a third as
 * fast as the split loop.
 */
import { closeSync, openSync, readSync, rmSync } from "node:fs";
import { join } from "node:path";
import { LocalSource } from "../src/store/local-source.ts";
import { BENCH_DIR, benchHistory, NOW } from "./histories.ts";

const file = await benchHistory(365);

function splitLoop(): { lines: number; ms: number } {
  const t = performance.now();
  const fd = openSync(file, "r");
  const buf = Buffer.allocUnsafe(16 * 1024 * 1024);
  let lines = 0;
  let bytes = 0;
  let rest = "";
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n <= 0) break;
    const parts = (rest + buf.toString("latin1", 0, n)).split("\n");
    rest = parts.pop()!;
    for (const line of parts) {
      bytes += line.length;
      lines++;
    }
  }
  closeSync(fd);
  if (bytes < 0) throw new Error("unreachable");
  return { lines, ms: performance.now() - t };
}

async function localSource(): Promise<{ lines: number; ms: number }> {
  const cacheDir = join(BENCH_DIR, "parse-cache");
  const src = new LocalSource({ path: file, cacheDir, now: () => NOW });
  const ext = await src.extent(0, NOW + 600_000); // builds the byte index (not timed)
  const t = performance.now();
  const s = await src.samples(ext!.firstMs, ext!.lastMs + 1);
  const ms = performance.now() - t;
  rmSync(cacheDir, { recursive: true, force: true });
  return { lines: s.elec.t.length + s.hp.t.length + s.calls.t.length, ms };
}

const rate = (r: { lines: number; ms: number }) => r.lines / (r.ms / 1000);
const fmt = (x: number) => `${(x / 1e6).toFixed(2)} M lines/s`;
console.log(`local source parse (1 year, ${file})`);
const runs: { split: number; local: number }[] = [];
for (let k = 0; k < 3; k++) {
  const a = splitLoop();
  const b = await localSource();
  runs.push({ split: rate(a), local: rate(b) });
  console.log(
    `  round ${k + 1}: split loop ${fmt(rate(a))}, local source ${fmt(rate(b))} (${b.lines} points)`,
  );
}
const best = (k: "split" | "local") => Math.max(...runs.map((r) => r[k]));
console.log(
  `local source / split loop (best of 3 each): ${(best("local") / best("split")).toFixed(2)} (target >= 0.33)`,
);
