/**
 * `npm run builder`: builds at start and on its schedule, and stops cleanly on SIGTERM; its pages
 * are the ones `npm run build:site` writes.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { startReceiver } from "../../../core/test/alerts/fake-receivers.ts";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { listFiles } from "../../builder/publish.ts";

const BUILDER = resolve(import.meta.dirname, "../../builder/loop.ts");
const BUILD = resolve(import.meta.dirname, "../../builder/once.ts");
const run = promisify(execFile);

describe("npm run builder", () => {
  it("builds at once, logs each build, exits 0 on SIGTERM, and writes what build:site writes", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "site-builder-"));
    const history = join(dataDir, "history.lp");
    await writeHistory({ days: 2, end: "2026-03-30", seed: 5, out: history, tz: "Europe/Berlin" });
    // The dead-man's switch: requested after each build (README, "Getting alerts").
    const health = await startReceiver("/ping/loop-check");
    const child = spawn(process.execPath, [BUILDER], {
      cwd: dataDir,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        LOCAL_SOURCE: history,
        REPORT_TZ: "Europe/Berlin",
        SITE_INTERVAL: "10",
        HEALTHCHECK_URL: health.url,
      },
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    // Two builds: the one at start and at least one scheduled (every 10 s).
    const deadline = Date.now() + 90_000;
    while ((out.match(/builder: built /g)?.length ?? 0) < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(out).toContain('every 10 s (cron "*/10 * * * * *")');
    expect(out.match(/builder: built /g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(dataDir, "site", "index.html"))).toBe(true);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("SIGTERM: stopping after the running build");
    // Once per good build, each after the build's own log line.
    expect(health.received.map((r) => r.path)).toEqual(
      Array(out.match(/builder: built /g)!.length).fill("/ping/loop-check"),
    );
    await health.close();

    // `npm run build:site` over the same history: the same files, byte for byte, archive included.
    // Only the dashboard and status.json say when they were built (the wall clock) and differ, and
    // the alerts page with its JSON twin, which say when the alerts were judged.
    const oneShot = mkdtempSync(join(tmpdir(), "site-build-once-"));
    await run(process.execPath, [BUILD], {
      cwd: oneShot,
      env: { ...process.env, DATA_DIR: oneShot, LOCAL_SOURCE: history, REPORT_TZ: "Europe/Berlin" },
    });
    for (const dir of ["site", "archive"]) {
      const files = (root: string) =>
        listFiles(join(root, dir))
          .filter((f) => !["index.html", "status.json", "alerts/index.html", "alerts.json"].includes(f))
          .sort();
      const builder = files(dataDir);
      expect(files(oneShot)).toEqual(builder);
      expect(builder.length).toBeGreaterThan(dir === "site" ? 10 : 1);
      for (const f of builder)
        expect({ f, text: readFileSync(join(oneShot, dir, f), "utf8") }).toEqual({
          f,
          text: readFileSync(join(dataDir, dir, f), "utf8"),
        });
    }
  }, 120_000);
});
