import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import type { Reports } from "../../../reports/src/types.ts";
import { externalReferences } from "../../builder/archive.ts";
import { buildSite, type BuildResult } from "../../builder/build.ts";
import { loadSiteConfig, type SiteConfig } from "../../builder/config.ts";
import { listFiles } from "../../builder/publish.ts";
import { collectSecrets } from "../../builder/secrets.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";
import { brokenLinks, count, filesContaining, periodPages, unreachable } from "../support/site-checks.ts";

const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 14.5 * 3_600_000;
const clock = { now: () => NOW };

// Fake secrets, set the way a user sets them: variables and the Viessmann token file.
const SECRET_ENV = {
  INFLUX_TOKEN: "influx-token-s3cr3t-0123456789",
  SHELLY_PASSWORD: "shelly-pa55word-xyz",
};
const VIESSMANN = {
  access_token: "eyJhbGciOiJSUzI1NiJ9.access-s3cr3t",
  refresh_token: "4f2e-refresh-s3cr3t-token",
};

function setup(): { config: SiteConfig; secrets: ReturnType<typeof collectSecrets> } {
  const dataDir = mkdtempSync(join(tmpdir(), "site-build-test-"));
  writeFileSync(join(dataDir, "viessmann-token.json"), JSON.stringify(VIESSMANN), { mode: 0o600 });
  const config = loadSiteConfig({ DATA_DIR: dataDir });
  return { config, secrets: collectSecrets(SECRET_ENV, dataDir) };
}

describe("buildSite with the fake engine", () => {
  const { config, secrets } = setup();
  const reports = createFakeReports({ tz: TZ, nowMs: NOW });
  let first: BuildResult;
  let second: BuildResult;

  beforeAll(async () => {
    first = await buildSite({ reports, config, clock, logger: memoryLogger(), secrets });
    second = await buildSite({ reports, config, clock, logger: memoryLogger(), secrets });
  }, 120_000);

  const page = (rel: string) => readFileSync(join(config.siteOut, rel), "utf8");

  it("collects every configured secret", () => {
    expect(secrets.map((s) => s.name).sort()).toEqual([
      "INFLUX_TOKEN",
      "SHELLY_PASSWORD",
      "viessmann-token.json access_token",
      "viessmann-token.json refresh_token",
    ]);
  });

  it("publishes no secret anywhere in the site or the archive", () => {
    const values = [...Object.values(SECRET_ENV), ...Object.values(VIESSMANN)];
    expect(filesContaining(config.siteOut, values)).toEqual([]);
    expect(filesContaining(config.archiveDir, values)).toEqual([]);
  });

  it("the dashboard shows every status card, with the times of their readings, and its charts as SVG", () => {
    const html = page("index.html");
    expect(count(html, /class="kpi( warn)?"/g)).toBe(8);
    for (const label of [
      "Electric power",
      "Outside",
      "Flow",
      "Return",
      "Hot water",
      "Compressor",
      "COP now",
      "COP today",
    ])
      expect(html).toContain(`<div class="label">${label}</div>`);
    expect(html).toContain("1,342 W");
    // The reading 8 s before the build, as a time in the report zone (an age would freeze at build time).
    expect(html).toContain("last reading 14:29:52");
    expect(count(html, /<svg[^>]*viewBox=/g)).toBe(5);
    expect(count(html, /<details>/g)).toBe(5);
    expect(html).not.toContain('class="banner"');
    // A live dashboard without JavaScript: it reloads itself every SITE_INTERVAL.
    expect(html).toMatch(/<meta http-equiv="refresh" content="300"\s*\/?>/);
    expect(page("day/2026-03-29/index.html")).not.toContain('http-equiv="refresh"');
  });

  it("day pages show the day's figures and curves; the DST day has 23 hours", () => {
    const html = page("day/2026-03-29/index.html");
    expect(html).toContain("Sunday, 29 March 2026");
    expect(html).toContain("23 hours");
    for (const label of ["Heat", "Electricity", "COP", "COP while running", "Compressor starts", "Coverage"])
      expect(html).toContain(`<div class="label">${label}</div>`);
    expect(html).toContain("heat pump&#39;s estimate");
    expect(count(html, /<svg[^>]*viewBox=/g)).toBe(3);
    const noData = page("day/2026-03-10/index.html");
    expect(noData).toContain("No data for this period.");
  });

  it("week, month and season pages show totals, comparisons and charts", () => {
    const week = page("week/2026-W13/index.html");
    expect(week).toContain("Week 13, 2026");
    expect(week).toContain("Compared with the previous period");
    expect(count(week, /<svg[^>]*viewBox=/g)).toBe(3);
    const season = page("season/2025-26/index.html");
    expect(season).toContain("SPF (seasonal COP)");
    // The boundary from the meters' roles (the fake meters the heat pump alone), on every page.
    expect(season).toContain("Boundary H2: heat pump metered.");
    expect(season).toContain("Configured curve");
  });

  it("every page has a JSON twin with elec_kwh, heat_kwh and cop at the top level, and status.json its times", () => {
    for (const rel of [
      "day/2026-03-29.json",
      "week/2026-W13.json",
      "month/2026-03.json",
      "season/2025-26.json",
    ]) {
      const j = JSON.parse(page(rel)) as Record<string, unknown>;
      expect(Object.keys(j)).toEqual(expect.arrayContaining(["elec_kwh", "heat_kwh", "cop"]));
    }
    const status = JSON.parse(page("status.json")) as { power_w: { value: number; timeMs: number } };
    expect(status.power_w.value).toBe(1342);
    expect(status.power_w.timeMs).toBe(NOW - 8000);
  });

  it("ships no JavaScript and every internal link resolves", () => {
    const html = listFiles(config.siteOut).filter((f) => f.endsWith(".html"));
    expect(html.length).toBeGreaterThan(40);
    for (const f of html) expect(page(f)).not.toMatch(/<script\b/i);
    expect(listFiles(config.siteOut).filter((f) => f.endsWith(".js"))).toEqual([]);
    expect(brokenLinks(config.siteOut)).toEqual([]);
  });

  it("the index pages list every period; every page reaches every period within three links", () => {
    const calendar = page("day/index.html");
    const days = periodPages(config.siteOut).filter((f) => f.startsWith("day/"));
    expect(days).toHaveLength(36);
    for (const d of days) expect(calendar).toContain(`href="/${d.replace("index.html", "")}"`);
    for (const kind of ["week", "month", "season"]) {
      const index = page(`${kind}/index.html`);
      for (const p of periodPages(config.siteOut).filter((f) => f.startsWith(`${kind}/`)))
        expect(index).toContain(`href="/${p.replace("index.html", "")}"`);
    }
    expect(unreachable(config.siteOut, periodPages(config.siteOut), 3)).toEqual(new Map());
  });

  it("today, this week, this month and this season say 'so far' with their elapsed share", () => {
    // "Now" is Sunday 5 April 2026, 14:30: 14.5 of 24 hours, 6.6 of 7 days, 4.6 of 30, and the season 274 days to
    // March, 4 complete in April and 0.6 of today: 278.6 of 365.
    expect(page("day/2026-04-05/index.html")).toContain("In progress: 14.5 of 24 hours so far (60 %).");
    expect(page("week/2026-W14/index.html")).toContain("In progress: 6.6 of 7 days so far (94 %).");
    expect(page("month/2026-04/index.html")).toContain("In progress: 4.6 of 30 days so far (15 %).");
    expect(page("season/2025-26/index.html")).toContain("In progress: 278.6 of 365 days so far (76 %).");
    for (const rel of ["day/2026-04-05", "week/2026-W14", "month/2026-04", "season/2025-26"])
      expect(page(`${rel}/index.html`)).toMatch(/<h1>[^<]*, so far<\/h1>/);
    // Today has no change figure; the week is compared over its six complete days only.
    expect(page("day/2026-04-05/index.html")).not.toContain("Compared with the previous period");
    expect(page("week/2026-W14/index.html")).toContain("Previous week, first 6 days");
    // A closed day says nothing of the kind.
    expect(page("day/2026-04-04/index.html")).not.toContain("so far");
  });

  it("a second build renders only the open periods and carries the rest over", () => {
    expect(first.rendered).toBe(36 + 6 + 2 + 1); // days, weeks, months, season
    expect(second.rendered).toBe(4); // today, this week, this month, this season
    expect(second.carried).toBe(first.rendered - 4);
    expect(second.frozen).toEqual([]);
  });

  it("freezes the closed month once as a self-contained file and publishes it under /archive/", () => {
    expect(first.frozen).toEqual(["2026-03"]);
    const html = readFileSync(join(config.archiveDir, "2026-03.html"), "utf8");
    expect(externalReferences(html)).toBeNull();
    expect(html).toContain("<style>");
    expect(html).toContain("<svg");
    expect(html).toContain("March 2026");
    expect(page("archive/2026-03.html")).toBe(html);
    expect(JSON.parse(page("archive/2026-03.json")).heat_kwh).toBeTypeOf("number");
    expect(page("archive/index.html")).toContain('href="/archive/2026-03.html"');
    expect(existsSync(join(config.siteOut, "archive-frozen"))).toBe(false);
  });

  it("never renders an archived month again, even when every other page is re-rendered", async () => {
    const file = join(config.archiveDir, "2026-03.html");
    const marked = readFileSync(file, "utf8").replace("March 2026", "March 2026 (frozen copy)");
    writeFileSync(file, marked);
    const before = statSync(file).mtimeMs;
    const r = await buildSite({ reports, config, clock, logger: memoryLogger(), secrets, force: true });
    expect(r.rendered).toBe(first.rendered);
    expect(statSync(file).mtimeMs).toBe(before);
    expect(page("archive/2026-03.html")).toContain("March 2026 (frozen copy)");
  }, 120_000);

  it("a page deleted from the published site is rendered again by the next build", async () => {
    rmSync(join(config.siteOut, "day/2026-03-12/index.html"));
    // A page's whole folder, and a twin alone, count too.
    rmSync(join(config.siteOut, "day/2026-03-13"), { recursive: true });
    rmSync(join(config.siteOut, "week/2026-W11.csv"));
    const warned = memoryLogger();
    const again = await buildSite({ reports, config, clock, logger: warned, secrets });
    expect(warned.lines.join("\n")).toContain("3 pages were missing");
    expect(again.rendered).toBe(7); // the open periods, the two lost days and the lost week's CSV
    expect(page("day/2026-03-12/index.html")).toContain("Thursday, 12 March 2026");
    expect(page("day/2026-03-13/index.html")).toContain("Friday, 13 March 2026");
    expect(page("week/2026-W11.csv").split("\n")).toHaveLength(7 + 2); // header, 7 days, final newline
  }, 120_000);

  it("a changed price renders every period page again, though no daily row changed", async () => {
    const repriced: Reports = {
      ...reports,
      settings: { ...reports.settings, electricity_prices: [{ from: "00:00", to: "24:00", price: 0.5 }] },
    };
    const r = await buildSite({ reports: repriced, config, clock, logger: memoryLogger(), secrets });
    expect(r.rendered).toBe(first.rendered);
    // The same settings again: only the open periods.
    const again = await buildSite({ reports: repriced, config, clock, logger: memoryLogger(), secrets });
    expect(again.rendered).toBe(4);
  }, 120_000);

  it("leaves no temporary folders beside the site (the old site is removed in the background)", async () => {
    expect(readdirSync(config.dataDir).filter((n) => n.includes(".tmp-"))).toEqual([]);
    await vi.waitFor(
      () => expect(readdirSync(config.dataDir).filter((n) => n.includes(".old-"))).toEqual([]),
      {
        timeout: 10_000,
      },
    );
  });
});

describe("a failed build keeps the last good site", () => {
  it("when the engine fails, and when a page would carry a secret", async () => {
    const { config, secrets } = setup();
    const good = createFakeReports({ tz: TZ, nowMs: NOW, first: "2026-03-25", last: "2026-04-05" });
    await buildSite({ reports: good, config, clock, logger: memoryLogger(), secrets });
    const before = readFileSync(join(config.siteOut, "index.html"), "utf8");

    const broken: Reports = {
      ...good,
      status: async () => Promise.reject(new Error("InfluxDB unreachable")),
    };
    await expect(
      buildSite({ reports: broken, config, clock, logger: memoryLogger(), secrets }),
    ).rejects.toThrow("InfluxDB unreachable");
    expect(readFileSync(join(config.siteOut, "index.html"), "utf8")).toBe(before);

    const leaky: Reports = {
      ...good,
      report: async (p) => ({ ...(await good.report(p)), label: `Leak ${SECRET_ENV.INFLUX_TOKEN}` }),
    };
    const err = await buildSite({
      reports: leaky,
      config,
      clock,
      logger: memoryLogger(),
      secrets,
      force: true,
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^the rendered page .* contains the value of INFLUX_TOKEN/);
    expect((err as Error).message).not.toContain(SECRET_ENV.INFLUX_TOKEN);
    expect(readFileSync(join(config.siteOut, "index.html"), "utf8")).toBe(before);
    expect(readdirSync(config.dataDir).filter((n) => n.includes(".tmp-"))).toEqual([]);

    // Another build of the same site running (its lock names a live process that is neither this one
    // nor its parent, which count as a killed build's pid reused in a restarted container): refused,
    // site kept.
    const other = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      await once(other, "spawn");
      writeFileSync(`${config.siteOut}.lock`, String(other.pid));
      await expect(
        buildSite({ reports: good, config, clock, logger: memoryLogger(), secrets }),
      ).rejects.toThrow(`another build of ${config.siteOut} is running (process ${other.pid})`);
    } finally {
      other.kill("SIGKILL");
    }
    expect(readFileSync(join(config.siteOut, "index.html"), "utf8")).toBe(before);
    // A lock left by a build that crashed (no such process) is taken over.
    writeFileSync(`${config.siteOut}.lock`, "4194303");
    await buildSite({ reports: good, config, clock, logger: memoryLogger(), secrets });
    expect(existsSync(`${config.siteOut}.lock`)).toBe(false);

    // A source that suddenly returns nothing (wrong LOCAL_SOURCE, empty bucket) does not empty the site.
    const empty: Reports = { ...good, extent: async () => null };
    await expect(
      buildSite({ reports: empty, config, clock, logger: memoryLogger(), secrets }),
    ).rejects.toThrow(/returned no data at all, but the published site has 17 report pages; kept it/);
    expect(readFileSync(join(config.siteOut, "index.html"), "utf8")).toBe(before);
  }, 120_000);

  it("when publishing stops half way, the manifest still names what the last build put in place", async () => {
    const { config, secrets } = setup();
    const good = createFakeReports({ tz: TZ, nowMs: NOW, first: "2026-03-25", last: "2026-04-05" });
    await buildSite({ reports: good, config, clock, logger: memoryLogger(), secrets });
    const manifest = join(config.siteOut, ".manifest.json");
    const before = readFileSync(manifest, "utf8");
    // Late data changes 30 March; a folder where its CSV goes makes the move of that file fail.
    const late: Reports = {
      ...good,
      dailyRows: async (from, to) =>
        (await good.dailyRows(from, to)).map((r) => (r.day === "2026-03-30" ? { ...r, heat_kwh: 99 } : r)),
    };
    rmSync(join(config.siteOut, "day/2026-03-30.csv"));
    mkdirSync(join(config.siteOut, "day/2026-03-30.csv/blocked"), { recursive: true });
    await expect(
      buildSite({ reports: late, config, clock, logger: memoryLogger(), secrets }),
    ).rejects.toThrow();
    expect(readFileSync(manifest, "utf8")).toBe(before);
  }, 120_000);
});

describe("the archive holds only real months", () => {
  const feb = Array.from({ length: 28 }, (_, i) => `2026-02-${String(i + 1).padStart(2, "0")}`);

  it(
    "a closed month without data is never frozen; " +
      "--rebuild-archive renders archived months again and removes those without data",
    async () => {
      const { config, secrets } = setup();
      const deps = { config, clock, logger: memoryLogger(), secrets };
      // January and March have data, February none (inside the data's span, so it has pages).
      const withGap = createFakeReports({
        tz: TZ,
        nowMs: NOW,
        first: "2026-01-25",
        last: "2026-04-05",
        missing: feb,
      });
      const built = await buildSite({ ...deps, reports: withGap });
      expect(built.frozen).toEqual(["2026-01", "2026-03"]);
      expect(existsSync(join(config.archiveDir, "2026-02.html"))).toBe(false);
      expect(existsSync(join(config.siteOut, "month/2026-02/index.html"))).toBe(true);

      // The data changes: January is gone. A normal build leaves the archive alone...
      const later = createFakeReports({
        tz: TZ,
        nowMs: NOW,
        first: "2026-03-01",
        last: "2026-04-05",
        missing: feb,
      });
      const march = readFileSync(join(config.archiveDir, "2026-03.html"), "utf8");
      writeFileSync(
        join(config.archiveDir, "2026-03.html"),
        march.replace("March 2026", "March 2026 (old render)"),
      );
      const normal = await buildSite({ ...deps, reports: later });
      expect(normal.frozen).toEqual([]);
      expect(existsSync(join(config.archiveDir, "2026-01.html"))).toBe(true);
      // ...--rebuild-archive renders March again and removes January, from ARCHIVE_DIR and the site.
      const rebuilt = await buildSite({ ...deps, reports: later, rebuildArchive: true });
      expect(rebuilt.frozen).toEqual(["2026-03"]);
      expect(rebuilt.unarchived).toEqual(["2026-01"]);
      expect(readFileSync(join(config.archiveDir, "2026-03.html"), "utf8")).not.toContain("(old render)");
      expect(readFileSync(join(config.siteOut, "archive/2026-03.html"), "utf8")).not.toContain(
        "(old render)",
      );
      for (const dir of [config.archiveDir, join(config.siteOut, "archive")])
        expect(readdirSync(dir).filter((f) => f.startsWith("2026-01"))).toEqual([]);
      expect(readFileSync(join(config.siteOut, "archive/index.html"), "utf8")).not.toContain("2026-01");
    },
    180_000,
  );

  it("an empty archive page (a write cut off) does not count as archived: the month is frozen again", async () => {
    const { config, secrets } = setup();
    const reports = createFakeReports({ tz: TZ, nowMs: NOW });
    const deps = { reports, config, clock, logger: memoryLogger(), secrets };
    expect((await buildSite(deps)).frozen).toEqual(["2026-03"]);
    writeFileSync(join(config.archiveDir, "2026-03.html"), "");
    expect((await buildSite(deps)).frozen).toEqual(["2026-03"]);
    expect(readFileSync(join(config.archiveDir, "2026-03.html"), "utf8")).toContain("March 2026");
  }, 120_000);
});
