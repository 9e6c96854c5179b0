/**
 * The clock-step guard with an injected clock (wall and monotonic), driven the way the scheduler
 * drives a poller: every second, poll when `dueAt()` (monotonic) has come.
 */
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../core/src/effects.ts";
import type { Point } from "../../core/src/data/line-protocol.ts";
import { createClockGuard, spanText } from "../src/clock-guard.ts";
import { createPoller } from "../src/poll.ts";
import type { Source } from "../src/sources/source.ts";

const T0 = Date.UTC(2026, 10, 27, 4, 0, 0);
const S = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A meter polled every `intervalMs`, a clock whose wall time the test steps, and the journal. */
function harness(intervalMs: number) {
  let wall = T0;
  let mono = 0;
  const clock = { now: () => wall, monotonic: () => mono };
  const logger = memoryLogger();
  /** Monotonic times at which the device was read. */
  const reads: number[] = [];
  const journaled: Point[] = [];
  const source: Source = {
    name: "shelly",
    start: async () => "stub meter",
    nextPollAt: (last, now) => (last === undefined ? now : last + intervalMs),
    async poll(now) {
      reads.push(mono);
      return [{ measurement: "electric", tags: { device: "d" }, fields: { power_w: 1000 }, timeMs: now }];
    },
  };
  const poller = createPoller(source, {
    clock,
    logger,
    append: async (p) => void journaled.push(...p),
    onUnexpected: (e) => {
      throw e;
    },
    clockGuard: createClockGuard(logger),
  });
  /** Runs `ms` of time in 1 s ticks, polling when due, as the scheduler does. */
  const run = async (ms: number) => {
    for (const end = mono + ms; mono < end;) {
      if (mono + 500 >= poller.dueAt()) await poller.poll();
      mono += S;
      wall += S;
    }
  };
  const stamps = () => journaled.filter((p) => p.measurement === "electric").map((p) => p.timeMs);
  const steps = () => logger.lines.filter((l) => l.includes("clock: "));
  /** Moves the wall clock alone, as NTP or a person does. */
  const step = (ms: number) => (wall += ms);
  return { run, reads, stamps, steps, journaled, step };
}

const every = (from: number, to: number, by: number) =>
  Array.from({ length: Math.floor((to - from) / by) + 1 }, (_, i) => from + i * by);

describe("clock-step guard", () => {
  it("set back one hour: polling goes on; nothing is stamped until the clock was steady 2 min", async () => {
    const h = harness(10 * S);
    await h.run(65 * S); // reads at 0, 10, ..., 60 s
    h.step(-HOUR);
    await h.run(300 * S - 65 * S + S); // up to 300 s
    expect(h.reads).toEqual(every(0, 300 * S, 10 * S)); // every 10 s, the step notwithstanding
    // The read at 70 s sees the step; 80 ... 180 s are less than 2 min after it; 190 s is accepted.
    expect(h.stamps()).toEqual([
      ...every(T0, T0 + 60 * S, 10 * S),
      ...every(T0 - HOUR + 190 * S, T0 - HOUR + 300 * S, 10 * S),
    ]);
    // The health points are held back with the readings: nothing at all is stamped meanwhile.
    expect(h.journaled.filter((p) => p.measurement === "collector")).toHaveLength(7 + 12);
    expect(h.steps()).toEqual([
      "1970-01-01T00:00:00.000Z warn  clock: the wall clock stepped back by 1 h (it says 2026-11-27T03:01:10.000Z; " +
        "by the monotonic clock it is 2026-11-27T04:01:10.000Z); readings are held back (a gap, polling goes on) " +
        "until it has been steady for 2 min",
      "1970-01-01T00:00:00.000Z info  clock: the wall clock has been steady for 2 min; its time is accepted and " +
        "readings are stamped again from 2026-11-27T03:03:10.000Z (12 polls held back)",
    ]);
  });

  it("forward one day for 8 s, then corrected: nothing is stamped tomorrow and polling never stops", async () => {
    const h = harness(S);
    await h.run(30 * S); // reads at 0 ... 29 s
    h.step(DAY);
    await h.run(8 * S); // 30 ... 37 s on tomorrow's date
    h.step(-DAY);
    await h.run(200 * S); // 38 ... 237 s
    expect(h.reads).toEqual(every(0, 237 * S, S)); // every second, throughout
    expect(h.stamps().filter((t) => t >= T0 + HOUR)).toEqual([]);
    // Today's time came back at 38 s and had to stay steady 2 min: stamped again from 158 s on.
    expect(h.stamps()).toEqual([...every(T0, T0 + 29 * S, S), ...every(T0 + 158 * S, T0 + 237 * S, S)]);
    expect(h.steps().map((l) => l.replace(/ \(it says.*$/, ""))).toEqual([
      "1970-01-01T00:00:00.000Z warn  clock: the wall clock stepped forward by 1 d",
      "1970-01-01T00:00:00.000Z warn  clock: the wall clock stepped back by 1 d",
      "1970-01-01T00:00:00.000Z info  clock: the wall clock has been steady for 2 min; its time is accepted and " +
        "readings are stamped again from 2026-11-27T04:02:38.000Z (128 polls held back)",
    ]);
  });

  it("small NTP slews and corrections under a minute never cost a reading", async () => {
    const h = harness(10 * S);
    for (let minute = 0; minute < 180; minute++) {
      // Slewing 0.5 ms per second (the most ntpd slews: 1 ms every other second), a minute each way
      // in turn, for three hours ...
      for (let s = 0; s < 60; s++) {
        if (s % 2 === 0) h.step(minute % 2 === 0 ? 1 : -1);
        await h.run(S);
      }
      // ... and a correction of 59 s now and then, forward and back.
      if (minute === 60) h.step(59 * S);
      if (minute === 120) h.step(-59 * S);
    }
    expect(h.reads).toHaveLength(180 * 6); // every 10 s
    expect(h.stamps()).toHaveLength(180 * 6); // every one of them stamped
    expect(h.steps()).toEqual([]);
  });

  it("chooses the unit by the rounded figure: a step a hair under an hour is 1 h, not 60 min", () => {
    // 3,599,998 ms = 59.99997 min, which rounds to 60.0 min: said as 1 h. 59.9 min = 3,594,000 ms.
    expect(spanText(HOUR - 2)).toBe("1 h");
    expect(spanText(3_594_000)).toBe("59.9 min");
    // 119.96 s rounds to 120.0 s: 2 min; 119.94 s rounds to 119.9 s.
    expect(spanText(119_960)).toBe("2 min");
    expect(spanText(119_940)).toBe("119.9 s");
    // 23.96 h rounds to 24.0 h: 1 d; 23.9 h stays in hours.
    expect(spanText(23.96 * HOUR)).toBe("1 d");
    expect(spanText(23.9 * HOUR)).toBe("23.9 h");
  });

  it("names the size of a step readably", () => {
    expect([59_000, 90_000, 150_000, HOUR, 1.5 * HOUR, DAY, -3 * DAY].map(spanText)).toEqual([
      "59 s",
      "90 s",
      "2.5 min",
      "1 h",
      "1.5 h",
      "1 d",
      "3 d",
    ]);
  });
});
