/** `npm run build:site` as a user runs it: the real engine over simulated history, then a broken source. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { filesContaining } from "../support/site-checks.ts";

const run = promisify(execFile);
const BUILD = resolve(import.meta.dirname, "../../builder/once.ts");
const SECRETS = { INFLUX_TOKEN: "cli-influx-t0ken-abcdef", SHELLY_PASSWORD: "cli-shelly-pa55" };

describe("npm run build:site", () => {
  it("builds from simulated history without leaking secrets, and a failed build exits 1 keeping the site", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "site-cli-"));
    const history = join(dataDir, "history.lp");
    await writeHistory({ days: 2, end: "2026-03-30", seed: 3, out: history, tz: "Europe/Berlin" });
    const env = {
      ...process.env,
      ...SECRETS,
      DATA_DIR: dataDir,
      REPORT_TZ: "Europe/Berlin",
      LOCAL_SOURCE: history,
    };
    const ok = await run(process.execPath, [BUILD], { env, cwd: dataDir });
    expect(ok.stdout).toMatch(/site: built .*: \d+ pages rendered/);
    const site = join(dataDir, "site");
    const index = readFileSync(join(site, "index.html"), "utf8");
    expect(index).toContain("Heat pump now");
    expect(filesContaining(site, Object.values(SECRETS))).toEqual([]);

    const failed = await run(process.execPath, [BUILD], {
      env: { ...env, LOCAL_SOURCE: join(dataDir, "missing.lp") },
      cwd: dataDir,
    }).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failed && failed.code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(
      /site build failed, the last good site stays published: the report source returned no data at all/,
    );
    expect(readFileSync(join(site, "index.html"), "utf8")).toBe(index);
  }, 120_000);
});
