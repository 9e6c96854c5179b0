/**
 * A closed day's fingerprint covers the data the day is computed from, [start - 6 h, end + 1 h): its
 * last five-minute bucket takes the heat pump interval across midnight, which ends at the next day's
 * first reading. Both stores: a point in the next day's first hour changes it, one later does not.
 * And a local file is known by its content, not its name and size: an edit in place with the same
 * size changes the fingerprint of the days it holds.
 */
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayRange } from "../../../core/src/time.ts";
import { InfluxSource } from "../../src/store/influx-source.ts";
import { LocalSource } from "../../src/store/local-source.ts";
import { type InfluxStandIn, startInfluxStandIn } from "../helpers/flux-stand-in/index.ts";
import { lines, march } from "../helpers/hand-data.ts";

const TZ = "Europe/Berlin";
const NOW = Date.parse("2026-04-02T12:00:00Z");
const DAY = dayRange(TZ, "2026-03-29"); // 23:00Z on the 28th to 22:00Z on the 29th (23 hours)
const point = (ms: number) => `heatpump,device=vitocal outside_c=7 ${ms}000000`;

describe("a closed day's fingerprint", () => {
  it("local files: changes with a point in the next day's first hour, not with one after it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-fp-"));
    writeFileSync(join(dir, "a.lp"), lines(march()));
    const src = new LocalSource({ path: dir, cacheDir: null, now: () => NOW, refreshTtlMs: 0 });
    const [before] = await src.fingerprints([DAY]);
    // 02:30 local on the 30th: outside the day's look-ahead (the hours index by UTC hour: 00:30Z).
    writeFileSync(join(dir, "b.lp"), point(DAY.endMs + 2.5 * 3_600_000) + "\n");
    expect(await src.fingerprints([DAY])).toEqual([before]);
    // 00:20 local on the 30th (22:20Z): inside it.
    writeFileSync(join(dir, "c.lp"), point(DAY.endMs + 20 * 60_000) + "\n");
    expect((await src.fingerprints([DAY]))[0]).not.toBe(before);
  });

  it("local files: an edit in place with the same size changes it; an append after the day does not", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reports-fp-"));
    const file = join(dir, "a.lp");
    const text = lines(march());
    writeFileSync(file, text);
    const src = new LocalSource({ path: file, cacheDir: null, now: () => NOW, refreshTtlMs: 0 });
    const [before] = await src.fingerprints([DAY]);
    // Appended: a point two days later. The day's data is as it was.
    appendFileSync(file, point(DAY.endMs + 48 * 3_600_000) + "\n");
    const [appended] = await src.fingerprints([DAY]);
    expect(appended).toBe(before);
    // One outside temperature of the day, 4 -> 5: the same size, far past the first 4 KiB (the first
    // heat pump line is the evening before, 22:55Z; the second the day's first reading, 23:00Z).
    const now = readFileSync(file, "utf8");
    const at = now.indexOf("outside_c=4", now.indexOf("heatpump", now.indexOf("heatpump") + 1));
    expect(at).toBeGreaterThan(4096);
    const edited = `${now.slice(0, at)}outside_c=5${now.slice(at + "outside_c=4".length)}`;
    writeFileSync(file, edited);
    expect(statSync(file).size).toBe(Buffer.byteLength(now));
    expect((await src.fingerprints([DAY]))[0]).not.toBe(before);
    expect((await src.samples(DAY.startMs, DAY.endMs)).hp.f.outside_c).toContain(5);
  });

  describe("InfluxDB", () => {
    let standIn: InfluxStandIn;
    beforeAll(async () => {
      standIn = await startInfluxStandIn({ org: "home", bucket: "heatpump" });
      standIn.load(lines(march()).trimEnd());
    });
    afterAll(() => standIn?.close());

    it("changes with a point in the next day's first hour (counted on its own), not with one after it", async () => {
      // Now: 12:00 local on the 30th, so the 29th is yesterday and the 30th today.
      const now = Date.parse("2026-03-30T10:00:00Z");
      const src = new InfluxSource({
        url: standIn.url,
        token: standIn.token,
        org: "home",
        bucket: "heatpump",
        tz: TZ,
        now: () => now,
      });
      const [before] = await src.fingerprints([DAY]);
      standIn.load(point(DAY.endMs + 2.5 * 3_600_000));
      expect(await src.fingerprints([DAY])).toEqual([before]);
      const queries = src.queries;
      expect(await src.fingerprints([DAY])).toEqual([before]);
      // Nothing new: one query (the count of every closed day in the horizon and today's first hour).
      expect(src.queries - queries).toBe(1);
      standIn.load(point(DAY.endMs + 20 * 60_000));
      expect((await src.fingerprints([DAY]))[0]).not.toBe(before);
    });
  });
});
