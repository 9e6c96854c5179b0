/**
 * A builder killed (SIGKILL, as `kill -9`) at each step of a publish: as the first, second, ... page
 * goes live and as each file of a page that is gone is removed. After every cut no live page links to
 * a file that is not there and nginx (site/nginx/site.conf) answers no 403, at once and after the next
 * start, which finishes the publish: the site then holds what the uncut publish leaves, without an
 * empty folder and without the publish folder beside it. nginx must be installed: the test fails
 * without it.
 *
 * The build publishes a new day with its new week (which link each other), changed pages, and drops a
 * day and a week that left the store. It is rendered once in this process; its build folder and plan
 * are captured as publishing starts, and each cut runs the publish stage on a copy of them in a child
 * process (site/test/support/publish-cut.ts), over a copy of the site as it was.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import type { BuildPlan } from "../../builder/build-context.ts";
import { buildSite } from "../../builder/build.ts";
import { loadSiteConfig } from "../../builder/config.ts";
import { listFiles } from "../../builder/publish.ts";
import { createSiteRenderer } from "../../builder/render/site-renderer.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";
import { get, startNginx } from "../nginx-server.ts";
import { brokenLinks, folders, linkTargets } from "../support/site-checks.ts";

/** The build folder and plan of the build that publishes while `into` is set, copied into `into`. */
const capture = vi.hoisted(() => ({ into: null as string | null, plan: null as BuildPlan | null }));
vi.mock(import("../../builder/publish.ts"), async (importOriginal) => {
  const actual = await importOriginal();
  return {
    ...actual,
    publishBuild(fresh: string, siteOut: string, plan: BuildPlan) {
      if (capture.into) {
        cpSync(fresh, capture.into, { recursive: true });
        capture.plan = plan;
      }
      actual.publishBuild(fresh, siteOut, plan);
    },
  };
});

const CHILD = fileURLToPath(new URL("../support/publish-cut.ts", import.meta.url));
const TZ = "Europe/Berlin";
const H = 3_600_000;
// Before: 29 March (the only day of week 13) to 5 April, in the afternoon of the 5th.
const BEFORE = { first: "2026-03-29", last: "2026-04-05", now: localMidnight("2026-04-05", TZ) + 14.5 * H };
// After: 29 March left the store, and it is half past midnight on Monday 6 April, in week 15.
const AFTER = { first: "2026-03-30", last: "2026-04-06", now: localMidnight("2026-04-06", TZ) + 0.5 * H };
const GONE = ["/day/2026-03-29/", "/day/2026-03-29", "/week/2026-W13/", "/week/2026-W13"];

describe("a builder killed while it publishes", () => {
  it("never leaves a live page linking to a missing one, nor a 403, and the next start finishes", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "publish-cut-"));
    const config = loadSiteConfig({ DATA_DIR: dataDir });
    const site = config.siteOut;
    const renderer = await createSiteRenderer();
    const deps = (at: typeof BEFORE) => ({
      reports: createFakeReports({ tz: TZ, nowMs: at.now, first: at.first, last: at.last }),
      config,
      clock: { now: () => at.now },
      logger: memoryLogger(),
      secrets: [],
      renderer,
    });
    await buildSite(deps(BEFORE));
    const before = join(dataDir, "before");
    cpSync(site, before, { recursive: true });
    const build = join(dataDir, "build");
    capture.into = build;
    await buildSite(deps(AFTER));
    capture.into = null;
    const planFile = join(dataDir, "plan.json");
    writeFileSync(planFile, JSON.stringify(capture.plan));
    const after = listFiles(site).sort();
    const published = new Map(after.map((rel) => [rel, readFileSync(join(site, rel), "utf8")]));
    /** Files that are not as the uncut publish left them. */
    const differing = () => {
      const now = listFiles(site);
      const missing = after.filter((rel) => !now.includes(rel));
      return [
        ...missing,
        ...now.filter((rel) => readFileSync(join(site, rel), "utf8") !== published.get(rel)),
      ];
    };
    // The scenario: a new day and its new week, a day and a week gone.
    expect(after).toEqual(expect.arrayContaining(["day/2026-04-06/index.html", "week/2026-W15/index.html"]));
    expect(listFiles(before)).toEqual(expect.arrayContaining(["week/2026-W13/index.html"]));
    expect(after.filter((f) => f.includes("2026-03-29") || f.includes("2026-W13"))).toEqual([]);

    const nginx = await startNginx(site);
    /** What a reader sees now: every link leads to a page, no URL is answered 403. */
    const expectWhole = async (when: string) => {
      expect(brokenLinks(site), when).toEqual([]);
      const links = linkTargets(site);
      for (const url of links) expect((await get(nginx.baseUrl + url)).status, `${when}: ${url}`).toBe(200);
      for (const url of [...folders(site).map((d) => `/${d}/`), ...GONE])
        expect((await get(nginx.baseUrl + url)).status, `${when}: ${url}`).not.toBe(403);
    };
    const beside = () => readdirSync(dirname(site)).filter((n) => n.startsWith(`${basename(site)}.`));
    try {
      let cut = 1;
      for (; ; cut++) {
        // The site as it was, the build folder as the render stage left it, no lock.
        rmSync(site, { recursive: true, force: true });
        for (const n of beside()) rmSync(join(dirname(site), n), { recursive: true, force: true });
        cpSync(before, site, { recursive: true });
        const fresh = `${site}.tmp-${cut}-0`;
        cpSync(build, fresh, { recursive: true });

        const child = spawn(process.execPath, [CHILD, fresh, site, planFile, String(cut)], {
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
        if (signal === null) {
          expect({ code, stderr }).toEqual({ code: 0, stderr: "" }); // fewer steps than `cut`: done
          await expectWhole("uncut");
          expect(differing()).toEqual([]);
          break;
        }
        expect(signal).toBe("SIGKILL");
        await expectWhole(`killed at step ${cut}`);

        // The next start, with the data source down: it finishes the publish before it fails, so the
        // site is the one the uncut publish leaves, to the byte.
        const down = deps(AFTER);
        down.reports.extent = () => Promise.reject(new Error("InfluxDB unreachable"));
        await expect(buildSite(down)).rejects.toThrow("InfluxDB unreachable");
        expect(down.logger.lines.join("\n")).toContain("finished publishing the build that was cut short");
        await expectWhole(`killed at step ${cut}, after the next start`);
        expect(differing(), `killed at step ${cut}, after the next start`).toEqual([]);
        expect(folders(site, { empty: true }), `killed at step ${cut}`).toEqual([]);
        expect(beside()).toEqual([]);
      }
      // Every step was cut: the new day and week without their links to each other (2), every new and
      // changed page in full, the gone day and week without their links (2), then their pages,
      // folders and JSON and CSV twins removed (8).
      const pages = listFiles(build).filter((rel) => rel.endsWith(".html"));
      expect(pages.length).toBeGreaterThan(10);
      expect(cut - 1).toBe(2 + pages.length + 2 + 8);
      // And the builder goes on from the finished site.
      await buildSite(deps(AFTER));
      await expectWhole("the build after");
      expect(folders(site, { empty: true })).toEqual([]);
    } finally {
      await nginx.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(nginx.workDir, { recursive: true, force: true });
    }
  }, 900_000);
});
