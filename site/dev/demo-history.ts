/**
 * The demo's backfill: simulated history from `days` days ago up to the demo's start (not just to
 * yesterday's midnight), so the dashboard's last 24 hours have no gap before the live readings.
 * The history writer produces whole local days in time order, so today's lines after the start are
 * cut off by truncating the file at the first line at or after it (found by binary search).
 */
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { writeHistory } from "../../collector/simulator/history.ts";
import { dayOf } from "../../core/src/time.ts";

export const HISTORY_FILE = "simulated-history.lp";

/** Timestamp (ms) of the first whole line starting at or after byte `pos`, and that line's offset. */
function lineAt(fd: number, pos: number, size: number): { offset: number; ms: number } | null {
  const buf = Buffer.alloc(4096);
  let offset = pos;
  if (pos > 0) {
    // Skip the rest of the line `pos` falls into.
    const n = readSync(fd, buf, 0, buf.length, pos - 1);
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl < 0) return null;
    offset = pos - 1 + nl + 1;
  }
  if (offset >= size) return null;
  const n = readSync(fd, buf, 0, buf.length, offset);
  const end = buf.subarray(0, n).indexOf(10);
  const line = buf.subarray(0, end < 0 ? n : end).toString();
  const ns = line.slice(line.lastIndexOf(" ") + 1);
  return { offset, ms: Number(ns.slice(0, -6)) }; // ns -> ms
}

/** Cuts a time-ordered line-protocol file before its first line at or after `cutoffMs`. */
export function truncateAt(file: string, cutoffMs: number): void {
  const size = statSync(file).size;
  const fd = openSync(file, "r");
  let cut = size;
  try {
    let lo = 0;
    let hi = size;
    // Invariant: every line starting before `lo` is older than the cutoff; `cut` is the first known
    // line at or after it.
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const l = lineAt(fd, mid, size);
      if (!l || l.ms >= cutoffMs) {
        if (l) cut = Math.min(cut, l.offset);
        hi = mid;
      } else lo = mid + 1;
    }
    const first = lineAt(fd, 0, size);
    if (first && first.ms >= cutoffMs) cut = 0;
  } finally {
    closeSync(fd);
  }
  if (cut < size) truncateSync(file, cut);
}

/**
 * Writes `days` whole days before today plus today up to `nowMs` into `journalDir/HISTORY_FILE`,
 * unless the file there was made with the same options today. Returns a line for the log.
 */
export async function backfill(o: {
  journalDir: string;
  days: number;
  seed: number;
  tz: string;
  nowMs: number;
}): Promise<string> {
  const today = dayOf(o.tz, o.nowMs);
  const out = join(o.journalDir, HISTORY_FILE);
  const metaFile = join(o.journalDir, "..", "demo-history.json");
  const meta = JSON.stringify({ days: o.days, today, seed: o.seed, tz: o.tz });
  if (existsSync(out) && existsSync(metaFile) && readFileSync(metaFile, "utf8") === meta)
    return `simulated history of ${o.days} day(s) up to today is already there`;
  const started = performance.now();
  const r = await writeHistory({ days: o.days + 1, end: today, seed: o.seed, tz: o.tz, out });
  truncateAt(out, o.nowMs);
  writeFileSync(metaFile, meta);
  const s = ((performance.now() - started) / 1000).toFixed(1);
  return `wrote ${o.days} day(s) of simulated history up to now (${r.lines} lines before the cut, ${s} s) in ${o.tz}`;
}
