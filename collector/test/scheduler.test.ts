import { describe, expect, it } from "vitest";
import { memoryLogger, systemClock } from "../../core/src/effects.ts";
import { createPoller } from "../src/poll.ts";
import { startScheduler } from "../src/scheduler.ts";
import type { Source } from "../src/sources/source.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A 1 s source whose polls take `pollMs`; records how many of its polls ran at once. */
function slowSource(name: "shelly" | "viessmann", pollMs: number) {
  const stats = { started: 0, concurrent: 0, maxConcurrent: 0, starts: [] as number[], ends: [] as number[] };
  const source: Source = {
    name,
    start: async () => "stub",
    nextPollAt: (last, now) => (last === undefined ? now : last + 1000),
    async poll(now) {
      stats.started++;
      stats.starts.push(performance.now());
      stats.maxConcurrent = Math.max(stats.maxConcurrent, ++stats.concurrent);
      await sleep(pollMs);
      stats.concurrent--;
      stats.ends.push(performance.now());
      return [{ measurement: "electric", tags: {}, fields: { power_w: 1 }, timeMs: now }];
    },
  };
  return { source, stats };
}

describe("scheduler", () => {
  it("never overlaps a poll that is still running, and a slow source does not hold up another", async () => {
    const slow = slowSource("viessmann", 1700);
    const fast = slowSource("shelly", 10);
    const appended: number[] = [];
    const pollers = [slow, fast].map((s) =>
      createPoller(s.source, {
        clock: systemClock,
        logger: memoryLogger(),
        append: async (p) => void appended.push(p.length),
        onUnexpected: (e) => {
          throw e;
        },
      }),
    );
    const scheduler = startScheduler(pollers, { clock: systemClock, logger: memoryLogger() });
    await sleep(3300);
    await scheduler.stop(); // waits for the slow poll in flight
    expect(slow.stats.maxConcurrent).toBe(1);
    expect(slow.stats.concurrent).toBe(0);
    // Each slow poll started only after the previous one ended, although its 1 s interval was due.
    expect(slow.stats.started).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < slow.stats.starts.length; i++)
      expect(slow.stats.starts[i]).toBeGreaterThanOrEqual(slow.stats.ends[i - 1]!);
    // Meanwhile the fast source kept polling.
    const [s0, e0] = [slow.stats.starts[0]!, slow.stats.ends[0]!];
    expect(fast.stats.starts.filter((t) => t > s0 && t < e0).length).toBeGreaterThanOrEqual(1);
    expect(appended.length).toBe(slow.stats.started + fast.stats.started); // every poll was journaled
  });
});
