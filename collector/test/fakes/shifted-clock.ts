/**
 * A Node preload that steps the wall clock of a real collector process, as NTP or a person does:
 * `node --import <this file's URL> collector/src/main.ts`. `Date.now()` and `new Date()` read the
 * real time plus an offset (ms) from the file named by SHIFTED_CLOCK_FILE, which the test rewrites
 * while the process runs (missing or empty: no offset). `performance.now()` and timers are left
 * alone, as a real step leaves the monotonic clock.
 */
import { readFileSync } from "node:fs";

const file = process.env.SHIFTED_CLOCK_FILE;
const RealDate = Date;
let offsetMs = 0;
let readAt = -Infinity;

/** The offset, read again at most every 20 ms: the clock is read often. */
function offset(): number {
  const now = performance.now();
  if (file && now - readAt >= 20) {
    readAt = now;
    try {
      const v = Number(readFileSync(file, "utf8").trim());
      if (Number.isFinite(v)) offsetMs = v;
    } catch {
      // not written yet: no offset
    }
  }
  return offsetMs;
}

class ShiftedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offset());
    // Every other form (a time, a string, year/month/...) passes through unchanged.
    else super(...(args as [number]));
  }
  static override now(): number {
    return RealDate.now() + offset();
  }
}

globalThis.Date = ShiftedDate as unknown as DateConstructor;
