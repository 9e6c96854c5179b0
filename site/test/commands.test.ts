/**
 * Every command handles its command line alike: an unknown option or a bad value is one line on
 * stderr naming it, with the usage, and exit status 2; a value from the environment is named as the
 * variable; piped output is complete (the exit status is set, never forced over pending output).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeHistory } from "../../collector/simulator/history.ts";

const ROOT = join(import.meta.dirname, "../..");

/** Runs a command's entry file as `npm run` would, without the network or a user's .env. */
function run(script: string, args: string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "command-line-"));
  return spawnSync(process.execPath, [join(ROOT, script), ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, DATA_DIR: join(cwd, "data"), ...env },
    timeout: 60_000,
  });
}

const COMMANDS: [name: string, script: string, args: string[]][] = [
  ["collect", "collector/src/main.ts", []],
  ["login", "collector/src/sources/viessmann/login.ts", []],
  ["inspect", "collector/src/sources/viessmann/inspect.ts", ["viessmann"]],
  ["simulate -- history", "collector/simulator/cli.ts", ["history"]],
  ["simulate -- serve", "collector/simulator/cli.ts", ["serve"]],
  ["report", "reports/src/cli.ts", []],
  ["build:site", "site/builder/once.ts", []],
  ["builder", "site/builder/loop.ts", []],
  ["demo", "site/dev/demo.ts", []],
  ["build:collector", "collector/build/bundle.ts", []],
  ["alerts", "core/src/alerts/cli.ts", []],
];

describe("every command", () => {
  for (const [name, script, args] of COMMANDS)
    it(`npm run ${name} --bogus: one line naming it with the usage, exit 2`, () => {
      const r = run(script, [...args, "--bogus"]);
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 2, stdout: "" });
      const usage = `usage: npm run ${name.split(" ")[0]}`;
      expect(r.stderr).toMatch(
        new RegExp(`^unknown option --bogus \\(${usage.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*\\)\\n$`),
      );
    });

  it("a bad value: one line naming the option, or the variable it came from", () => {
    const day = run("reports/src/cli.ts", ["--day", "2026-13-01"]);
    expect(day.status).toBe(2);
    expect(day.stderr).toMatch(
      /^day "2026-13-01" is not valid: use YYYY-MM-DD, e\.g\. 2026-03-29 \(usage: npm run report .*\)\n$/,
    );
    const port = run("site/dev/demo.ts", [], { PORT: "abc" });
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(
      /^PORT must be a whole number from 0 to 65535, got "abc" \(usage: npm run demo/,
    );
    const flag = run("site/dev/demo.ts", ["--port", "abc"]);
    expect(flag.stderr).toMatch(/^--port must be a whole number/);
    const days = run("collector/simulator/cli.ts", ["history", "--days", "x", "--out", "x.lp"]);
    expect(days.status).toBe(2);
    expect(days.stderr).toMatch(/^--days must be a number, got "x" \(usage: npm run simulate -- history/);
  });

  it("report --json is complete when piped to a reader that is not reading yet", async () => {
    const dir = mkdtempSync(join(tmpdir(), "command-line-report-"));
    const history = join(dir, "history.lp");
    await writeHistory({ days: 70, end: "2026-02-28", seed: 3, out: history, tz: "Europe/Berlin" });
    const child = spawn(
      process.execPath,
      [join(ROOT, "reports/src/cli.ts"), "--season", "2025-26", "--json"],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, LOCAL_SOURCE: history, REPORT_TZ: "Europe/Berlin", DATA_DIR: dir },
      },
    );
    // Not reading for a moment: the report (well over a pipe's 64 KB) waits in the writer's buffer,
    // where a process.exit() would drop it.
    child.stdout.pause();
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    await new Promise((r) => setTimeout(r, 1500));
    child.stdout.resume();
    expect(await exited).toBe(0);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text.length).toBeGreaterThan(65_536);
    const report = JSON.parse(text) as { rows: unknown[]; id: string };
    expect(report.id).toBe("2025-26");
    // The season is over (the clock is the real one): a row for each of its 365 days.
    expect(report.rows).toHaveLength(365);
  }, 120_000);
});
