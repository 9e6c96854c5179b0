/**
 * A held-out history with the faults a real installation meets, built with `npm run build:site` as a
 * user runs it: every day's energy and COP as in the undamaged history, the faults counted and named,
 * no page or archive month outside the data's span, exit status 0.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { listFiles } from "../../builder/publish.ts";

const run = promisify(execFile);
const BUILD = resolve(import.meta.dirname, "../../builder/once.ts");

interface Built {
  site: string;
  archive: string[];
  output: string;
}

async function build(dir: string, history: string): Promise<Built> {
  const env = { ...process.env, DATA_DIR: dir, REPORT_TZ: "Europe/Berlin", LOCAL_SOURCE: history };
  // Exit status 0: execFile rejects otherwise.
  const { stdout, stderr } = await run(process.execPath, [BUILD], {
    env,
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    site: join(dir, "site"),
    archive: readdirSync(join(dir, "archive")).sort(),
    output: stdout + stderr,
  };
}

/** The damaged copy: one line number per fault (1-based, in the damaged file), for the checks. */
function damage(lines: string[]): { text: string; at: Record<string, number> } {
  const out = [...lines];
  const electric = (i: number) => {
    let k = i;
    while (!out[k]!.startsWith("electric")) k++;
    return k;
  };
  const setEnergy = (k: number, f: (wh: number) => number) => {
    out[k] = out[k]!.replace(/energy_wh=([0-9.]+)/, (_m, wh: string) => `energy_wh=${f(Number(wh))}`);
  };
  // A glitch to 0 on the 20th, a reading 100 Wh low on the 24th (lines of the simulated days).
  const zero = electric(Math.floor(out.length * 0.2));
  setEnergy(zero, () => 0);
  const low = electric(Math.floor(out.length * 0.5));
  setEnergy(low, (wh) => wh - 100);
  const inserted: [string, string][] = [
    ["seconds", out[electric(100)]!.replace(/(\d+)000000000$/, "$1")],
    ["garbage", "garbage 12345"],
    ["overlong", `electric note="${"x".repeat(9 * 1024 * 1024)}" 1774771200000000000`],
    ["future", "electric power_w=500,energy_wh=1 1940000000000000000"],
    ["digits25", "heatpump outside_c=3 1234567890123456789012345"],
  ];
  const at: Record<string, number> = { zero: zero + 1, low: low + 1 };
  // Spread through the file, last first so earlier positions stay valid.
  inserted.forEach(([name, line], j) => {
    const pos = Math.floor((out.length * (j + 1)) / 7);
    out.splice(pos, 0, line);
    for (const k of Object.keys(at)) if (at[k]! > pos) at[k]!++;
    at[name] = pos + 1;
  });
  return { text: out.join("\n") + "\n", at };
}

describe("a held-out history with faults injected", () => {
  let clean: Built;
  let damaged: Built;
  let at: Record<string, number>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "site-bad-data-"));
    const history = join(dir, "history.lp");
    await writeHistory({ days: 14, end: "2026-03-30", seed: 5, out: history, tz: "Europe/Berlin" });
    const lines = readFileSync(history, "utf8").trimEnd().split("\n");
    const broken = damage(lines);
    at = broken.at;
    const badDir = mkdtempSync(join(tmpdir(), "site-bad-data-"));
    writeFileSync(join(badDir, "history.lp"), broken.text);
    clean = await build(mkdtempSync(join(tmpdir(), "site-bad-data-")), history);
    damaged = await build(badDir, join(badDir, "history.lp"));
  }, 300_000);

  const dayTwins = (site: string) => listFiles(join(site, "day")).filter((f) => f.endsWith(".json"));
  const twin = (site: string, rel: string) =>
    JSON.parse(readFileSync(join(site, "day", rel), "utf8")) as {
      elec_kwh: number | null;
      cop: number | null;
      outliers: number;
    };

  it("every day's energy and COP within 1 % (or 0.05 kWh) of the undamaged history", () => {
    const days = dayTwins(clean.site);
    expect(days).toHaveLength(14);
    expect(dayTwins(damaged.site)).toEqual(days);
    for (const rel of days) {
      const a = twin(clean.site, rel);
      const b = twin(damaged.site, rel);
      expect(Math.abs(b.elec_kwh! - a.elec_kwh!), rel).toBeLessThanOrEqual(
        Math.max(0.05, 0.01 * a.elec_kwh!),
      );
      expect(Math.abs(b.cop! - a.cop!), rel).toBeLessThanOrEqual(0.01 * a.cop!);
    }
    const outliers = days.reduce((n, rel) => n + twin(damaged.site, rel).outliers, 0);
    expect(outliers).toBe(2);
    // Shown beside the coverage on the day's page.
    for (const rel of days.filter((r) => twin(damaged.site, r).outliers > 0)) {
      const html = readFileSync(join(damaged.site, "day", rel.replace(".json", "/index.html")), "utf8");
      expect(html).toContain("1 outlier reading left out");
    }
  });

  it("no page and no archive month outside the data's span", () => {
    expect(damaged.archive).toEqual(["2026-03.html", "2026-03.json"]);
    expect(damaged.archive).toEqual(clean.archive);
    expect(listFiles(damaged.site).sort()).toEqual(listFiles(clean.site).sort());
  });

  it("names each fault with the file and its first line", () => {
    // The time in seconds, the garbage line, the line over 8 MiB and the 25-digit time; the first named.
    expect(damaged.output).toMatch(
      new RegExp(`history\\.lp: left out 4 lines without a believable time, the first on line ${at.seconds}`),
    );
    expect(damaged.output).toContain(`on line ${at.future} (stamped 2031-06-23T16:53:20.000Z)`);
    expect(clean.output).not.toContain("left out");
  });
});
