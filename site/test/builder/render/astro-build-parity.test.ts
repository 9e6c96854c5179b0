/**
 * The builder renders pages with Astro's container API; `astro build` is the reference. A small
 * Astro project renders each of the site's page modules (every page kind, the JSON and CSV twins,
 * status.json, the 404 page and an archived month) with the same props through `astro build`; the
 * renderer must produce the very same bytes: compressed HTML, the doctype, the inline stylesheet, the
 * SVG charts drawn in the report zone.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PeriodKind } from "../../../../reports/src/types.ts";
import type { SnapshotIndex } from "../../../src/lib/snapshot.ts";
import { periodSummaries, summaryDays } from "../../../builder/period-summaries.ts";
import { filesOf, type PageJob, propsOf } from "../../../builder/render/page-table.ts";
import { createSiteRenderer } from "../../../builder/render/site-renderer.ts";
import { createFakeReports, localMidnight } from "../../fixtures/fake-reports.ts";
import { astroProject, removeProject, SITE_DIR } from "../../support/astro-project.ts";
import { addDays } from "../../../../core/src/time.ts";

const run = promisify(execFile);
const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 14.5 * 3_600_000;

/** One job of each kind, with props as plain JSON (what both sides read). */
async function jobs(): Promise<PageJob[]> {
  const reports = createFakeReports({ tz: TZ, nowMs: NOW });
  const extent = (await reports.extent())!;
  const report = (kind: PeriodKind, id: string) => reports.report({ kind, id });
  // The 23-hour DST day: its time axis is drawn in the report zone.
  const dst = await report("day", "2026-03-29");
  const day = {
    report: dst,
    buckets: await reports.dayBuckets("2026-03-29"),
    series: await reports.series(Date.parse(dst.start), Date.parse(dst.end)),
  };
  const today = "2026-04-05";
  const span = summaryDays(extent, today);
  const periods = periodSummaries(await reports.dailyRows(span.from, span.to), extent, NOW);
  const march = await report("month", "2026-03");
  const index: SnapshotIndex = {
    builtAtMs: NOW,
    refreshS: 300,
    tz: TZ,
    latest: { day: today, week: "2026-W14", month: "2026-04", season: "2025-26" },
    extent,
    archive: [
      {
        id: "2026-03",
        label: march.label,
        elec_kwh: march.elec_kwh,
        heat_kwh: march.heat_kwh,
        cop: march.cop,
      },
    ],
  };
  const dashboard = {
    status: await reports.status(NOW),
    fromMs: NOW - 86_400_000,
    toMs: NOW,
    series: await reports.series(NOW - 86_400_000, NOW),
    week: await reports.dailyRows(addDays(today, -6), today),
    today,
  };
  const list: PageJob[] = [
    { page: "dashboard", props: { dashboard, index } },
    { page: "not-found" },
    { page: "archive-index", props: { index } },
    ...(["day", "week", "month", "season"] as const).map((kind) => ({
      page: "index" as const,
      kind,
      props: { periods },
    })),
    { page: "period", kind: "day", id: "2026-03-29", props: { day, extent } },
    {
      page: "period",
      kind: "week",
      id: "2026-W14",
      props: { report: await report("week", "2026-W14"), extent },
    },
    { page: "period", kind: "month", id: "2026-03", props: { report: march, extent } },
    {
      page: "period",
      kind: "season",
      id: "2025-26",
      props: { report: await report("season", "2025-26"), extent },
    },
    { page: "archived-month", id: "2026-03", props: { report: march, archived: ["2026-03"] } },
  ];
  return JSON.parse(JSON.stringify(list)) as PageJob[];
}

describe("the renderer and astro build", () => {
  let root: string;
  let list: PageJob[];
  const built = new Map<string, string>();

  beforeAll(async () => {
    list = await jobs();
    // One harness page per file: it renders the site's own page module with the props the renderer
    // gives it (the job's, and the kind of an index or report page).
    const files: Record<string, string> = {
      "astro.config.mjs": `export { default } from ${JSON.stringify(join(SITE_DIR, "astro.config.mjs"))};\n`,
    };
    let n = 0;
    list.forEach((job, j) => {
      files[`props/${j}.json`] = JSON.stringify(propsOf(job));
      for (const f of filesOf(job)) {
        const module = JSON.stringify(join(SITE_DIR, "src", "pages", f.module));
        const props = JSON.stringify(`../../props/${j}.json`);
        const name = `f${n++}`;
        built.set(f.rel, name);
        files[f.endpoint ? `src/pages/${name}.data.ts` : `src/pages/${name}.astro`] = f.endpoint
          ? `import { GET as get } from ${module};\nimport props from ${props};\n` +
            "export const GET = () => get({ props });\n"
          : `---\nimport Page from ${module};\nimport props from ${props};\n---\n<Page {...props} />\n`;
      }
    });
    root = astroProject(files);
    const script =
      `import { build } from "astro"; await build({ root: ${JSON.stringify(root)}, ` +
      `outDir: ${JSON.stringify(join(root, "dist"))}, logLevel: "warn" });`;
    await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      env: { ...process.env, TZ },
    });
  }, 120_000);
  afterAll(() => removeProject(root));

  it("render every page, twin and endpoint to the same bytes", async () => {
    const renderer = await createSiteRenderer();
    const zone = process.env.TZ;
    process.env.TZ = TZ;
    const rendered: { rel: string; text: string }[] = [];
    try {
      for (const job of list) rendered.push(...(await renderer.render(job)));
    } finally {
      process.env.TZ = zone;
    }
    expect(rendered.map((f) => f.rel)).toEqual([...built.keys()]);
    for (const f of rendered) {
      const name = built.get(f.rel)!;
      const path = f.rel.endsWith(".html")
        ? join(root, "dist", name, "index.html")
        : join(root, "dist", `${name}.data`);
      expect({ file: f.rel, text: f.text }).toEqual({ file: f.rel, text: readFileSync(path, "utf8") });
    }
    // The pages are full pages with their charts: not an empty comparison.
    expect(rendered.find((f) => f.rel === "day/2026-03-29/index.html")!.text).toMatch(
      /^<!DOCTYPE html><html lang="en">.*<svg/s,
    );
  }, 60_000);
});
