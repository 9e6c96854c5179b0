import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../core/src/effects.ts";
import { ExpectedError } from "../../core/src/errors.ts";
import { createPoller } from "../src/poll.ts";
import type { Source } from "../src/sources/source.ts";
import { JournalError } from "../src/store/journal.ts";
import type { Point } from "../../core/src/data/line-protocol.ts";

const T0 = Date.UTC(2026, 10, 27, 4, 0, 0);

/** A source that plays a script: a number = that many W, an error = thrown. */
function scripted(script: (number | Error)[], extra: Partial<Source> = {}): Source & { polls: number[] } {
  const polls: number[] = [];
  return {
    name: "shelly",
    polls,
    start: async () => "stub meter",
    nextPollAt: (last, now) => (last === undefined ? now : last + 1000),
    async poll(now) {
      polls.push(now);
      const step = script.shift();
      if (step instanceof Error) throw step;
      return [
        { measurement: "electric", tags: { device: "d" }, fields: { power_w: step ?? 0 }, timeMs: now },
      ];
    },
    ...extra,
  };
}

function harness(source: Source, append?: (p: readonly Point[]) => Promise<void>) {
  let now = T0;
  const clock = { now: () => now };
  const logger = memoryLogger();
  const written: Point[][] = [];
  const bugs: unknown[] = [];
  const poller = createPoller(source, {
    clock,
    logger,
    append: append ?? (async (p) => void written.push([...p])),
    onUnexpected: (e) => bugs.push(e),
  });
  const step = async () => {
    const o = await poller.poll();
    now += 1000;
    return o;
  };
  return { poller, logger, written, bugs, step, setNow: (t: number) => (now = t) };
}

const unreachable = () =>
  new ExpectedError("unreachable", "Shelly at http://192.168.1.50: no answer within 5 s (timeout)");

describe("poll loop", () => {
  it("journals the readings with the poll time and a collector point per cycle", async () => {
    const h = harness(scripted([1200]));
    const o = await h.step();
    expect(o.kind).toBe("ok");
    expect(h.written).toEqual([
      [
        { measurement: "electric", tags: { device: "d" }, fields: { power_w: 1200 }, timeMs: T0 },
        {
          measurement: "collector",
          tags: { source: "shelly" },
          fields: { polls_ok: 1, polls_failed: 0, latency_ms: 0 },
          timeMs: T0,
        },
      ],
    ]);
    expect(h.logger.lines.join("\n")).toContain("shelly: stub meter");
  });

  it("turns expected errors into gaps with one log line per change of state", async () => {
    const h = harness(scripted([100, unreachable(), unreachable(), unreachable(), 200, unreachable()]));
    for (let i = 0; i < 6; i++) await h.step();
    // Gaps: failed polls write only the collector point, never a zero reading.
    const electric = h.written.flat().filter((p) => p.measurement === "electric");
    expect(electric.map((p) => p.fields.power_w)).toEqual([100, 200]);
    const health = h.written.map((w) => w.at(-1)!.fields);
    expect(health.at(-1)).toMatchObject({ polls_ok: 2, polls_failed: 4 });
    const warns = h.logger.lines.filter((l) => l.includes("will keep trying"));
    expect(warns).toHaveLength(2); // once per outage, not once per poll
    expect(warns[0]).toContain(
      "shelly: Shelly at http://192.168.1.50: no answer within 5 s (timeout); will keep trying",
    );
    expect(h.logger.lines.filter((l) => l.includes("shelly: back"))).toHaveLength(1);
  });

  it("retries start() on the next poll when the device was unreachable at first", async () => {
    let starts = 0;
    const src = scripted([300], {
      start: async () => {
        if (starts++ === 0) throw unreachable();
        return "stub meter";
      },
    });
    const h = harness(src);
    expect((await h.step()).kind).toBe("gap");
    expect((await h.step()).kind).toBe("ok");
    expect(starts).toBe(2);
  });

  it("waits for retryAtMs after a rate limit", async () => {
    const h = harness(scripted([new ExpectedError("rate-limited", "429", { retryAtMs: T0 + 60_000 }), 1]));
    await h.step();
    expect(h.poller.dueAt()).toBe(T0 + 60_000);
  });

  it("stops a source on a fatal error and says why; it is never polled again", async () => {
    const fatal = new ExpectedError(
      "auth",
      "Viessmann refresh token rejected (invalid_grant); run `npm run login`",
      {
        fatalForSource: true,
      },
    );
    let closed = false;
    const h = harness(scripted([fatal], { name: "viessmann", close: async () => void (closed = true) }));
    const o = await h.step();
    expect(o.kind).toBe("stopped");
    expect(h.poller.stopped()).toBe(true);
    expect(h.poller.dueAt()).toBe(Infinity);
    expect(closed).toBe(true);
    expect(h.logger.lines.join("\n")).toMatch(
      /viessmann: .*npm run login.*this source is stopped, the others keep running/,
    );
    expect(h.bugs).toEqual([]);
  });

  it("reports a bug with its stack to onUnexpected and writes nothing of it", async () => {
    const h = harness(scripted([new TypeError("cannot read properties of undefined")]));
    const o = await h.step();
    expect(o.kind).toBe("bug");
    expect(h.bugs).toHaveLength(1);
    expect(h.written).toEqual([]);
    expect(h.logger.lines.join("\n")).toMatch(
      /unexpected error.*TypeError: cannot read properties of undefined\n\s+at /s,
    );
  });

  it("a cycle the journal cannot take (disk full) is a gap, not a bug, and polling goes on", async () => {
    let full = true;
    const journaled: Point[][] = [];
    const h = harness(scripted([100, 200]), async (p) => {
      if (full) throw new JournalError("ENOSPC", "journal: cannot write to /data/journal (ENOSPC)");
      journaled.push([...p]);
    });
    const o = await h.step();
    expect(o).toMatchObject({ kind: "gap", error: { kind: "storage", code: "ENOSPC" } });
    expect(h.bugs).toEqual([]);
    expect(h.poller.stopped()).toBe(false);
    expect(h.logger.lines.filter((l) => l.includes("ENOSPC"))).toEqual([]); // the journal says it, once
    full = false;
    expect((await h.step()).kind).toBe("ok");
    expect(
      journaled
        .flat()
        .filter((p) => p.measurement === "electric")
        .map((p) => p.fields.power_w),
    ).toEqual([200]);
  });

  it("adds the source's health fields (Viessmann calls and budget)", async () => {
    const h = harness(
      scripted([5], { name: "viessmann", health: () => ({ calls_today: 17, budget: 1400 }) }),
    );
    await h.step();
    expect(h.written[0]!.at(-1)!.fields).toEqual({
      polls_ok: 1,
      polls_failed: 0,
      latency_ms: 0,
      calls_today: 17,
      budget: 1400,
    });
  });
});
