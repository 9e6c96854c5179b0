/**
 * Publishing: a reader never catches the site half-done (no missing file, no torn page) while builds
 * put new pages in place, and unchanged pages are not touched.
 */
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { buildSite } from "../../builder/build.ts";
import { loadSiteConfig } from "../../builder/config.ts";
import { publishOrder } from "../../builder/publish.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";

const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 14.5 * 3_600_000;

/** Reads `files` under `root` in a tight loop on another thread until told to stop. */
const READER = `
const { workerData, parentPort } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { root, files, stop } = workerData;
const flag = new Int32Array(stop);
let reads = 0, missing = 0, torn = 0;
while (Atomics.load(flag, 0) === 0) {
  for (const f of files) {
    let text;
    try {
      text = readFileSync(join(root, f), "utf8");
    } catch (e) {
      if (e.code === "ENOENT") missing++;
      else throw e;
      continue;
    }
    reads++;
    if (f.endsWith(".html") ? !text.trimEnd().endsWith("</html>") : text.length === 0) torn++;
  }
}
parentPort.postMessage({ reads, missing, torn });
`;

describe("publishing a build", () => {
  it("readers never meet a missing or half-written page while builds publish", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "site-publish-"));
    const config = loadSiteConfig({ DATA_DIR: dataDir });
    const reports = createFakeReports({ tz: TZ, nowMs: NOW, first: "2026-03-20", last: "2026-04-05" });
    const deps = { reports, config, clock: { now: () => NOW }, logger: memoryLogger(), secrets: [] };
    await buildSite(deps);
    const files = [
      "index.html",
      "status.json",
      "day/2026-04-05/index.html",
      "day/2026-03-25/index.html",
      "day/2026-03-25.json",
      "week/2026-W13/index.html",
      "archive/index.html",
    ];
    const siteDir = statSync(config.siteOut).ino;
    const stop = new SharedArrayBuffer(4);
    const reader = new Worker(READER, { eval: true, workerData: { root: config.siteOut, files, stop } });
    const result = new Promise<{ reads: number; missing: number; torn: number }>((r) =>
      reader.once("message", r),
    );
    // Every page put in place again, three times, while the reader reads.
    for (let i = 0; i < 3; i++) await buildSite({ ...deps, force: true });
    Atomics.store(new Int32Array(stop), 0, 1);
    const { reads, missing, torn } = await result;
    await reader.terminate();
    expect({ missing, torn }).toEqual({ missing: 0, torn: 0 });
    expect(reads).toBeGreaterThan(1000);
    // The published folder is the same folder, updated in place.
    expect(statSync(config.siteOut).ino).toBe(siteDir);
    const carried = statSync(join(config.siteOut, "day/2026-03-25/index.html")).ino;
    // An unchanged page is not touched by a normal build.
    await buildSite(deps);
    expect(statSync(join(config.siteOut, "day/2026-03-25/index.html")).ino).toBe(carried);

    expect(readFileSync(join(config.siteOut, "index.html"), "utf8")).toContain("</html>");
  }, 180_000);

  it("puts leaves first: assets and data, then pages from the deepest folder up", () => {
    expect(
      publishOrder([
        "index.html",
        "day/index.html",
        "day/2026-03-29/index.html",
        "day/2026-03-29.csv",
        "_astro/a.css",
      ]),
    ).toEqual([
      "_astro/a.css",
      "day/2026-03-29.csv",
      "day/2026-03-29/index.html",
      "day/index.html",
      "index.html",
    ]);
  });
});
