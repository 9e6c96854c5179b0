/**
 * `npm run report` names the data it read and says so when there is none: an empty or wrong
 * DATA_DIR is no row of dashes with exit status 0.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyticsDay } from "./helpers/analytics-day.ts";
import { lines } from "./helpers/hand-data.ts";

const CLI = join(import.meta.dirname, "../src/cli.ts");

/** Runs the command in an empty folder with only `env` (no .env, no developer's variables). */
function report(args: string[], env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), "report-cli-"));
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, DATA_DIR: join(cwd, "data"), ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, cwd };
}

describe("npm run report: the data it read", () => {
  it("an empty DATA_DIR: exit 1, naming the journal it read and what to set", () => {
    const r = report(["--day", "2026-01-15"], {});
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: "" });
    const data = join(r.cwd, "data");
    expect(r.stderr).toBe(
      `no data in the collector's journal in ${data}/journal (DATA_DIR ${data}): record some with ` +
        "npm run collect, or point DATA_DIR at a folder that has a journal (the demo's: DATA_DIR=data/demo), " +
        "or LOCAL_SOURCE at a line-protocol file\n",
    );
    // A journal folder without readings says the same.
    mkdirSync(join(r.cwd, "data", "journal"), { recursive: true });
    const empty = spawnSync(process.execPath, [CLI], {
      cwd: r.cwd,
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/^no data in the collector's journal in .*\/data\/journal \(DATA_DIR/);
  });

  it("a LOCAL_SOURCE with a day of data: the report on stdout, where it came from on stderr", () => {
    const dir = mkdtempSync(join(tmpdir(), "report-cli-data-"));
    const file = join(dir, "day.lp");
    writeFileSync(file, lines(analyticsDay()));
    // No REPORT_TZ: the machine's zone (here TZ) decides the days.
    const r = report(["--day", "2026-01-15", "--json"], { LOCAL_SOURCE: file, TZ: "Europe/Berlin" });
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { tz: string; id: string; days_with_data: number };
    expect(json).toMatchObject({ tz: "Europe/Berlin", id: "2026-01-15", days_with_data: 1 });
    // The evening before 2026-01-15 has readings from 23:00 local on.
    expect(r.stderr).toBe(
      `read LOCAL_SOURCE ${file}: data from 2026-01-14 to 2026-01-15 (Europe/Berlin); ` +
        "2026-01-15: 1 of 1 days with data\n",
    );

    const week = report(["--week", "2026-W03"], { LOCAL_SOURCE: file, REPORT_TZ: "Europe/Berlin" });
    expect(week.status).toBe(0);
    expect(week.stdout).toMatch(/^Week 3, 2026 \(Europe\/Berlin\)/);
    expect(week.stderr).toMatch(/; 2026-W03: 2 of 7 days with data\n$/);
  });

  it("a period without data: exit 1 with the days the data covers", () => {
    const dir = mkdtempSync(join(tmpdir(), "report-cli-data-"));
    const file = join(dir, "day.lp");
    writeFileSync(file, lines(analyticsDay()));
    const r = report(["--month", "2026-03"], { LOCAL_SOURCE: file, REPORT_TZ: "Europe/Berlin" });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: "" });
    expect(r.stderr).toBe(
      `read LOCAL_SOURCE ${file}: data from 2026-01-14 to 2026-01-15 (Europe/Berlin); ` +
        "2026-03: 0 of 31 days with data\n" +
        "no data for 2026-03: choose a period between 2026-01-14 and 2026-01-15\n",
    );
    const missing = report([], { LOCAL_SOURCE: join(dir, "nothing-here.lp") });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      `no data in LOCAL_SOURCE ${join(dir, "nothing-here.lp")}: point LOCAL_SOURCE at a line-protocol file ` +
        "or a folder of .lp files (npm run simulate -- history writes one)\n",
    );
  });
});
