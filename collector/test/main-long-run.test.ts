/**
 * Faults a collector running for years meets, through its own entry point against fake devices: an
 * absurd meter value, newlines in a device's strings, a server echoing credentials, a Viessmann
 * budget too small to poll. (Wall-clock steps: clock-step.test.ts and clock-guard.test.ts.)
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { type ParsedLine, parseLine } from "../../core/src/data/line-protocol.ts";
import { type FakeShelly, startFakeShelly } from "./fakes/shelly-server.ts";
import { startFakeViessmann } from "./fakes/viessmann-api.ts";
import { seedTokens } from "./sources/viessmann/helpers.ts";

let cwd: string;
let shelly: FakeShelly | undefined;
let out: string[];
let err: string[];
let logs: string[];
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "collector-faults-"));
  out = [];
  err = [];
  logs = [];
});
afterEach(async () => {
  await shelly?.close();
  shelly = undefined;
  await rm(cwd, { recursive: true, force: true });
});

const io = (env: Record<string, string>, stopSignal?: Promise<string>) => ({
  env: { LOG_LEVEL: "info", ...env },
  cwd,
  print: (t: string) => void out.push(t),
  printError: (t: string) => void err.push(t),
  writeLog: (_level: string, line: string) => void logs.push(line),
  stopSignal,
});

/** Every line of the journal, parsed back. */
async function journal(): Promise<ParsedLine[]> {
  const dir = join(cwd, "data", "journal");
  const lines: ParsedLine[] = [];
  for (const f of (await readdir(dir)).filter((n) => n.endsWith(".lp")).sort())
    for (const l of (await readFile(join(dir, f), "utf8")).split("\n")) {
      const p = l ? parseLine(l) : null;
      if (p) lines.push(p);
    }
  return lines;
}

describe("an absurd meter value", () => {
  it("is a gap in its fields, not a crash loop: act_power 1e306 per monophase channel", async () => {
    shelly = await startFakeShelly({ profile: "monophase" });
    shelly.setStatus({
      "em1:0": { act_power: 1e306 },
      "em1:1": { act_power: 1e306 },
      "em1:2": { act_power: 1e306 },
    });
    const stop = new Promise<string>((r) => setTimeout(() => r("test stop"), 3500));
    expect(await main([], io({ SHELLY_URL: shelly.url, SHELLY_INTERVAL: "1" }, stop))).toBe(0);
    const electric = (await journal()).filter((p) => p.measurement === "electric");
    expect(electric.length).toBeGreaterThanOrEqual(2); // polling went on
    for (const p of electric)
      // Hand-checked against the fixture: voltages and currents as sent, energy the sum of the channels.
      expect(p.fields).toEqual({
        voltage_a_v: 226.3,
        voltage_b_v: 226.3,
        voltage_c_v: 225.9,
        current_a_a: 0.149,
        current_b_a: 2.016,
        current_c_a: 0.1,
        energy_wh: 324.68,
        energy_ret_wh: 0.31,
      });
    // One line per field and device, not one per poll: power_a/b/c_w and the sum, power_w (Infinity).
    const warnings = logs.filter((l) => l.includes("is not plausible"));
    expect(warnings.map((l) => l.replace(/^.* electric (\w+) = (\S+) .*$/, "$1=$2")).sort()).toEqual([
      "power_a_w=1e+306",
      "power_b_w=1e+306",
      "power_c_w=1e+306",
      "power_w=Infinity",
    ]);
    expect(logs.join("\n")).not.toMatch(/unexpected error|RangeError/);
  });

  it("MAX_POWER_W sets the limit: with 2000 W the meter's 2413.825 W total is left out", async () => {
    shelly = await startFakeShelly({ profile: "triphase" });
    expect(await main(["--once"], io({ SHELLY_URL: shelly.url, MAX_POWER_W: "2000" }))).toBe(0);
    const [electric] = (await journal()).filter((p) => p.measurement === "electric");
    expect(electric!.fields.power_w).toBeUndefined();
    expect(electric!.fields.energy_wh).toBeGreaterThan(0); // the rest of the reading is kept
    expect(logs.join("\n")).toContain(
      "electric power_w = 2413.825 is not plausible (expected within ±2000 W",
    );
  });
});

describe("a newline in a device's strings", () => {
  it("cannot forge an electric line from a Viessmann feature name", async () => {
    const viessmann = await startFakeViessmann();
    try {
      const features = viessmann.features as { data: unknown[] };
      // A feature whose name ends its line protocol line and starts an `electric` one.
      const forged = {
        feature: "x\nelectric",
        isEnabled: true,
        properties: { power_w: { type: "number", value: 4321 }, energy_wh: { type: "number", value: 5 } },
      };
      viessmann.features = { ...features, data: [...features.data, forged] };
      seedTokens(viessmann, join(cwd, "data"), Date.now());
      const env = {
        VIESSMANN_CLIENT_ID: "test-client",
        VIESSMANN_API_URL: viessmann.url,
        VIESSMANN_AUTH_URL: viessmann.url,
      };
      expect(await main(["--once"], io(env))).toBe(0);
    } finally {
      await viessmann.close();
    }
    const lines = await journal();
    expect(lines.filter((p) => p.measurement === "electric")).toEqual([]);
    // The 252-A reports message lists: a `heatpump_message` point too (collector/src/sources/viessmann/messages.ts).
    expect(new Set(lines.map((p) => p.measurement))).toEqual(
      new Set(["heatpump", "heatpump_message", "viessmann_feature", "collector"]),
    );
    const kept = lines.find((p) => p.tags.feature === "xelectric");
    expect(kept).toMatchObject({ measurement: "viessmann_feature", fields: { power_w: 4321, energy_wh: 5 } });
  });

  it("in a Shelly device id files no reading elsewhere and forges no log line", async () => {
    shelly = await startFakeShelly({
      profile: "triphase",
      deviceId: "shellypro3em-aabbccddeeff\n2026-01-01T00:00:00.000Z error forged",
    });
    expect(await main(["--once"], io({ SHELLY_URL: shelly.url }))).toBe(0);
    const lines = await journal();
    expect(lines.map((p) => [p.measurement, p.tags.device ?? p.tags.source])).toEqual([
      ["electric", "shellypro3em-aabbccddeeff2026-01-01T00:00:00.000Z error forged"],
      ["collector", "shelly"],
    ]);
    expect(logs.length).toBeGreaterThan(0);
    // No control character but the newline of a continued line, which starts with a space.
    for (const line of [...logs, ...out]) {
      expect([...line].filter((c) => c !== "\n" && (c < " " || c === "\u007f"))).toEqual([]);
      expect(line).not.toMatch(/\n(?!\s)/);
    }
    expect(logs.join("\n")).toContain(
      "shellypro3em-aabbccddeeff2026-01-01T00:00:00.000Z error forged (firmware",
    );
  });
});

describe("credentials in server text", () => {
  it("a token endpoint echoing the request puts no refresh token in a log line or message", async () => {
    const viessmann = await startFakeViessmann();
    let refreshToken: string | undefined;
    try {
      seedTokens(viessmann, join(cwd, "data"), Date.now() - 2 * 3_600_000); // access token expired
      refreshToken = viessmann.validRefreshToken();
      viessmann.tokenMode = "echo-400";
      const env = {
        VIESSMANN_CLIENT_ID: "test-client",
        VIESSMANN_API_URL: viessmann.url,
        VIESSMANN_AUTH_URL: viessmann.url,
      };
      expect(await main(["--once"], io(env))).toBe(1);
      expect(viessmann.calls.token).toBe(1);
    } finally {
      await viessmann.close();
    }
    const text = [...logs, ...out, ...err].join("\n");
    expect(refreshToken).toMatch(/^rt-.{20,}/);
    expect(text).not.toContain(refreshToken!);
    expect(text).not.toContain(refreshToken!.slice(3, 13));
    // What the server said is still there, with the value blanked.
    expect(err.join("\n")).toContain(
      "viessmann: FAILED: Viessmann login failed: invalid_request (cannot parse the request " +
        "grant_type=refresh_token&client_id=test-client&refresh_token=***)",
    );
    expect(logs.join("\n")).toContain("client_id=test-client&refresh_token=***); this source is stopped");
  });
});

describe("the Viessmann budget", () => {
  it("one that leaves no poll after the token refreshes is refused at start, naming one that works", async () => {
    const env = { VIESSMANN_CLIENT_ID: "test-client", VIESSMANN_DAILY_BUDGET: "20" };
    expect(await main([], io(env))).toBe(2);
    expect(err).toEqual([
      "Configuration is not valid:\n  - VIESSMANN_DAILY_BUDGET: 20 calls per day leave no poll: token refreshes " +
        "alone take up to 27 calls a day (one every 55 min). Set VIESSMANN_DAILY_BUDGET=315 to poll every 300 s " +
        "(VIESSMANN_INTERVAL), or at least 28; the free plan allows 1450",
    ]);
  });
});
