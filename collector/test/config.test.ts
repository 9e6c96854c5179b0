import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { ConfigError, readEnv } from "../../core/src/env.ts";

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "config-"));
});
afterEach(async () => rm(cwd, { recursive: true, force: true }));

/** The problems loadConfig reports for `env`, or [] when it is valid. */
function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, cwd);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe("collector config", () => {
  it("has documented defaults and resolves DATA_DIR against the working directory", () => {
    const c = loadConfig({ SHELLY_URL: "http://192.168.1.50/" }, cwd);
    expect(c.dataDir).toBe(join(cwd, "data"));
    expect(c.shelly).toEqual({ url: "http://192.168.1.50", password: undefined, intervalMs: 10_000 });
    expect(c.influx).toBeUndefined(); // local journal only
    expect(c.viessmann).toBeUndefined();
    expect(c.logLevel).toBe("info");
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [
      { SHELLY_URL: "192.168.1.50" },
      /^SHELLY_URL: must be an http\(s\) URL, e.g. SHELLY_URL=http:\/\/192\.168\.1\.50$/,
    ],
    [{ SHELLY_INTERVAL: "ten" }, /^SHELLY_INTERVAL: must be a number of seconds, e.g. SHELLY_INTERVAL=10$/],
    [{ SHELLY_INTERVAL: "2.5" }, /^SHELLY_INTERVAL: must be a whole number of seconds/],
    [{ SHELLY_INTERVAL: "0" }, /^SHELLY_INTERVAL: must be at least 1 seconds; set e.g. SHELLY_INTERVAL=10$/],
    [{ VIESSMANN_INTERVAL: "10" }, /^VIESSMANN_INTERVAL: must be at least 60 seconds/],
    [{ VIESSMANN_DAILY_BUDGET: "5" }, /^VIESSMANN_DAILY_BUDGET: must be at least 10 calls per day/],
    [{ LOG_LEVEL: "verbose" }, /^LOG_LEVEL: must be one of debug, info, warn, error$/],
    [
      { VIESSMANN_LOGIN_LISTEN: "all" },
      new RegExp(
        /^VIESSMANN_LOGIN_LISTEN: must be an IP address to listen on, /.source +
          /e.g. VIESSMANN_LOGIN_LISTEN=0.0.0.0 inside a container/.source,
      ),
    ],
    [
      { INFLUX_URL: "localhost:8086", INFLUX_TOKEN: "t0ken", INFLUX_ORG: "home", INFLUX_BUCKET: "hp" },
      /^INFLUX_URL: must be an http\(s\) URL, e.g. INFLUX_URL=http:\/\/localhost:8086$/,
    ],
  ])("names the bad variable and the fix: %o", (env, message) => {
    const p = problems(env);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(message);
  });

  it("MAX_POWER_W: the report engine's variable, default 15000 W, above 0", () => {
    expect(loadConfig({ SHELLY_URL: "http://192.168.1.50" }, cwd).maxPowerW).toBe(15_000);
    expect(loadConfig({ SHELLY_URL: "http://192.168.1.50", MAX_POWER_W: "22000" }, cwd).maxPowerW).toBe(
      22_000,
    );
    expect(problems({ MAX_POWER_W: "0" })).toEqual(["MAX_POWER_W: must be above 0, e.g. MAX_POWER_W=15000"]);
    expect(problems({ MAX_POWER_W: "lots" })).toEqual([
      "MAX_POWER_W: must be a number of watts, e.g. MAX_POWER_W=15000",
    ]);
  });

  it("refuses a Viessmann budget that token refreshes alone may use up, naming one that works", () => {
    const viessmann = { VIESSMANN_CLIENT_ID: "my-client" };
    // A refresh every 55 min: up to ceil(1440 / 55) = 27 a day. Polls every 300 s: 288 more.
    expect(problems({ ...viessmann, VIESSMANN_DAILY_BUDGET: "27" })).toEqual([
      "VIESSMANN_DAILY_BUDGET: 27 calls per day leave no poll: token refreshes alone take up to 27 calls a day " +
        "(one every 55 min). Set VIESSMANN_DAILY_BUDGET=315 to poll every 300 s (VIESSMANN_INTERVAL), or at " +
        "least 28; the free plan allows 1450",
    ]);
    expect(problems({ ...viessmann, VIESSMANN_DAILY_BUDGET: "10", VIESSMANN_INTERVAL: "600" })[0]).toContain(
      "Set VIESSMANN_DAILY_BUDGET=171 to poll every 600 s",
    );
    expect(problems({ ...viessmann, VIESSMANN_DAILY_BUDGET: "28" })).toEqual([]);
    expect(problems({ SHELLY_URL: "http://192.168.1.50", VIESSMANN_DAILY_BUDGET: "27" })).toEqual([]); // no Viessmann
  });

  it("lists every missing InfluxDB variable at once when INFLUX_URL is set", () => {
    expect(problems({ INFLUX_URL: "http://localhost:8086", INFLUX_ORG: "home" })).toEqual([
      "INFLUX_TOKEN: is required when INFLUX_URL is set (or unset INFLUX_URL to keep data in the local journal only)",
      "INFLUX_BUCKET: is required when INFLUX_URL is set (or unset INFLUX_URL to keep data in the local journal only)",
    ]);
  });

  it("keeps secrets for redaction and out of error messages", () => {
    const c = loadConfig(
      {
        SHELLY_URL: "http://192.168.1.50",
        SHELLY_PASSWORD: "meter-pass-123",
        INFLUX_URL: "http://localhost:8086",
        INFLUX_TOKEN: "influx-token-xyz",
        INFLUX_ORG: "home",
        INFLUX_BUCKET: "heatpump",
      },
      cwd,
    );
    expect([...c.secrets].sort()).toEqual(["influx-token-xyz", "meter-pass-123"]);
    // Passwords written into a URL are secrets too, as written and percent-decoded.
    const withUrlPasswords = loadConfig(
      {
        SHELLY_URL: "http://admin:sh3lly-pw@192.168.1.50",
        INFLUX_URL: "http://me:p%40ss-w0rd@nas:8086",
        INFLUX_TOKEN: "t0ken",
        INFLUX_ORG: "home",
        INFLUX_BUCKET: "heatpump",
      },
      cwd,
    );
    expect([...withUrlPasswords.secrets].sort()).toEqual(["p%40ss-w0rd", "p@ss-w0rd", "sh3lly-pw", "t0ken"]);
    const e = (() => {
      try {
        loadConfig({ INFLUX_URL: "http://x", INFLUX_TOKEN: "influx-token-xyz", SHELLY_INTERVAL: "x" }, cwd);
      } catch (err) {
        return err as Error;
      }
    })();
    expect(e).toBeInstanceOf(ConfigError);
    expect(e!.message).not.toContain("influx-token-xyz");
  });

  it("reads .env in the working directory; the environment wins; empty means unset", async () => {
    await writeFile(
      join(cwd, ".env"),
      "# local settings\nSHELLY_URL=http://10.0.0.9\nSHELLY_INTERVAL=30\nDATA_DIR=/srv/heatpump\nLOG_LEVEL=debug\n",
    );
    const env = readEnv(cwd, { SHELLY_INTERVAL: "5", LOG_LEVEL: "" });
    const c = loadConfig(env, cwd);
    expect(c.shelly).toEqual({ url: "http://10.0.0.9", password: undefined, intervalMs: 5000 });
    expect(c.dataDir).toBe("/srv/heatpump");
    expect(c.logLevel).toBe("info"); // LOG_LEVEL= in the environment unsets the .env value
  });
});

describe("Shelly meters and the home", () => {
  const EXAMPLE = "heatpump=http://192.168.1.20,backup=http://192.168.1.21#em1:1";

  it("SHELLY_URL alone is one heatpump meter, read whole, on SHELLY_INTERVAL", () => {
    const c = loadConfig({ SHELLY_URL: "http://192.168.1.50/", SHELLY_PASSWORD: "pw" }, cwd);
    expect(c.meters).toEqual([
      {
        url: "http://192.168.1.50",
        password: "pw",
        intervalMs: 10_000,
        role: "heatpump",
        channel: undefined,
      },
    ]);
    expect(c.shelly).toEqual({ url: "http://192.168.1.50", password: "pw", intervalMs: 10_000 });
    expect(loadConfig({}, cwd).meters).toEqual([]);
  });

  it("SHELLY_METERS: every meter on SHELLY_INTERVAL with SHELLY_PASSWORD unless its URL has its own", () => {
    const c = loadConfig(
      {
        SHELLY_METERS: `${EXAMPLE},house=http://admin:own-pw@192.168.1.22#switch:0`,
        SHELLY_PASSWORD: "shared-pw",
        SHELLY_INTERVAL: "5",
      },
      cwd,
    );
    expect(c.meters).toEqual([
      {
        url: "http://192.168.1.20",
        password: "shared-pw",
        intervalMs: 5000,
        role: "heatpump",
        channel: undefined,
        setting: "SHELLY_METERS (heatpump)",
      },
      {
        url: "http://192.168.1.21",
        password: "shared-pw",
        intervalMs: 5000,
        role: "backup",
        channel: { component: "em1", id: 1 },
        setting: "SHELLY_METERS (backup)",
      },
      {
        url: "http://admin:own-pw@192.168.1.22",
        password: "own-pw",
        intervalMs: 5000,
        role: "house",
        channel: { component: "switch", id: 0 },
        setting: "SHELLY_METERS (house)",
      },
    ]);
    // The heat pump's meter, for what needs only it (the live values' interval).
    expect(c.shelly).toEqual({ url: "http://192.168.1.20", password: "shared-pw", intervalMs: 5000 });
    expect([...c.secrets].sort()).toEqual(["own-pw", "shared-pw"]);
  });

  it("names SHELLY_METERS, the bad item and a correct example", () => {
    expect(problems({ SHELLY_METERS: "heatpump=http://a,heatpump=http://b" })).toEqual([
      "SHELLY_METERS: role heatpump is given twice; one meter per role, " +
        "e.g. SHELLY_METERS=heatpump=http://192.168.1.20,backup=http://192.168.1.21#em1:1",
    ]);
    expect(problems({ SHELLY_METERS: "backup=http://b#em1:0" })).toEqual([
      "SHELLY_METERS: no heatpump meter: the heat pump's own meter is required (every COP needs it), " +
        "e.g. SHELLY_METERS=heatpump=http://192.168.1.20,backup=http://192.168.1.21#em1:1",
    ]);
    expect(problems({ SHELLY_METERS: "heatpump=http://a#relay:0" })[0]).toMatch(
      /^SHELLY_METERS: "heatpump=http:\/\/a#relay:0": channel "relay:0" is not em:0, em1:<id> or switch:<id>/,
    );
  });

  it("SHELLY_URL and SHELLY_METERS together: one message saying to keep one", () => {
    expect(problems({ SHELLY_URL: "http://192.168.1.50", SHELLY_METERS: EXAMPLE })).toEqual([
      "SHELLY_METERS: and SHELLY_URL are both set; set one: SHELLY_URL for the heat pump's meter alone, " +
        "or SHELLY_METERS with it as heatpump=http://192.168.1.50 among the others",
    ]);
  });

  it("HOME_ID (default home) and HOME_UNTAGGED (default HOME_ID)", () => {
    expect(loadConfig({}, cwd).home).toEqual({ id: "home", readsUntagged: true });
    expect(loadConfig({ HOME_ID: "flat-2" }, cwd).home).toEqual({ id: "flat-2", readsUntagged: true });
    expect(loadConfig({ HOME_ID: "flat-2", HOME_UNTAGGED: "home" }, cwd).home).toEqual({
      id: "flat-2",
      readsUntagged: false,
    });
    expect(problems({ HOME_ID: "my home" })).toEqual([
      "HOME_ID: must be 1-64 letters, digits, _ or -, e.g. HOME_ID=home",
    ]);
  });
});
