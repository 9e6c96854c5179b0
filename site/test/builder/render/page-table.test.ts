/**
 * The page table: weeks, months and seasons share one module per page shape and get their kind as a
 * prop; a day and the days' calendar have their own; every file keeps the address it had.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesOf, PAGE_MODULES, type PageJob, propsOf } from "../../../builder/render/page-table.ts";

// Props as the table passes them on; their content does not matter here.
const periods = { days: [], week: [], month: [], season: [] };
const report = { id: "x" } as never;

describe("the page table", () => {
  it("routes a week, a month and a season to the same modules, with the kind among the props", () => {
    for (const [kind, id] of [
      ["week", "2026-W14"],
      ["month", "2026-03"],
      ["season", "2025-26"],
    ] as const) {
      const job: PageJob = { page: "period", kind, id, props: { report, extent: null } };
      expect(filesOf(job)).toEqual([
        { rel: `${kind}/${id}/index.html`, module: "period.astro", endpoint: false },
        { rel: `${kind}/${id}.json`, module: "period.json.ts", endpoint: true },
        { rel: `${kind}/${id}.csv`, module: "period.csv.ts", endpoint: true },
      ]);
      expect(propsOf(job)).toEqual({ report, extent: null, kind });
      const index: PageJob = { page: "index", kind, props: { periods } };
      expect(filesOf(index)).toEqual([
        { rel: `${kind}/index.html`, module: "period-index.astro", endpoint: false },
      ]);
      expect(propsOf(index)).toEqual({ periods, kind });
    }
  });

  it("gives a day and the days' calendar their own modules", () => {
    const day: PageJob = {
      page: "period",
      kind: "day",
      id: "2026-03-29",
      props: { day: {} as never, extent: null },
    };
    expect(filesOf(day).map((f) => [f.rel, f.module])).toEqual([
      ["day/2026-03-29/index.html", "day.astro"],
      ["day/2026-03-29.json", "day.json.ts"],
      ["day/2026-03-29.csv", "day.csv.ts"],
    ]);
    expect(filesOf({ page: "index", kind: "day", props: { periods } })).toEqual([
      { rel: "day/index.html", module: "calendar.astro", endpoint: false },
    ]);
  });

  it("keeps the addresses of the other pages, and lists every module it routes to", () => {
    const jobs: PageJob[] = [
      { page: "dashboard", props: {} as never },
      { page: "alerts", props: {} as never },
      { page: "not-found" },
      { page: "archive-index", props: {} as never },
      { page: "archived-month", id: "2026-02", props: {} as never },
    ];
    expect(jobs.flatMap(filesOf).map((f) => [f.rel, f.module])).toEqual([
      ["index.html", "dashboard.astro"],
      ["status.json", "status.json.ts"],
      ["alerts/index.html", "alerts.astro"],
      ["alerts.json", "alerts.json.ts"],
      ["404.html", "not-found.astro"],
      ["archive/index.html", "archive-index.astro"],
      ["archive/2026-02.html", "archived-month.astro"],
    ]);
    expect(propsOf({ page: "not-found" })).toEqual({});
    expect([...PAGE_MODULES].sort()).toEqual(
      [
        "alerts.astro",
        "alerts.json.ts",
        "archive-index.astro",
        "archived-month.astro",
        "calendar.astro",
        "dashboard.astro",
        "day.astro",
        "day.csv.ts",
        "day.json.ts",
        "not-found.astro",
        "period-index.astro",
        "period.astro",
        "period.csv.ts",
        "period.json.ts",
        "status.json.ts",
      ].sort(),
    );
    // And nothing else lies in src/pages: a module no job renders would be compiled for nothing.
    expect(readdirSync(join(import.meta.dirname, "../../../src/pages")).sort()).toEqual(
      [...PAGE_MODULES].sort(),
    );
  });
});
