/**
 * Links between report pages, over the fake engine: a report's neighbours, the periods that contain
 * it and the periods inside it that have a page (data from 1 March 2026; now, where it matters,
 * Sunday 5 April 2026, 14:30 in Berlin).
 */
import { describe, expect, it } from "vitest";
import { navigation } from "../../src/lib/navigation.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";

const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 14.5 * 3_600_000;
const fake = createFakeReports({ tz: TZ, nowMs: NOW });

describe("navigation", () => {
  const extent = { first: "2026-03-01", last: "2026-04-05" };

  it("links the neighbours and the containing periods", async () => {
    const nav = navigation(await createFakeReports({ tz: TZ }).report({ kind: "day", id: "2026-03-29" }));
    expect(nav.prev?.href).toBe("/day/2026-03-28/");
    expect(nav.next?.href).toBe("/day/2026-03-30/");
    expect(nav.up.map((l) => l.href)).toEqual(["/week/2026-W13/", "/month/2026-03/", "/season/2025-26/"]);
  });

  it("a week links up to both months it touches and its season", async () => {
    const nav = navigation(await fake.report({ kind: "week", id: "2026-W14" }), extent);
    expect(nav.up.map((l) => l.href)).toEqual(["/month/2026-03/", "/month/2026-04/", "/season/2025-26/"]);
    expect(nav.down).toBeNull();
  });

  it("a month links down to its weeks, a season to its months with data", async () => {
    const month = navigation(await fake.report({ kind: "month", id: "2026-03" }), extent);
    // 1 March 2026 is a Sunday (week 9); 31 March a Tuesday (week 14).
    expect(month.down!.links.map((l) => l.href)).toEqual(
      ["09", "10", "11", "12", "13", "14"].map((w) => `/week/2026-W${w}/`),
    );
    expect(month.up.map((l) => l.href)).toEqual(["/season/2025-26/"]);
    const season = navigation(await fake.report({ kind: "season", id: "2025-26" }), extent);
    expect(season.down!.links.map((l) => l.href)).toEqual(["/month/2026-03/", "/month/2026-04/"]);
  });
});
