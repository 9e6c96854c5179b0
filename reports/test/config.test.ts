import { describe, expect, it } from "vitest";
import { ConfigError } from "../../core/src/env.ts";
import { loadReportsConfig } from "../src/config.ts";

describe("reports config", () => {
  it("defaults: UTC, the journal in DATA_DIR, 100 W, home `home` with the untagged points", () => {
    const c = loadReportsConfig({}, "/srv/hp");
    expect(c).toMatchObject({
      tz: "UTC",
      source: { kind: "local", path: "/srv/hp/data/journal" },
      dataDir: "/srv/hp/data",
      startingPowerW: 100,
      home: { id: "home", readsUntagged: true },
      elecIntervalMs: 10_000,
      hpIntervalMs: 300_000,
      // A heat pump with its backup heater: 15 kW, not 150 (counters.ts judges every step by it).
      maxPowerW: 15_000,
    });
    expect(loadReportsConfig({ MAX_POWER_W: "9000" }).maxPowerW).toBe(9000);
  });

  it("REPORT_TZ over TZ; LOCAL_SOURCE over INFLUX_URL", () => {
    expect(loadReportsConfig({ TZ: "Europe/Vienna" }).tz).toBe("Europe/Vienna");
    expect(loadReportsConfig({ TZ: "Europe/Vienna", REPORT_TZ: "Europe/Berlin" }).tz).toBe("Europe/Berlin");
    const influx = {
      INFLUX_URL: "http://localhost:8086",
      INFLUX_TOKEN: "tok-1234",
      INFLUX_ORG: "home",
      INFLUX_BUCKET: "hp",
    };
    expect(loadReportsConfig(influx).source).toMatchObject({ kind: "influx", bucket: "hp" });
    expect(loadReportsConfig({ ...influx, LOCAL_SOURCE: "/x.lp" }, "/").source).toEqual({
      kind: "local",
      path: "/x.lp",
    });
    expect(loadReportsConfig(influx).secrets).toEqual(["tok-1234"]);
  });

  it("HOME_ID and HOME_UNTAGGED: the untagged points are read by the home HOME_UNTAGGED names", () => {
    expect(loadReportsConfig({ HOME_ID: "flat-2" }).home).toEqual({ id: "flat-2", readsUntagged: true });
    expect(loadReportsConfig({ HOME_ID: "flat-2", HOME_UNTAGGED: "flat-2" }).home.readsUntagged).toBe(true);
    expect(loadReportsConfig({ HOME_ID: "flat-2", HOME_UNTAGGED: "flat-1" }).home).toEqual({
      id: "flat-2",
      readsUntagged: false,
    });
    expect(() => loadReportsConfig({ HOME_ID: "my home" })).toThrow(
      /HOME_ID: must be 1-64 letters, digits, _ or -/,
    );
    // The boundary follows from the meters' roles: the old free-text setting is no longer read.
    expect(loadReportsConfig({ METER_BOUNDARY: "whole house" })).not.toHaveProperty("meterBoundary");
  });

  it("a bad value stops with a message naming the variable", () => {
    expect(() => loadReportsConfig({ STARTING_POWER_W: "lots" })).toThrow(ConfigError);
    expect(() => loadReportsConfig({ STARTING_POWER_W: "lots" })).toThrow(/STARTING_POWER_W/);
    expect(() => loadReportsConfig({ REPORT_TZ: "Mars/Olympus" })).toThrow(
      /REPORT_TZ: must be an IANA time zone/,
    );
    expect(() => loadReportsConfig({ INFLUX_URL: "http://localhost:8086" })).toThrow(/INFLUX_TOKEN/);
  });
});
