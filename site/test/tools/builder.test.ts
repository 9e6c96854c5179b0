/** `npm run builder`: builds at start and on its schedule, and stops cleanly on SIGTERM. */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/src/simulator/history.ts";

const BUILDER = resolve(import.meta.dirname, "../../tools/builder.ts");

describe("npm run builder", () => {
  it("builds at once, logs each build, and exits 0 on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "site-builder-"));
    const history = join(dataDir, "history.lp");
    await writeHistory({ days: 2, end: "2026-03-30", seed: 5, out: history, tz: "Europe/Berlin" });
    const child = spawn(process.execPath, [BUILDER], {
      cwd: dataDir,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        LOCAL_SOURCE: history,
        REPORT_TZ: "Europe/Berlin",
        SITE_INTERVAL: "10",
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
  }, 120_000);
});
