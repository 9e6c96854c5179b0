import { describe, expect, it } from "vitest";
import { planPages } from "../../builder/plan.ts";
import { fakeRow, localMidnight } from "../fixtures/fake-reports.ts";
import { dayList } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 12 * 3_600_000;
const rows = () => dayList("2026-03-01", "2026-04-05").map((d) => fakeRow(d, TZ, NOW, false));
const keys = (plans: ReturnType<typeof planPages>) => new Map(plans.map((p) => [`${p.kind}/${p.id}`, p.key]));

describe("planPages", () => {
  it("lists every period with data, marks the open ones, names each page's files", () => {
    const plans = planPages(rows(), "design-1");
    expect(plans.filter((p) => p.kind === "day")).toHaveLength(36);
    expect(plans.filter((p) => p.kind === "month").map((p) => p.id)).toEqual(["2026-03", "2026-04"]);
    expect(plans.filter((p) => p.open).map((p) => `${p.kind}/${p.id}`)).toEqual([
      "day/2026-04-05",
      "week/2026-W14",
      "month/2026-04",
      "season/2025-26",
    ]);
    expect(plans.find((p) => p.id === "2026-W13")!.files).toEqual([
      "week/2026-W13/index.html",
      "week/2026-W13.json",
      "week/2026-W13.csv",
    ]);
  });

  it("late data on a closed day changes the keys of that day, the periods holding it and the next ones", () => {
    const before = keys(planPages(rows(), "design-1"));
    const late = rows();
    late[9] = { ...late[9]!, heat_kwh: 99, coverage_hp_pct: 100 }; // 2026-03-10, replayed from the journal
    const after = keys(planPages(late, "design-1"));
    const changed = [...before.keys()].filter((k) => before.get(k) !== after.get(k));
    // The next day, week and month compare themselves with the changed ones; no season before 2025-26.
    expect(changed).toEqual([
      "day/2026-03-10",
      "day/2026-03-11",
      "week/2026-W11",
      "week/2026-W12",
      "month/2026-03",
      "month/2026-04",
      "season/2025-26",
    ]);

    // A value inside a row's hourly list alone (the next cycle, with the last plan remembered).
    const hourly = rows();
    const hours = [...hourly[20]!.elec_hourly_kwh];
    hours[5] = (hours[5] ?? 0) + 0.25;
    hourly[20] = { ...hourly[20]!, elec_hourly_kwh: hours }; // 2026-03-21
    const again = keys(planPages(hourly, "design-1"));
    const moved = [...after.keys()].filter((k) => again.get(k) !== before.get(k));
    expect(moved).toEqual([
      "day/2026-03-21",
      "day/2026-03-22",
      "week/2026-W12",
      "week/2026-W13",
      "month/2026-03",
      "month/2026-04",
      "season/2025-26",
    ]);
  });

  it("a new day changes its neighbour's key (its next link), and a design change changes every key", () => {
    const before = keys(planPages(rows(), "design-1"));
    const longer = keys(planPages([...rows(), fakeRow("2026-04-06", TZ, NOW, false)], "design-1"));
    expect(longer.get("day/2026-04-05")).not.toBe(before.get("day/2026-04-05"));
    expect(longer.get("day/2026-04-03")).toBe(before.get("day/2026-04-03"));
    const redesigned = keys(planPages(rows(), "design-2"));
    expect([...before.keys()].every((k) => before.get(k) !== redesigned.get(k))).toBe(true);
  });
});
