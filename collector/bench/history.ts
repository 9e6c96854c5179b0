/**
 * Benchmark: one year of simulated history (about 3.2 M `electric` lines) written to a temp file.
 * Prints seconds, lines, MB/s and peak RSS; the target is under 60 s. No assertions.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeHistory } from "../simulator/history.ts";

const dir = await mkdtemp(join(tmpdir(), "bench-history-"));
try {
  const started = performance.now();
  const r = await writeHistory({ days: 365, end: "2026-06-30", seed: 1, out: join(dir, "year.lp") });
  const s = (performance.now() - started) / 1000;
  const mb = r.bytes / 1e6;
  const rssMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
  process.stdout.write(
    `history: 365 days in ${s.toFixed(1)} s (target < 60 s), ${r.lines} lines, ${mb.toFixed(0)} MB, ` +
      `${(mb / s).toFixed(1)} MB/s, ${Math.round(r.lines / s)} lines/s, peak RSS ${rssMb.toFixed(0)} MB\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
