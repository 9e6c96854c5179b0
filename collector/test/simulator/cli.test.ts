import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "../../simulator/cli.ts");
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });

describe("npm run simulate", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sim-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("history writes whole local days and says what it wrote", async () => {
    const out = join(dir, "h.lp");
    const r = run(
      "history",
      "--days",
      "1",
      "--end",
      "2026-01-10",
      "--seed",
      "4",
      "--tz",
      "Europe/Berlin",
      "--out",
      out,
    );
    expect(r.status).toBe(0);
    // A day: 8640 steps of two meter lines (heat pump and backup heater) + 288 heat pump and 288
    // collector lines = 17280 + 576 = 17856.
    expect(r.stdout).toMatch(
      /^wrote 17856 lines \(.+ MB\) for 1 day\(s\) ending 2026-01-10 \(Europe\/Berlin\)/,
    );
    const lines = (await readFile(out, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(17856);
    expect(lines[0]).toMatch(
      /^electric,device=shellypro3em-sim000000,home=home,role=heatpump power_w=.* 1767999600000000000$/,
    );
    expect(lines[1]).toMatch(
      /^electric,device=shellyproem50-sim000001,home=home,role=backup power_w=0,energy_wh=52000 1767999600000000000$/,
    );
  });

  it("names the missing or wrong option and exits 2", () => {
    const noOut = run("history", "--days", "3");
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/^--out PATH is required/);
    const badTz = run("history", "--days", "1", "--tz", "Mars/Olympus", "--out", join(dir, "x"));
    expect(badTz.status).toBe(2);
    expect(badTz.stderr).toMatch(/--tz "Mars\/Olympus" is not a known IANA time zone/);
    const badDate = run("history", "--days", "1", "--end", "2026-13-01", "--out", join(dir, "x"));
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toMatch(/2026-13-01/);
    const unknown = run("frobnicate");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
