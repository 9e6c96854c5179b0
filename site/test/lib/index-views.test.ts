import { describe, expect, it } from "vitest";
import { calendarView, copClass, periodIndexView } from "../../src/lib/index-views.ts";
import type { PeriodIndexes } from "../../src/lib/snapshot.ts";
import { periodSummaries } from "../../builder/period-summaries.ts";
import { fakeRow, localMidnight } from "../fixtures/fake-reports.ts";
import { dayList } from "../../../core/src/time.ts";

const TZ = "Europe/Berlin";
// Now: Tuesday 3 March 2026, 12:00. Data from Sunday 1 March (none on the 2nd).
const NOW = localMidnight("2026-03-03", TZ) + 12 * 3_600_000;

function indexes(): PeriodIndexes {
  // Every day of the season so far, as the build reads them; no data before 1 March.
  const rows = dayList("2025-07-01", "2026-03-03").map((d) =>
    fakeRow(d, TZ, NOW, d < "2026-03-01" || d === "2026-03-02"),
  );
  return periodSummaries(rows, { first: "2026-03-01", last: "2026-03-03" }, NOW);
}

describe("the /day/ calendar", () => {
  it("colours each day by its COP: below 2, half steps to 4.5, 4.5 and above, none", () => {
    expect([1.99, 2, 2.49, 2.5, 3.2, 3.5, 4.49, 4.5, 6].map(copClass)).toEqual([
      "cop0",
      "cop1",
      "cop1",
      "cop2",
      "cop3",
      "cop4",
      "cop5",
      "cop6",
      "cop6",
    ]);
    expect(copClass(null)).toBe("nocop");
  });

  it("lays a month out Monday to Sunday by ISO week, each day with data linking to its page", () => {
    const { months } = calendarView(indexes());
    expect(months.map((m) => m.id)).toEqual(["2026-03"]);
    const march = months[0]!;
    expect(march).toMatchObject({ label: "March 2026", href: "/month/2026-03/" });
    // 1 March 2026 is a Sunday (week 9): six empty cells, then the 1st; 31 March a Tuesday (week 14).
    expect(march.weeks.map((w) => w.label)).toEqual(["W09", "W10", "W11", "W12", "W13", "W14"]);
    expect(march.weeks[0]!.days.slice(0, 6)).toEqual([null, null, null, null, null, null]);
    const first = march.weeks[0]!.days[6]!;
    expect(first).toMatchObject({ day: "2026-03-01", label: "1", href: "/day/2026-03-01/" });
    expect(first.className).toBe(`cal ${copClass(fakeRow("2026-03-01", TZ, NOW, false).cop)}`);
    // The 2nd has no data (a page without a COP), today is marked as so far, later days have no page.
    const [mon2, tue3, wed4] = march.weeks[1]!.days;
    expect(mon2).toMatchObject({ href: "/day/2026-03-02/", className: "cal nocop", cop: "–" });
    expect(tue3!.className).toMatch(/ partial$/);
    expect(tue3!.title).toMatch(/^Tue 3 Mar 2026 \(so far\): COP /);
    expect(wed4).toMatchObject({ href: null, className: "cal out" });
    // Week numbers link where the week has a page: weeks 9 and 10 hold the days with data.
    expect(march.weeks.map((w) => w.href)).toEqual([
      "/week/2026-W09/",
      "/week/2026-W10/",
      null,
      null,
      null,
      null,
    ]);
    // The month's HTML: its title links to the month, week numbers to weeks, days to days.
    expect(march.html).toMatch(
      /^<section class="cal-month" aria-label="March 2026"><h2><a href="\/month\/2026-03\/">March 2026<\/a><\/h2>/,
    );
    expect(march.html).toContain('<th scope="row"><a href="/week/2026-W09/">W09</a></th><td></td>');
    expect(march.html).toContain(
      `<a class="${first.className}" href="/day/2026-03-01/" title="${first.title}">` +
        `<span class="d">1</span><span class="v">${first.cop}</span></a>`,
    );
    expect(march.html).toContain('<th scope="row">W11</th>');
    expect(march.html).toContain(
      '<td><span class="cal out" title="Wed 4 Mar: no data"><span class="d">4</span></span></td>',
    );
    expect(march.html.match(/<td>/g)).toHaveLength(6 * 7);
  });
  it("lays out again a month whose day figures or week pages changed since the last call", () => {
    const before = calendarView(indexes()).months[0]!;
    const idx = indexes();
    // Late data on 1 March: a COP of 1.5 instead of the fake row's.
    idx.days = idx.days.map((d) => (d.day === "2026-03-01" ? { ...d, cop: 1.5 } : d));
    const after = calendarView(idx).months[0]!;
    expect(before.weeks[0]!.days[6]!.className).not.toBe("cal cop0");
    expect(after.weeks[0]!.days[6]).toMatchObject({ className: "cal cop0", cop: "1.50" });
    // Week 10 loses its page (no data in it any more): its number no longer links.
    const fewer = { ...idx, week: idx.week.filter((w) => w.id !== "2026-W10") };
    expect(calendarView(fewer).months[0]!.weeks[1]!.href).toBeNull();
    expect(calendarView(idx).months[0]!.weeks[1]!.href).toBe("/week/2026-W10/");
  });
});

describe("the /week/, /month/ and /season/ indexes", () => {
  it("list each period with data, newest first, the one in progress 'so far' with its days so far", () => {
    const weeks = periodIndexView("week", indexes());
    expect(weeks.rows.map((r) => r.head)).toEqual(["Week 10, 2026 (so far)", "Week 9, 2026"]);
    expect(weeks.rows[0]!.href).toBe("/week/2026-W10/");
    // Week 10 so far: Monday 2 (no data) and Tuesday 3: 1 of its 2 days so far has data.
    expect(weeks.rows[0]!.cells.at(-1)).toBe("1 of 2 so far");
    expect(weeks.rows[0]!.cells[0]).toBe("2 Mar – 8 Mar");
    const seasons = periodIndexView("season", indexes());
    // 1 July to 3 March: 243 days to February, 3 in March; 2 of them with data (1 and 3 March).
    expect(seasons.rows).toEqual([
      expect.objectContaining({ head: "2025/26 (so far)", href: "/season/2025-26/" }),
    ]);
    expect(seasons.rows[0]!.cells.at(-1)).toBe("2 of 246 so far");
    expect(seasons.columns[3]).toBe("SPF");
  });
});
