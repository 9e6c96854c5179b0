import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { budgetFilePath, createBudget, nextUtcMidnight } from "../../../src/sources/viessmann/budget.ts";
import { tmpDataDir } from "./helpers.ts";

const T = Date.UTC(2026, 2, 29, 12, 0, 0); // 29 March 2026, Europe's spring DST day: budgets stay UTC

describe("budget", () => {
  it("counts every call per UTC day, persisted so a restart continues the count", () => {
    const dir = tmpDataDir();
    const a = createBudget({ path: budgetFilePath(dir), daily: 3 });
    a.take(T);
    a.take(T + 1);
    expect(a.callsToday(T)).toBe(2);
    const b = createBudget({ path: budgetFilePath(dir), daily: 3 }); // restart
    expect(b.callsToday(T + 2)).toBe(2);
    b.take(T + 2);
    expect(() => b.take(T + 3)).toThrow(
      expect.objectContaining({ kind: "rate-limited", retryAtMs: nextUtcMidnight(T) }),
    );
    expect(b.callsToday(T + 3)).toBe(3); // a refused call is not sent and not counted
    // A new UTC day (00:00 UTC, whatever the local zone says) brings a new budget.
    const midnight = Date.UTC(2026, 2, 30);
    expect(b.callsToday(midnight - 1)).toBe(3);
    expect(b.callsToday(midnight)).toBe(0);
    b.take(midnight);
    expect(JSON.parse(readFileSync(budgetFilePath(dir), "utf8"))).toMatchObject({
      day: "2026-03-30",
      calls: 1,
    });
  });

  it("a 429 block holds until limitReset, across a restart and across midnight", () => {
    const dir = tmpDataDir();
    const a = createBudget({ path: budgetFilePath(dir), daily: 100 });
    const reset = Date.UTC(2026, 2, 30, 0, 0, 4);
    a.block(reset);
    expect(() => a.take(T)).toThrow(expect.objectContaining({ kind: "rate-limited", retryAtMs: reset }));
    const b = createBudget({ path: budgetFilePath(dir), daily: 100 });
    expect(b.blockedUntil(reset - 1000)).toBe(reset);
    expect(b.nextPollAt(T, T, 300_000, 0)).toBe(reset);
    expect(() => b.take(reset - 1)).toThrow(/no calls until 2026-03-30T00:00:04.000Z/);
    b.take(reset);
    expect(b.blockedUntil(reset)).toBeUndefined();
  });

  it("stretches the interval so the remaining calls last until the end of the UTC day", () => {
    const b = createBudget({ path: budgetFilePath(tmpDataDir()), daily: 200 });
    // 12 h left, 200 - 12 reserved = 188 polls: one per 230 s would do, so the wanted 5 min stays.
    expect(b.nextPollAt(T, T, 300_000, 12)).toBe(T + 300_000);
    // 60 s wanted: stretched to 43 200 s / 188.
    expect(b.nextPollAt(T, T, 60_000, 12)).toBe(T + Math.ceil(43_200_000 / 188));
    for (let i = 0; i < 100; i++) b.take(T);
    // 100 - 12 = 88 calls for 12 h: one per 491 s.
    expect(b.nextPollAt(T, T, 60_000, 12)).toBe(T + Math.ceil(43_200_000 / 88));
    for (let i = 0; i < 88; i++) b.take(T);
    expect(b.nextPollAt(T, T, 60_000, 12)).toBe(Date.UTC(2026, 2, 30)); // nothing left: tomorrow
    expect(b.nextPollAt(undefined, T + 1, 60_000, 0)).toBe(T + 1); // first poll after a restart: now, if allowed
  });

  it.each([
    ["spring", Date.UTC(2026, 2, 29, 0, 30), Date.UTC(2026, 2, 30)],
    ["autumn", Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 26)],
  ])("the %s DST day is a 24 h UTC day for the budget", (_name, t, midnight) => {
    const b = createBudget({ path: budgetFilePath(tmpDataDir()), daily: 3 });
    for (let i = 0; i < 3; i++) b.take(t);
    expect(b.nextPollAt(t, t, 60_000, 0)).toBe(midnight);
    expect(nextUtcMidnight(t) - Math.floor(t / 86_400_000) * 86_400_000).toBe(86_400_000);
    expect(b.callsToday(midnight - 1)).toBe(3);
    expect(b.callsToday(midnight)).toBe(0);
  });

  it("a damaged budget file counts as a spent day, never as a fresh budget", () => {
    const dir = tmpDataDir();
    writeFileSync(join(dir, "viessmann-budget.json"), "{not json");
    const b = createBudget({ path: budgetFilePath(dir), daily: 10 });
    expect(() => b.take(T)).toThrow(expect.objectContaining({ kind: "rate-limited" }));
    b.take(Date.UTC(2026, 2, 30, 0, 0, 1));
    expect(b.callsToday(Date.UTC(2026, 2, 30, 1))).toBe(1);
  });
});
