/**
 * Every point checked on the way in (local files): lines without a believable time, over-long lines,
 * points from the future and lines that are not line protocol are left out, counted and named once
 * per file (and again when the file changes), and never hide the rest of the file.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { createReports } from "../../src/index.ts";
import { LocalSource } from "../../src/store/local-source.ts";
import { lines, march } from "../helpers/hand-data.ts";

const NOW = Date.parse("2026-04-02T12:00:00Z");
const good = lines(march());
const goodLines = good.trimEnd().split("\n");
/** The hand-written history with `bad` put in after line `after` (1-based line numbers follow). */
function damaged(after: number, bad: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "reports-bad-"));
  const file = join(dir, "history.lp");
  writeFileSync(file, [...goodLines.slice(0, after), bad, ...goodLines.slice(after)].join("\n") + "\n");
  return { dir, file };
}

async function day29(file: string, dir: string, logger = memoryLogger()) {
  const reports = createReports({
    env: { LOCAL_SOURCE: file, DATA_DIR: join(dir, "data"), REPORT_TZ: "Europe/Berlin" },
    now: () => NOW,
    logger,
    noDiskCache: true,
  });
  const [row] = await reports.dailyRows("2026-03-29", "2026-03-29");
  return { row: row!, extent: await reports.extent(), logger };
}

describe("bad lines in a local file", () => {
  it("a timestamp in seconds and a garbage line ending in a number: skipped and named, no 1970", async () => {
    for (const bad of ["electric power_w=500,energy_wh=1 1774742400", "garbage 12345"]) {
      const { dir, file } = damaged(100, bad);
      const { row, extent, logger } = await day29(file, dir);
      expect(extent).toEqual({ first: "2026-03-28", last: "2026-03-30" });
      expect(row.elec_kwh).toBe(4.8);
      expect(logger.lines.filter((l) => l.includes("history.lp"))).toHaveLength(1);
      expect(logger.lines.join("\n")).toContain(
        "left out 1 line without a believable time, the first on line 101",
      );
    }
  });

  it("a 25-digit timestamp: skipped, no crash", async () => {
    const { dir, file } = damaged(7, "electric power_w=500 1234567890123456789012345");
    const { row, extent, logger } = await day29(file, dir);
    expect(extent?.first).toBe("2026-03-28");
    expect(row.elec_kwh).toBe(4.8);
    expect(logger.lines.join("\n")).toContain("line 8 (a timestamp before 2000 or out of range)");
    // Counted for status.json (a file store's own count; InfluxDB has none).
    const reports = createReports({
      env: { LOCAL_SOURCE: file, DATA_DIR: join(dir, "data"), REPORT_TZ: "Europe/Berlin" },
      now: () => NOW,
      noDiskCache: true,
    });
    expect((await reports.status(NOW)).file_problems).toEqual([
      {
        file: "history.lp",
        skipped: { count: 1, firstLine: 8, reason: "a timestamp before 2000 or out of range" },
        future: null,
        malformed: null,
      },
    ]);
  });

  it("a line over 8 MiB in the middle: skipped, the rest of the file still read", async () => {
    const { dir, file } = damaged(500, `electric note="${"x".repeat(9 * 1024 * 1024)}" 1774771200000000000`);
    const { row, logger } = await day29(file, dir);
    expect(row.elec_kwh).toBe(4.8);
    expect(logger.lines.join("\n")).toContain("line 501 (a line longer than 8 MiB)");
  });

  it("points stamped in the future: left out of the days and the extent, named with the device clock", async () => {
    const { dir, file } = damaged(
      10,
      "electric power_w=500,energy_wh=1 1940000000000000000\nheatpump outside_c=3 1940000300000000000",
    );
    const { row, extent, logger } = await day29(file, dir);
    expect(extent).toEqual({ first: "2026-03-28", last: "2026-03-30" });
    expect(row.elec_kwh).toBe(4.8);
    expect(logger.lines.join("\n")).toContain(
      "2 lines stamped more than 10 minutes in the future, the first on line 11 (stamped 2031-06-23T16:53:20.000Z)",
    );
  });

  it("a line that is not line protocol: left out, counted and named by line; once per file version", async () => {
    const { file } = damaged(20, "electric power_w=abc 1774742400000000000");
    const logger = memoryLogger();
    const src = new LocalSource({ path: file, cacheDir: null, logger, now: () => NOW, refreshTtlMs: 0 });
    await src.samples(Date.parse("2026-03-28T00:00:00Z"), Date.parse("2026-03-31T00:00:00Z"));
    await src.samples(Date.parse("2026-03-28T00:00:00Z"), Date.parse("2026-03-31T00:00:00Z"));
    const warned = logger.lines.filter((l) => l.includes("not line protocol"));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain("the first seen on line 21");
    expect(src.problems()).toEqual([
      {
        file: "history.lp",
        skipped: null,
        future: null,
        malformed: { count: 1, firstLine: 21, reason: 'bad field value "abc"' },
      },
    ]);
    // The file changes: said again.
    appendFileSync(file, "\n");
    await src.samples(Date.parse("2026-03-28T00:00:00Z"), Date.parse("2026-03-31T00:00:00Z"));
    expect(logger.lines.filter((l) => l.includes("not line protocol"))).toHaveLength(2);
  });
});
