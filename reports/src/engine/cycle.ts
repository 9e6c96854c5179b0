/**
 * The engine's cycles. Within one, the engine asks the store once for the extent and for what
 * changed, and computes each open day once (the site builder asks for today five or six times per
 * build: status, day, week, month, season, dashboard). A cycle ends after CYCLE_MS, when the clock
 * moved by as much, or on end().
 */
import type { DailyRow, DayBuckets } from "../types.ts";
import type { Samples } from "../store/samples.ts";

/** Longest a cycle lasts (ms of wall time, and of the engine's clock). */
const CYCLE_MS = 30_000;

/** A day not yet over, computed once per cycle (never cached: its data still grows). */
export interface OpenDay {
  row: DailyRow;
  buckets: DayBuckets;
  /** The samples it was computed from (the status reads the newest interval from them). */
  samples: Samples;
  /** The range those samples cover. */
  fromMs: number;
  toMs: number;
}

export interface Cycle {
  wallMs: number;
  /** The engine's clock at the start of the cycle: decides which days are closed. */
  nowMs: number;
  extent?: Promise<{ first: string; last: string } | null>;
  /** Source fingerprints of closed days, by day. */
  fingerprints: Map<string, string>;
  open: Map<string, OpenDay>;
}

interface Cycles {
  /** The running cycle, or a new one when it is over. */
  current(): Cycle;
  /** Ends the running cycle: the next current() starts afresh. */
  end(): void;
}

export function createCycles(now: () => number): Cycles {
  let cycle: Cycle | undefined;
  return {
    current() {
      const wallMs = performance.now();
      const nowMs = now();
      if (!cycle || wallMs - cycle.wallMs > CYCLE_MS || Math.abs(nowMs - cycle.nowMs) > CYCLE_MS)
        cycle = { wallMs, nowMs, fingerprints: new Map(), open: new Map() };
      return cycle;
    },
    end() {
      cycle = undefined;
    },
  };
}
