/**
 * 48 simulated hours on a fake clock against the fake Viessmann API, with a restart of the source
 * in the middle of a UTC day, a wanted interval (60 s) the budget cannot afford, hourly token
 * expiry and a sprinkling of failures. The fake counts what arrives per UTC day; no day may exceed
 * the budget, and the budget must still last until the day's end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isExpected } from "../../../../core/src/errors.ts";
import { createViessmannSource } from "../../../src/sources/viessmann/index.ts";
import type { Source } from "../../../src/sources/source.ts";
import { type FakeViessmann, startFakeViessmann } from "../../fakes/viessmann-api.ts";
import { fakeClock, memoryLogger, seedTokens, testConfig, tmpDataDir } from "./helpers.ts";

const START = Date.UTC(2026, 2, 28, 6, 0, 0); // Sat 28 March 2026 06:00 UTC; runs over Europe's DST night
const HOURS = 48;
const BUDGET = 150;

describe("48 h on a fake clock with a restart in the middle", () => {
  const clock = fakeClock(START);
  let fake: FakeViessmann;
  const pollTimes: number[] = [];
  const errors: Record<string, number> = {};
  let lastSource: Source;

  beforeAll(async () => {
    fake = await startFakeViessmann({ clock });
    const dataDir = tmpDataDir();
    seedTokens(fake, dataDir, START);
    const make = () =>
      createViessmannSource(
        testConfig(fake, { intervalMs: 60_000, dailyBudget: BUDGET }),
        { clock, logger: memoryLogger(), dataDir },
        { burst: { limit: 1_000_000, intervalMs: 1000 } },
      );
    let source = make();
    await source.start(clock.now());
    let last: number | undefined;
    let restarted = false;
    const end = START + HOURS * 3600_000;
    for (let n = 0; ; n++) {
      clock.set(Math.max(clock.now(), source.nextPollAt(last, clock.now())));
      if (clock.now() >= end) break;
      if (!restarted && clock.now() >= START + (HOURS / 2) * 3600_000) {
        // Restart: all in-memory state is lost; the budget file and the token file remain.
        source = make();
        await source.start(clock.now());
        last = undefined;
        restarted = true;
        continue;
      }
      // Failures the poll loop turns into gaps; each still costs a call.
      if (n % 37 === 5) fake.script.push("device-offline");
      if (n % 53 === 7) fake.script.push("html-502");
      if (n % 71 === 9) fake.script.push("expired-token");
      last = clock.now();
      try {
        await source.poll(clock.now());
        pollTimes.push(clock.now());
      } catch (e) {
        if (!isExpected(e)) throw e;
        errors[e.kind] = (errors[e.kind] ?? 0) + 1;
      }
    }
    lastSource = source;
  }, 120_000);

  afterAll(async () => {
    await fake.close();
  });

  it("never exceeds the budget in any UTC day (counted by the server)", () => {
    expect([...fake.callsByDay.keys()]).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    for (const [, calls] of fake.callsByDay) expect(calls).toBeLessThanOrEqual(BUDGET);
    // The full day uses most of its budget: stretched, not starved.
    expect(fake.callsByDay.get("2026-03-29")).toBeGreaterThan(BUDGET * 0.85);
  });

  it("spreads the polls over the whole day instead of spending the budget early", () => {
    const day2 = pollTimes.filter((t) => t >= Date.UTC(2026, 2, 29) && t < Date.UTC(2026, 2, 30));
    expect(day2.length).toBeGreaterThan(100);
    expect(Math.max(...day2)).toBeGreaterThan(Date.UTC(2026, 2, 29, 23, 0));
    expect(Math.min(...day2)).toBeLessThan(Date.UTC(2026, 2, 29, 0, 10));
    // The wanted 60 s was stretched to about 86 400 s / (150 - 26) = 697 s.
    const gaps = day2.slice(1).map((t, i) => t - day2[i]!);
    expect(Math.min(...gaps)).toBeGreaterThan(500_000);
  });

  it("the budget was never hit (the stretch kept it), failures were gaps, tokens kept rotating", () => {
    expect(errors["rate-limited"]).toBeUndefined();
    expect(errors.offline).toBeGreaterThan(0);
    expect(errors.server).toBeGreaterThan(0);
    expect(fake.calls.token).toBeGreaterThan(40); // hourly refreshes over 48 h
    // The source's own count agrees with what the server saw today.
    expect(lastSource.health!(clock.now()).calls_today).toBe(fake.callsByDay.get("2026-03-30"));
  });
});
