/**
 * End to end: simulated history -> the real report engine (local source) -> buildSite -> a static
 * server on loopback -> Debian's Chromium with JavaScript disabled. Every page loads without
 * console errors, shows its figures and charts, fits a 390 px phone with nothing hidden, and a
 * screenshot of each (1280 px, light and dark, and 390 px) lands in .ci/artifacts/screenshots/ for a
 * human to look at.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { createReports, type ReportsEngine } from "../../../reports/src/index.ts";
import { loadAlertSettings } from "../../../core/src/alerts/settings.ts";
import { createBuilderAlerts } from "../../builder/alerts/builder-alerts.ts";
import { buildSite } from "../../builder/build.ts";
import { loadSiteConfig } from "../../builder/config.ts";
import { localMidnight } from "../fixtures/fake-reports.ts";
import { CHROMIUM, launchChromium } from "../../dev/chromium.ts";
import { brokenLinks, periodPages, unreachable } from "../support/site-checks.ts";
import { serveStatic } from "../support/static-server.ts";

const TZ = "Europe/Berlin";
// 40 days ending the day after the spring-forward day; "now" is 14:30 local on the last day.
const END = "2026-03-30";
const NOW = localMidnight(END, TZ) + 14.5 * 3_600_000;
const SHOTS = resolve(import.meta.dirname, "../../../.ci/artifacts/screenshots");

const PAGES = [
  { path: "/", name: "dashboard", svgs: 5 },
  // A day: power, temperatures, COP, and the simulator's flow rate with flow − return and compressor speed.
  { path: "/day/2026-03-29/", name: "day-dst", svgs: 5 },
  { path: "/week/2026-W13/", name: "week", svgs: 3 },
  { path: "/month/2026-03/", name: "month", svgs: 3 },
  { path: "/season/2025-26/", name: "season", svgs: 4 },
  { path: "/archive/", name: "archive-index", svgs: 0 },
  { path: "/archive/2026-02.html", name: "archive-month", svgs: 3 },
  { path: "/day/", name: "calendar", svgs: 0 },
  { path: "/week/", name: "weeks", svgs: 0 },
  { path: "/month/", name: "months", svgs: 0 },
  { path: "/season/", name: "seasons", svgs: 0 },
  // Every condition with how it stands and why: sentences in a table.
  { path: "/alerts/", name: "alerts", svgs: 0 },
  // Today, this week and this month: in progress.
  { path: `/day/${END}/`, name: "day-today", svgs: 5 },
  { path: "/week/2026-W14/", name: "week-today", svgs: 3 },
];

/**
 * A full-page screenshot for the artifacts. Headless Chromium without a GPU now and then answers
 * "Unable to capture screenshot" on a loaded machine (a tall page, rendered fine); the picture is
 * for people to look at, not an assertion, so it is taken once more before the test fails.
 */
async function screenshot(page: Page, path: string): Promise<void> {
  try {
    await page.screenshot({ path, fullPage: true });
  } catch (e) {
    if (!/Unable to capture screenshot/.test((e as Error).message)) throw e;
    await page.screenshot({ path, fullPage: true });
  }
}

describe("the built site in Chromium (JavaScript disabled)", () => {
  let reports: ReportsEngine;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let siteOut: string;

  beforeAll(async () => {
    // Without Chromium every test here fails, saying so (never skipped).
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    const dataDir = mkdtempSync(join(tmpdir(), "site-e2e-"));
    const history = join(dataDir, "history.lp");
    await writeHistory({ days: 40, end: END, seed: 7, out: history, tz: TZ });
    reports = createReports({
      env: { LOCAL_SOURCE: history, REPORT_TZ: TZ, DATA_DIR: dataDir },
      now: () => NOW,
      noDiskCache: true,
    });
    siteOut = join(dataDir, "site");
    const config = loadSiteConfig({ DATA_DIR: dataDir });
    const clock = { now: () => NOW };
    const logger = memoryLogger();
    await buildSite({ reports, config, clock, logger, secrets: [] });
    // The alerts judged after that build, as the builder does: the next build's /alerts/ shows them.
    const alerts = createBuilderAlerts({
      settings: loadAlertSettings({}),
      reports,
      site: config,
      logger,
      clock,
    });
    await alerts.afterBuild(true);
    await buildSite({ reports, config, clock, logger, secrets: [] });
    server = await serveStatic(siteOut);
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await reports?.close();
  });

  it("links resolve within the site", () => {
    expect(brokenLinks(siteOut)).toEqual([]);
  });

  it(
    "today's day, week, month and season say 'so far' with their elapsed share; " +
      "every period is three links away",
    () => {
      const html = (rel: string) => readFileSync(join(siteOut, rel), "utf8");
      // Monday 30 March, 14:30 (CEST): 14.5 hours of the 24; day 1 of week 14; 29 of March's 31 days
      // over; the season from 1 July: 272 days over.
      expect(html(`day/${END}/index.html`)).toContain("In progress: 14.5 of 24 hours so far (60 %).");
      expect(html("week/2026-W14/index.html")).toContain("In progress: 0.6 of 7 days so far (8 %).");
      expect(html("month/2026-03/index.html")).toContain("In progress: 29.6 of 31 days so far (95 %).");
      expect(html("season/2025-26/index.html")).toContain("In progress: 272.6 of 365 days so far (74 %).");
      // No change against a complete period: today and this week have none yet, March compares its
      // first 28 days with February's 28.
      expect(html(`day/${END}/index.html`)).not.toContain("Compared with the previous period");
      expect(html("week/2026-W14/index.html")).not.toContain("Compared with the previous period");
      expect(html("month/2026-03/index.html")).toContain("Previous month, first 28 days");
      const days = periodPages(siteOut).filter((p) => p.startsWith("day/"));
      expect(days).toHaveLength(40);
      for (const d of days)
        expect(html("day/index.html")).toContain(`href="/${d.replace("index.html", "")}"`);
      expect(unreachable(siteOut, periodPages(siteOut), 3)).toEqual(new Map());
    },
  );

  for (const p of PAGES) {
    it(`${p.path} loads without errors, scripts or missing figures`, async () => {
      for (const scheme of ["light", "dark"] as const) {
        const ctx = await browser.newContext({
          javaScriptEnabled: false,
          viewport: { width: 1280, height: 900 },
          colorScheme: scheme,
        });
        const page = await ctx.newPage();
        const errors: string[] = [];
        page.on("console", (m) => {
          if (m.type() === "error") errors.push(m.text());
        });
        page.on("pageerror", (e) => errors.push(e.message));
        page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
        const res = await page.goto(server.url + p.path);
        expect(res?.status()).toBe(200);
        expect(await page.locator("h1").count()).toBe(1);
        expect(await page.locator("script").count()).toBe(0);
        expect(await page.locator("figure.chart svg").count()).toBe(p.svgs);
        if (p.svgs > 0) expect(await page.locator(".kpi").count()).toBeGreaterThanOrEqual(8);
        await screenshot(page, join(SHOTS, `${p.name}-${scheme}.png`));
        expect(errors).toEqual([]);
        await ctx.close();
      }
    }, 60_000);
  }

  it("fits a 390 px phone: no sideways scrolling anywhere, every table cell shown", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    for (const p of PAGES) {
      await page.goto(server.url + p.path);
      // Open every chart's data table: what a reader can open must fit too.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
      const fit = await page.evaluate(() => {
        const wide = [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((el) => el.tagName.toLowerCase() + (el.className ? `.${String(el.className)}` : ""));
        // A box that scrolls sideways hides part of its content. (A reflowed table's header row is
        // kept 1 px wide for screen readers; every cell shows its column name instead.)
        const scrolls = [...document.querySelectorAll("body *")]
          .filter((el) => el.clientWidth > 1)
          .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible")
          .map((el) => el.tagName.toLowerCase() + (el.className ? `.${String(el.className)}` : ""));
        const hidden = [...document.querySelectorAll("td")].filter(
          (td) => td.getClientRects().length === 0,
        ).length;
        return { doc: document.documentElement.scrollWidth, wide, scrolls, hidden };
      });
      expect({ page: p.path, ...fit }).toEqual({ page: p.path, doc: 390, wide: [], scrolls: [], hidden: 0 });
      await page.screenshot({ path: join(SHOTS, `${p.name}-390.png`), fullPage: true });
    }
    await ctx.close();
  }, 120_000);
});
