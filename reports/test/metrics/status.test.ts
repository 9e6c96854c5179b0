/**
 * The dashboard's one compressor state: from the Shelly's power while its newest reading is at most a
 * minute old (the heat pump's own `compressor_on` lags up to a Viessmann poll), else from the heat
 * pump. The case from the field: 401 W read 5 s ago beside "compressor off" read 25 s ago.
 */
import { describe, expect, it } from "vitest";
import { buildStatus } from "../../src/metrics/status.ts";
import { emptySamples } from "../../src/store/samples.ts";
import type { LatestValue } from "../../src/store/raw-source.ts";

const NOW = Date.parse("2026-12-01T19:30:00Z");

function status(latest: Record<string, LatestValue>) {
  return buildStatus({
    nowMs: NOW,
    tz: "Europe/Berlin",
    latest: new Map(Object.entries(latest)),
    recent: emptySamples(),
    copToday: null,
    copTodayMs: null,
    elecIntervalMs: 10_000,
    hpIntervalMs: 300_000,
    thresholdW: 100,
  });
}

const ago = (s: number) => NOW - s * 1000;

describe("status: whether the compressor runs", () => {
  it(
    "a fresh Shelly reading at or above STARTING_POWER_W decides: " +
      "running, though the heat pump still says off",
    () => {
      const s = status({
        "electric.power_w": { v: 401, t: ago(5) },
        "heatpump.compressor_on": { v: 0, t: ago(25) },
      });
      expect(s.running).toEqual({ value: true, source: "shelly", timeMs: ago(5), ageS: 5 });
    },
  );

  it("a fresh Shelly reading below it: off, even if the heat pump's older state says on", () => {
    const s = status({
      "electric.power_w": { v: 99, t: ago(60) },
      "heatpump.compressor_on": { v: 1, t: ago(30) },
    });
    expect(s.running).toEqual({ value: false, source: "shelly", timeMs: ago(60), ageS: 60 });
  });

  it("a Shelly reading older than a minute leaves it to the heat pump, with the heat pump's age", () => {
    const s = status({
      "electric.power_w": { v: 1500, t: ago(61) },
      "heatpump.compressor_on": { v: 0, t: ago(200) },
    });
    expect(s.running).toEqual({ value: false, source: "viessmann", timeMs: ago(200), ageS: 200 });
  });

  it("neither source: unknown", () => {
    expect(status({}).running).toEqual({ value: null, source: null, timeMs: null, ageS: null });
  });

  it("each source's expected age is twice its poll interval, whether stale or not", () => {
    const s = status({ "electric.power_w": { v: 10, t: ago(5) } });
    expect(s.expected_age_s).toEqual({ shelly: 20, viessmann: 600 });
    expect(s.stale.map((x) => x.source)).toEqual(["viessmann"]);
  });
});
