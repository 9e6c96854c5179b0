/** The index pages' numbers: closed periods keep their summary while their page's key stays the same. */
import { describe, expect, it } from "vitest";
import { manifestKey, planPages } from "../../builder/plan.ts";
import { periodSummaries } from "../../builder/period-summaries.ts";
import { fakeRow, localMidnight } from "../fixtures/fake-reports.ts";
import { dayList } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 12 * 3_600_000;
const EXTENT = { first: "2026-03-01", last: "2026-04-05" };
// The season from its first day, as the build reads it; data from 1 March.
const rows = () => dayList("2025-07-01", "2026-04-05").map((d) => fakeRow(d, TZ, NOW, d < EXTENT.first));
const keysOf = (r: ReturnType<typeof rows>) =>
  new Map(
    planPages(r.slice(r.findIndex((x) => x.day === EXTENT.first)), "design").map((p) => [
      manifestKey(p),
      p.key,
    ]),
  );
const week = (i: ReturnType<typeof periodSummaries>, id: string) => i.week.find((w) => w.id === id)!;

describe("periodSummaries over the long-running builder's cycles", () => {
  it("reuses a closed period's summary while its key is unchanged, and rolls it up again when it changes", () => {
    const first = rows();
    const a = periodSummaries(first, EXTENT, NOW, keysOf(first));
    const b = periodSummaries(rows(), EXTENT, NOW, keysOf(rows()));
    // Closed week 13: the very same summary; this week (open) is rolled up again.
    expect(week(b, "2026-W13")).toBe(week(a, "2026-W13"));
    expect(week(b, "2026-W14")).not.toBe(week(a, "2026-W14"));
    expect(week(b, "2026-W14")).toEqual(week(a, "2026-W14"));

    // Late data on Wednesday 25 March: week 13's key changes, so does its summary (heat summed by hand).
    const late = rows();
    const i = late.findIndex((r) => r.day === "2026-03-25");
    late[i] = { ...late[i]!, heat_kwh: late[i]!.heat_kwh! + 10 };
    const c = periodSummaries(late, EXTENT, NOW, keysOf(late));
    const w13 = late.filter((r) => r.day >= "2026-03-23" && r.day <= "2026-03-29");
    expect(week(c, "2026-W13").heat_kwh).toBeCloseTo(
      w13.reduce((s, r) => s + r.heat_kwh!, 0),
      6,
    );
    expect(week(c, "2026-W13").heat_kwh).toBeCloseTo(week(a, "2026-W13").heat_kwh! + 10, 6);
    // Without keys (a one-shot caller), everything is rolled up.
    expect(week(periodSummaries(first, EXTENT, NOW), "2026-W12")).not.toBe(week(c, "2026-W12"));
  });
});
