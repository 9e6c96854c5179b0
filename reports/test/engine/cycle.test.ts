import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCycles } from "../../src/engine/cycle.ts";
import { createEngine } from "../../src/engine/engine.ts";
import { LocalSource } from "../../src/store/local-source.ts";
import { lines, march } from "../helpers/hand-data.ts";

describe("cycles", () => {
  it("last while the clock stays within 30 s of their start; end() and a clock jump either way start anew", () => {
    let now = 1_000_000;
    const cycles = createCycles(() => now);
    const first = cycles.current();
    expect(first.nowMs).toBe(1_000_000);
    now += 30_000; // exactly 30 s: still the same cycle
    expect(cycles.current()).toBe(first);
    now += 1;
    const second = cycles.current();
    expect(second).not.toBe(first);
    expect(second.nowMs).toBe(1_030_001);
    now -= 30_001; // the clock set back by more than 30 s
    const third = cycles.current();
    expect(third).not.toBe(second);
    expect(cycles.current()).toBe(third);
    cycles.end();
    expect(cycles.current()).not.toBe(third);
  });
});

describe("the engine within a cycle", () => {
  it("computes the open day once per cycle and hands out the same frozen row for a closed day", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-cycle-"));
    const src = join(dir, "history.lp");
    writeFileSync(src, lines(march()));
    let reads = 0;
    let fingerprintAsks = 0;
    const raw = new LocalSource({ path: src, cacheDir: null });
    const samples = raw.samples.bind(raw);
    const fingerprints = raw.fingerprints.bind(raw);
    raw.samples = (a: number, b: number) => {
      reads++;
      return samples(a, b);
    };
    raw.fingerprints = (ranges) => {
      fingerprintAsks++;
      return fingerprints(ranges);
    };
    // Noon UTC on 2026-03-29: the 28th (Berlin) is over, the 29th open.
    let now = Date.parse("2026-03-29T12:00:00Z");
    const e = createEngine(raw, {
      tz: "Europe/Berlin",
      thresholdW: 100,
      maxPowerW: 15_000,
      elecIntervalMs: 10_000,
      hpIntervalMs: 300_000,
      cacheDir: null,
      now: () => now,
    });

    const before = await e.dailyRows("2026-03-28", "2026-03-29");
    // Two adjacent days unknown: one read for both; fingerprints only for the closed 28th.
    expect([reads, fingerprintAsks]).toEqual([1, 1]);
    expect(before.map((r) => r.closed)).toEqual([true, false]);
    expect(Object.isFrozen(before[0])).toBe(true);

    // The rest of a build's questions about today: answered from this cycle's open day. The status's
    // newest heat pump interval (11:45Z-12:00Z) lies inside the samples read for the 29th.
    const day = await e.report({ kind: "day", id: "2026-03-29" });
    expect(day.rows[0]).toBe(before[1]);
    await e.dayBuckets("2026-03-29");
    await e.status(now);
    expect([reads, fingerprintAsks]).toEqual([1, 1]);

    // A new cycle: the 28th from the cache (the same object), the 29th read and computed again.
    e.refresh();
    const after = await e.dailyRows("2026-03-28", "2026-03-29");
    expect([reads, fingerprintAsks]).toEqual([2, 2]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]).toEqual(before[1]);

    // The engine's clock: 10 s on is the same cycle, 31 s on a new one.
    now += 10_000;
    await e.dailyRows("2026-03-29", "2026-03-29");
    expect(reads).toBe(2);
    now += 21_000;
    await e.dailyRows("2026-03-29", "2026-03-29");
    expect(reads).toBe(3);
    await e.close();
  });
});
