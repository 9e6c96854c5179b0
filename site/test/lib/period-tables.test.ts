/**
 * The tables of a report page: a period's days (a season's months) shown whole with the period's own
 * totals at the foot, and on a phone no value broken between its number and its unit. The page is
 * rendered by the site's own renderer and laid out by Debian's Chromium.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSiteRenderer } from "../../builder/render/site-renderer.ts";
import { launchChromium } from "../../dev/chromium.ts";
import { periodView, seasonView } from "../../src/lib/page-views.ts";
import { createFakeReports, fakeRow, localMidnight } from "../fixtures/fake-reports.ts";
import { dayList } from "../../../core/src/time.ts";

process.env.TZ = "Europe/Berlin";
const TZ = "Europe/Berlin";
// Data from 5 October 2026 (monitoring began then) to now, 5 December 2026, 14:30.
const NOW = localMidnight("2026-12-05", TZ) + 14.5 * 3_600_000;
const FIRST = "2026-10-05";
const fake = createFakeReports({ tz: TZ, first: FIRST, last: "2026-12-05", nowMs: NOW, missing: [] });
const extent = { first: FIRST, last: "2026-12-05" };
const rows = (from: string, to: string) => dayList(from, to).map((d) => fakeRow(d, TZ, NOW, false));
const sum = (xs: (number | null)[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);

describe("the table of a period's days", () => {
  it("ends with the period's totals: energies summed, COP from the sums, as on the cards", async () => {
    const r = await fake.report({ kind: "month", id: "2026-11" });
    const days = rows("2026-11-01", "2026-11-30");
    const heat = sum(days.map((d) => d.heat_kwh));
    const elec = sum(days.map((d) => d.elec_kwh));
    const total = periodView(r, extent).days.total!;
    expect(total.head).toBe("Total");
    // Σ heat and Σ electricity of the 30 rows (the fake's own rounding of each day kept), COP their
    // ratio; the outside mean weighted by heat, starts summed, coverage as on the card.
    expect(total.cells[0]).toBe(
      heat.toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    );
    expect(total.cells[1]).toBe(elec.toFixed(1));
    expect(total.cells[2]).toBe((heat / elec).toFixed(2));
    const outside = sum(days.map((d) => d.outside_mean_c! * d.heat_kwh!)) / heat;
    expect(total.cells[3]).toBe(outside.toFixed(1));
    expect(total.cells[4]).toBe(String(sum(days.map((d) => d.starts))));
    expect(total.cells[5]).toBe("99 %");
  });

  it("a season's months end with the season's totals so far, in whole kWh", async () => {
    const r = await fake.report({ kind: "season", id: "2026-27" });
    const total = seasonView(r, extent).days.total!;
    expect(total.head).toBe("Total so far");
    const heat = sum(rows(FIRST, "2026-12-05").map((d) => d.heat_kwh));
    expect(total.cells[0]).toBe(Math.round(heat).toLocaleString("en-GB"));
  });
});

describe("report page tables in a browser", () => {
  let browser: Browser;
  let html: string;

  beforeAll(async () => {
    const renderer = await createSiteRenderer();
    const report = await fake.report({ kind: "month", id: "2026-11" });
    const files = await renderer.render({
      page: "period",
      kind: "month",
      id: "2026-11",
      props: { report, extent },
    });
    html = files.find((f) => f.rel.endsWith("index.html"))!.text;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("shows the month's days whole, with its totals at the foot, in no scroll box", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.setContent(html, { waitUntil: "load" });
    const table = await page.evaluate(() => {
      const t = [...document.querySelectorAll("table.data")].at(-1)!;
      const wrap = t.closest(".tablewrap") as HTMLElement;
      return {
        rows: t.querySelectorAll("tbody tr").length,
        foot: t.querySelector("tfoot th")?.textContent,
        scrolls: wrap.scrollHeight > wrap.clientHeight + 1,
      };
    });
    expect(table).toEqual({ rows: 30, foot: "Total", scrolls: false });
    await page.close();
  });

  it("on a phone no value breaks between its number and its unit", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    await page.setContent(html, { waitUntil: "load" });
    // Lines of each cell's own text (its label is a ::before, outside the range).
    const broken = await page.evaluate(() =>
      [...document.querySelectorAll("table.reflow td")]
        .filter((td) => {
          const range = document.createRange();
          range.selectNodeContents(td);
          const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
          return tops.size > 1;
        })
        .map((td) => `${td.getAttribute("data-label")}: ${td.textContent}`),
    );
    expect(broken).toEqual([]);
    // The comparison's long column names ("Previous month (27 of 31 days with data)") are there.
    expect(html).toContain("Previous month (27 of 31 days with data)");
    await page.close();
  });
});
