/**
 * A day is computed from its own window of the store, [start - 6 h, end + 1 h), whichever days are
 * read with it: a day computed alone (late data recomputes one day) equals the same day computed in
 * a run of days (a first build), row and buckets. The window's hour after midnight gives the day's
 * last bucket the heat pump interval across midnight.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeHistory } from "../../../collector/simulator/history.ts";
import { dayRange } from "../../../core/src/time.ts";
import { createEngine } from "../../src/engine/engine.ts";
import { LocalSource } from "../../src/store/local-source.ts";

const TZ = "Europe/Berlin";
const NOW = Date.parse("2026-03-30T10:00:00Z");
const DAY = "2026-03-27";

describe("a day computed alone equals the day computed with others", () => {
  let file: string;
  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), "reports-windows-")), "h.lp");
    await writeHistory({ days: 4, end: "2026-03-29", seed: 5, out: file, tz: TZ });
  });

  const engine = () =>
    createEngine(new LocalSource({ path: file, cacheDir: null, now: () => NOW }), {
      tz: TZ,
      thresholdW: 100,
      maxPowerW: 15_000,
      elecIntervalMs: 10_000,
      hpIntervalMs: 300_000,
      cacheDir: null,
      now: () => NOW,
    });

  it("row and buckets, the last bucket with the interval across midnight", async () => {
    const alone = engine();
    const aloneBuckets = await alone.dayBuckets(DAY);
    const [aloneRow] = await alone.dailyRows(DAY, DAY);
    const batch = engine();
    const rows = await batch.dailyRows("2026-03-26", "2026-03-29");
    expect(rows[1]).toEqual(aloneRow);
    expect(await batch.dayBuckets(DAY)).toEqual(aloneBuckets);

    // The compressor ran across midnight: the heat pump readings on both sides of it say so.
    const end = dayRange(TZ, DAY).endMs;
    const around = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("heatpump"))
      .map((l) => ({ t: Number(l.slice(l.lastIndexOf(" ") + 1, -6)), on: /compressor_on=1/.test(l) }))
      .filter((x) => x.t > end - 300_000 && x.t <= end + 300_000);
    expect(around.map((x) => x.on)).toEqual([true, true]);
    // So its last five minutes delivered heat, as every other bucket of that interval.
    const heat = aloneBuckets.values.heat_w;
    expect(heat.at(-1)).toBeGreaterThan(0);
  });
});
