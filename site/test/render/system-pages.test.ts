/**
 * The pages as the site's renderer writes them, from the fake engine with the whole system metered
 * (a backup heater, cooling, a room sensor, the hydraulics series) and with the heat pump alone: the
 * boundary on every page, the new cards, columns and charts where the data is, nothing new where not.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createSiteRenderer, type SiteRenderer } from "../../builder/render/site-renderer.ts";
import type { PageJob } from "../../builder/render/page-table.ts";
import type { SnapshotIndex } from "../../src/lib/snapshot.ts";
import { addDays } from "../../../core/src/time.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";
import { count } from "../support/site-checks.ts";

process.env.TZ = "Europe/Berlin";
const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 14.5 * 3_600_000;
const extent = { first: "2025-07-01", last: "2026-04-05" };
const fakes = {
  system: createFakeReports({ tz: TZ, first: extent.first, last: extent.last, nowMs: NOW, system: true }),
  plain: createFakeReports({ tz: TZ, first: extent.first, last: extent.last, nowMs: NOW }),
};
type Variant = keyof typeof fakes;

let renderer: SiteRenderer;
beforeAll(async () => {
  renderer = await createSiteRenderer();
}, 120_000);

async function html(job: PageJob): Promise<string> {
  const files = await renderer.render(job);
  return files.find((f) => f.rel.endsWith(".html"))!.text;
}

async function dayPage(v: Variant, day: string): Promise<string> {
  const f = fakes[v];
  const report = await f.report({ kind: "day", id: day });
  const series = await f.series(Date.parse(report.start), Date.parse(report.end));
  const buckets = await f.dayBuckets(day);
  return html({ page: "period", kind: "day", id: day, props: { day: { report, buckets, series }, extent } });
}

async function periodPage(v: Variant, kind: "month" | "season", id: string): Promise<string> {
  const report = await fakes[v].report({ kind, id });
  return html({ page: "period", kind, id, props: { report, extent } });
}

async function dashboard(v: Variant): Promise<string> {
  const f = fakes[v];
  const today = "2026-04-05";
  const index: SnapshotIndex = {
    builtAtMs: NOW,
    refreshS: 300,
    tz: TZ,
    latest: { day: today, week: "2026-W14", month: "2026-04", season: "2025-26" },
    extent,
    archive: [],
  };
  const props = {
    dashboard: {
      status: await f.status(NOW),
      fromMs: NOW - 86_400_000,
      toMs: NOW,
      series: await f.series(NOW - 86_400_000, NOW),
      week: await f.dailyRows(addDays(today, -6), today),
      today,
    },
    index,
  };
  return html({ page: "dashboard", props });
}

const svgs = (page: string) => count(page, /<svg[^>]*viewBox=/g);
const card = (label: string) => `<div class="label">${label}</div>`;

describe("a day page", () => {
  it("with the whole system: boundary H3, both COPs, the backup heater, hydraulics and compressor charts", async () => {
    const page = await dayPage("system", "2026-01-20");
    expect(page).toContain("Boundary H3: heat pump and backup heater metered.");
    for (const label of ["COP", "System COP", "Backup heater", "Room, mean"])
      expect(page).toContain(card(label));
    // Power, temperatures, COP, then flow rate with flow − return, and the compressor's speed.
    expect(svgs(page)).toBe(5);
    expect(page).toContain('<figure class="chart" id="hydraulics">');
    expect(page).toContain('<figure class="chart" id="compressor">');
    expect(page).toContain("<h3>Flow rate and flow − return</h3>");
    expect(page).toContain('stroke="var(--c-backup)"');
    // A winter day: no cooling card, no shading.
    expect(page).not.toContain(card("Cooling"));
    expect(page).not.toContain("var(--c-cooling)");
  });

  it("a summer day with cooling: its card, its note, and the cooling afternoon shaded", async () => {
    const page = await dayPage("system", "2025-07-17");
    expect(page).toContain(card("Cooling"));
    expect(page).toContain("Cooling is outside the heating COP, the degree-day figures and the house fit.");
    expect(page).toContain('fill="var(--c-cooling)"');
  });

  it("the heat pump alone: boundary H2 and the page as before (three charts, no new card)", async () => {
    const page = await dayPage("plain", "2026-01-20");
    expect(page).toContain("Boundary H2: heat pump metered.");
    expect(svgs(page)).toBe(3);
    for (const label of ["System COP", "Backup heater", "Cooling", "Room, mean"])
      expect(page).not.toContain(card(label));
    expect(page).not.toContain('id="hydraulics"');
    expect(page).not.toContain('id="compressor"');
    expect(page).not.toContain("--c-backup)");
  });
});

describe("a season page", () => {
  it("with the whole system: the system's SPF, backup and cooling cards and columns, the room sensor", async () => {
    const page = await periodPage("system", "season", "2025-26");
    expect(page).toContain("Boundary H3: heat pump and backup heater metered.");
    for (const label of ["SPF (seasonal COP)", "System SPF", "Backup heater", "Cooling"])
      expect(page).toContain(card(label));
    expect(page).toContain('<th scope="col">Backup (kWh)</th>');
    expect(page).toContain('<th scope="col">System COP</th>');
    expect(page).toContain("Indoor temperature used: room sensor.");
    expect(page).not.toContain("Metering boundary:");
  });

  it("the heat pump alone: boundary H2, no backup column", async () => {
    const page = await periodPage("plain", "season", "2025-26");
    expect(page).toContain("Boundary H2: heat pump metered.");
    expect(page).not.toContain("Backup (kWh)");
    expect(page).not.toContain(card("System SPF"));
    expect(page).not.toContain("Metering boundary:");
  });

  it("a month with the whole system states its boundary too", async () => {
    expect(await periodPage("system", "month", "2026-01")).toContain(
      "Boundary H3: heat pump and backup heater metered.",
    );
  });
});

describe("the dashboard", () => {
  it("states the boundary of its last 7 days", async () => {
    expect(await dashboard("system")).toContain(
      "Last 7 days at boundary H3: heat pump and backup heater metered.",
    );
    expect(await dashboard("plain")).toContain("Last 7 days at boundary H2: heat pump metered.");
  });
});
