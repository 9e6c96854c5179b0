/** `npm run build:site` as a user runs it: the real engine over simulated history, then a broken source. */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

  it("keeps the days the store lost; --rebuild warns, then replaces them with what the store holds", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "site-cli-"));
    const history = join(dataDir, "history.lp");
    await writeHistory({ days: 2, end: "2026-03-30", seed: 3, out: history, tz: "Europe/Berlin" });
    const env = { ...process.env, DATA_DIR: dataDir, REPORT_TZ: "Europe/Berlin", LOCAL_SOURCE: history };
    await run(process.execPath, [BUILD], { env, cwd: dataDir });
    const twin = join(dataDir, "site", "day", "2026-03-29.json");
    const published = readFileSync(twin, "utf8");
    // 2026-03-29 deleted from the store (local midnight of the 30th: 2026-03-29T22:00Z).
    const from30th = Date.parse("2026-03-29T22:00:00Z");
    const kept = readFileSync(history, "utf8")
      .trimEnd()
      .split("\n")
      .filter((l) => Number(l.slice(l.lastIndexOf(" ") + 1, -6)) >= from30th);
    writeFileSync(history, kept.join("\n") + "\n");

    const again = await run(process.execPath, [BUILD], { env, cwd: dataDir });
    // The 30th too: its counter step across midnight started on the 29th.
    expect(again.stdout).toContain("kept the published figures of 2 days (2026-03-29 to 2026-03-30)");
    expect(readFileSync(twin, "utf8")).toBe(published);

    const rebuilt = await run(process.execPath, [BUILD, "--rebuild"], { env, cwd: dataDir });
    expect(rebuilt.stdout).toContain("--rebuild: dropped the report cache");
    expect(rebuilt.stderr).toContain(
      "--rebuild: the store holds less data than the published site for 1 day (2026-03-29); " +
        "this build replaces their published figures",
    );
    expect(existsSync(twin)).toBe(false);
  }, 180_000);
});
