/**
 * What a page shows of other periods is in its key: the totals of the period before it (its
 * "previous" comparison), and for a day page just over, the next day's first hour (its last
 * five-minute bucket), while that hour comes in.
 */
import { describe, expect, it } from "vitest";
import { planPages } from "../../builder/plan.ts";
import { fakeRow, localMidnight } from "../fixtures/fake-reports.ts";
import { dayList } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 12 * 3_600_000;
const rows = (nowMs = NOW) => dayList("2026-03-01", "2026-04-05").map((d) => fakeRow(d, TZ, nowMs, false));
const keys = (plans: ReturnType<typeof planPages>) => new Map(plans.map((p) => [`${p.kind}/${p.id}`, p.key]));

describe("planPages: the neighbours a page shows", () => {
  it("a changed row of the previous period alone changes a closed page's key (the comparison it shows)", () => {
    const before = keys(planPages(rows(), "design-1"));
    // 2026-03-31: a Tuesday of week 14 (30 March - 5 April), the last day of March.
    const late = rows();
    late[30] = { ...late[30]!, heat_kwh: 99 };
    const after = keys(planPages(late, "design-1"));
    const changed = [...before.keys()].filter((k) => before.get(k) !== after.get(k));
    // 31 March, its next day 1 April; its week 14 (open) and March; April (open) compares with March.
    expect(changed).toEqual([
      "day/2026-03-31",
      "day/2026-04-01",
      "week/2026-W14",
      "month/2026-03",
      "month/2026-04",
      "season/2025-26",
    ]);
    // The same values again: the keys of the first plan.
    expect(keys(planPages(rows(), "design-1"))).toEqual(before);
  });

  it("a day just over is rendered like an open one until the next day's first hour and 10 minutes have passed", () => {
    const midnight = localMidnight("2026-04-05", TZ);
    const open = (nowMs: number) =>
      planPages(rows(nowMs), "design-1", nowMs)
        .filter((p) => p.open && p.kind === "day")
        .map((p) => p.id);
    // 00:30: yesterday's last bucket still waits for the heat pump's first reading after midnight.
    expect(open(midnight + 30 * 60_000)).toEqual(["2026-04-04", "2026-04-05"]);
    expect(open(midnight + 69 * 60_000)).toEqual(["2026-04-04", "2026-04-05"]);
    // 01:10: only today.
    expect(open(midnight + 70 * 60_000)).toEqual(["2026-04-05"]);
    // Without the build's time (a caller that does not say), only days not over.
    expect(
      planPages(rows(midnight + 30 * 60_000), "design-1")
        .filter((p) => p.open && p.kind === "day")
        .map((p) => p.id),
    ).toEqual(["2026-04-05"]);
  });
});
