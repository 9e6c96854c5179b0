/**
 * A value that is not a finite number is no reading: a journal line with `outside_c=-Infinity` is a
 * bad line (left out whole, counted and named by file and line), and a `-Inf` in InfluxDB's answer
 * is left out like a missing value (counted and logged); neither turns the day's mean outside
 * temperature into NaN and its degree days into nothing.
 *
 * The hand-written day 2026-03-29 (helpers/hand-data.ts, 23 hours) has 276 heat pump readings, the
 * outside temperature alternating 4 and 6 °C: a mean of (138 × 4 + 138 × 6) / 276 = 5 °C, and
 * 15 − 5 = 10 degree days at the default base of 15 °C.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InfluxDB, type QueryApi } from "@influxdata/influxdb-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import { memoryLogger } from "../../../core/src/effects.ts";
import { createReports } from "../../src/index.ts";
import { createEngine } from "../../src/engine/engine.ts";
import { fastLine, lineHome } from "../../src/store/fast-line.ts";
import { DEFAULT_HOME } from "../../src/store/home-filter.ts";
import { lineTimeMs, timestampStart } from "../../src/store/file-index.ts";
import { InfluxSource } from "../../src/store/influx-source.ts";
import { LocalSource } from "../../src/store/local-source.ts";
import { SampleBuilder } from "../../src/store/samples.ts";
import { type InfluxStandIn, startInfluxStandIn } from "../helpers/flux-stand-in/index.ts";
import { lines, march } from "../helpers/hand-data.ts";

const NOW = Date.parse("2026-04-02T12:00:00Z");
const DAY = "2026-03-29";
/** Between two heat pump readings (every 5 minutes from 23:00Z): a time of its own. */
const BAD_MS = Date.parse("2026-03-29T09:42:30Z");
const good = lines(march()).trimEnd().split("\n");

describe("a value that is not a finite number", () => {
  it("parseLine refuses it, whatever the spelling Number() would read", () => {
    for (const v of ["-Infinity", "Infinity", "+Infinity", "1e999", "-1e999", "Infinityi"])
      expect(() => parseLine(`heatpump outside_c=${v} 1774777350000000000`), v).toThrow(
        `field value "${v}" is not a finite number`,
      );
    expect(parseLine("heatpump outside_c=-1e3 1774777350000000000")!.fields.outside_c).toBe(-1000);
  });

  it("the fast path leaves a line with `Infinity` anywhere to parseLine, also in a field it skips", () => {
    for (const line of [
      "electric,device=x power_w=5.5,voltage_a_v=-Infinity,energy_wh=7 1000000",
      "heatpump,device=x flow_c=30,unknown=Infinity 1000000",
      "heatpump,device=x outside_c=-Infinity 1000000",
    ]) {
      const buf = Buffer.from(line);
      lineTimeMs(buf, 0, buf.length);
      expect(
        fastLine(buf, 0, buf.length, 1, new SampleBuilder(), lineHome(DEFAULT_HOME), false, timestampStart),
        line,
      ).toBe(false);
      expect(() => parseLine(line), line).toThrow(/is not a finite number/);
    }
  });

  it("in a journal line: a bad line, named by file and line; the day's mean and degree days the others'", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "reports-non-finite-"));
    mkdirSync(join(dataDir, "journal"));
    const segment = join(dataDir, "journal", "2026-03-28T22-00-00.000Z.lp");
    const bad = `heatpump,device=vitocal flow_c=30,outside_c=-Infinity,return_c=28 ${BAD_MS}000000`;
    // An electric line with it in a field the reports do not read, in the middle: left out too.
    const badElectric =
      "electric,device=shelly-test power_w=60,voltage_a_v=-Infinity,energy_wh=1 " + `${BAD_MS + 5000}000000`;
    writeFileSync(
      segment,
      [...good.slice(0, 300), bad, ...good.slice(300, 400), badElectric, ...good.slice(400)].join("\n") +
        "\n",
    );
    const logger = memoryLogger();
    const reports = createReports({
      env: { DATA_DIR: dataDir, REPORT_TZ: "Europe/Berlin" },
      now: () => NOW,
      logger,
    });
    const [row] = await reports.dailyRows(DAY, DAY);
    expect(row!.outside_mean_c).toBe(5);
    expect((await reports.report({ kind: "day", id: DAY })).hdd).toBe(10);
    expect((await reports.status(NOW)).file_problems).toEqual([
      {
        file: "2026-03-28T22-00-00.000Z.lp",
        skipped: null,
        future: null,
        malformed: { count: 2, firstLine: 301, reason: 'field value "-Infinity" is not a finite number' },
      },
    ]);
    expect(logger.lines.join("\n")).toContain("the first seen on line 301");
    await reports.close();
  });

  it("read by the local store as the collector writes (no escapes in the chunk): left out, the rest read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-non-finite-"));
    const file = join(dir, "h.lp");
    writeFileSync(
      file,
      [
        "electric,device=x power_w=5.5,voltage_a_v=230,energy_wh=7 1774777200000000000",
        "electric,device=x power_w=6.5,voltage_a_v=-Infinity,energy_wh=8 1774777210000000000",
        "electric,device=x power_w=7.5,voltage_a_v=230,energy_wh=9 1774777220000000000",
      ].join("\n") + "\n",
    );
    const src = new LocalSource({ path: file, cacheDir: null, now: () => NOW });
    const s = await src.samples(1774777200000, 1774777230000);
    expect(s.elec.power).toEqual([5.5, 7.5]);
    expect(src.problems()[0]!.malformed).toEqual({
      count: 1,
      firstLine: 2,
      reason: 'field value "-Infinity" is not a finite number',
    });
  });
});

describe("a float that is not finite in InfluxDB's answer", () => {
  let standIn: InfluxStandIn;
  beforeAll(async () => {
    standIn = await startInfluxStandIn({ org: "home", bucket: "heatpump" });
    standIn.load(good.join("\n"));
  });
  afterAll(() => standIn?.close());

  /**
   * InfluxDB's answers, with one more row in every answer holding the outside temperature at
   * BAD_MS: `-Inf` (as InfluxDB writes a float that is not finite). Line protocol cannot write one,
   * so the stand-in (like InfluxDB) holds none; it is put in the answer.
   */
  function withMinusInf(real: QueryApi): Pick<QueryApi, "iterateRows"> {
    return {
      async *iterateRows(query) {
        const text = String(query);
        const range = /range\(start: (\S+), stop: (\S+)\)/.exec(text);
        const inside = range && Date.parse(range[1]!) <= BAD_MS && BAD_MS < Date.parse(range[2]!);
        let added = false;
        for await (const row of real.iterateRows(query)) {
          yield row;
          const o = row.tableMeta.toObject(row.values);
          if (added || !inside || o._field !== "outside_c" || o._value === undefined) continue;
          const values = [...row.values];
          values[row.tableMeta.column("_time").index] = new Date(BAD_MS).toISOString();
          values[row.tableMeta.column("_value").index] = "-Inf";
          added = true;
          yield { values, tableMeta: row.tableMeta };
        }
      },
    };
  }

  it("is left out like a missing value, counted and logged once; the day's figures the others'", async () => {
    const real = new InfluxDB({ url: standIn.url, token: standIn.token }).getQueryApi({ org: "home" });
    const logger = memoryLogger();
    const raw = new InfluxSource({
      url: standIn.url,
      token: standIn.token,
      org: "home",
      bucket: "heatpump",
      tz: "Europe/Berlin",
      now: () => NOW,
      queryApi: withMinusInf(real),
      logger,
    });
    const engine = createEngine(raw, {
      tz: "Europe/Berlin",
      thresholdW: 100,
      maxPowerW: 15_000,
      elecIntervalMs: 10_000,
      hpIntervalMs: 300_000,
      cacheDir: null,
      now: () => NOW,
    });
    const [row] = await engine.dailyRows(DAY, DAY);
    expect(row!.outside_mean_c).toBe(5);
    expect((await engine.report({ kind: "day", id: DAY })).hdd).toBe(10);
    // Met with the day's samples (the day before, the comparison, does not reach 09:42Z).
    expect(raw.badValues().get("heatpump.outside_c")).toEqual({
      count: 1,
      firstMs: BAD_MS,
      value: "-Infinity",
    });
    // The newest outside temperature before 09:42:30Z is the reading of 09:40Z (k = 128, even: 4 °C),
    // not the -Inf after it.
    const latest = await raw.latest(Date.parse("2026-03-29T09:00:00Z"), BAD_MS + 1, ["heatpump.outside_c"]);
    expect(latest.get("heatpump.outside_c")).toEqual({ t: Date.parse("2026-03-29T09:40:00Z"), v: 4 });
    // Read again: the same value, counted once.
    expect(raw.badValues().get("heatpump.outside_c")!.count).toBe(1);
    const warned = logger.lines.filter((l) => l.includes("heatpump.outside_c"));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain("holds -Infinity at 2026-03-29T09:42:30.000Z");
    await engine.close();
  });
});
