import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main, NO_SOURCE_MESSAGE } from "../src/main.ts";
import { parseLine } from "../../core/src/data/line-protocol.ts";
import { type FakeInflux, startFakeInflux } from "./fakes/influx-server.ts";
import { type FakeShelly, startFakeShelly } from "./fakes/shelly-server.ts";
import { startFakeViessmann } from "./fakes/viessmann-api.ts";
import { conflictingPoints } from "./delivery.ts";
import { seedTokens } from "./sources/viessmann/helpers.ts";

let cwd: string;
let shelly: FakeShelly;
let influx: FakeInflux;
let out: string[];
let err: string[];
/** The collector's log lines (a test that expects a warning asserts it here, off the test output). */
let logged: string[];
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "collector-main-"));
  shelly = await startFakeShelly({ profile: "triphase" });
  influx = await startFakeInflux({ token: "influx-secret-token" });
  out = [];
  err = [];
  logged = [];
});
afterEach(async () => {
  await shelly.close();
  await influx.close();
  await rm(cwd, { recursive: true, force: true });
});

const io = (env: Record<string, string>, stopSignal?: Promise<string>) => ({
  env: { LOG_LEVEL: "warn", ...env },
  cwd,
  print: (t: string) => void out.push(t),
  printError: (t: string) => void err.push(t),
  writeLog: (_level: string, line: string) => void logged.push(line),
  stopSignal,
});
const influxEnv = () => ({
  INFLUX_URL: influx.url,
  INFLUX_TOKEN: "influx-secret-token",
  INFLUX_ORG: "home",
  INFLUX_BUCKET: "heatpump",
});
/**
 * Everything the collector journaled reached InfluxDB: nothing unsent is left in the journal (it
 * deletes lines only once InfluxDB acknowledged them), nothing was set aside in rejected/, and
 * InfluxDB never got two values for one series and timestamp.
 */
async function expectAllDelivered(): Promise<void> {
  expect(await journalLines()).toEqual([]);
  expect(existsSync(join(cwd, "data", "journal", "rejected"))).toBe(false);
  expect(conflictingPoints(influx.lines)).toEqual([]);
}

async function journalLines(): Promise<string[]> {
  const dir = join(cwd, "data", "journal");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".lp")).sort();
  const lines: string[] = [];
  for (const f of files) lines.push(...(await readFile(join(dir, f), "utf8")).split("\n").filter(Boolean));
  return lines;
}

describe("collector main", () => {
  it("stops with exit 2 and the message, no stack, on a configuration error", async () => {
    expect(await main([], io({ SHELLY_URL: "http://x", SHELLY_INTERVAL: "fast" }))).toBe(2);
    expect(err.join("\n")).toBe(
      "Configuration is not valid:\n  - SHELLY_INTERVAL: must be a number of seconds, e.g. SHELLY_INTERVAL=10",
    );
  });

  it("names DATA_DIR when the journal cannot be written there", async () => {
    await writeFile(join(cwd, "not-a-dir"), "");
    expect(await main(["--once"], io({ SHELLY_URL: shelly.url, DATA_DIR: "not-a-dir" }))).toBe(2);
    expect(err.join("\n")).toMatch(/^DATA_DIR: cannot write the journal in .*not-a-dir\/journal \(ENOTDIR\)/);
  });

  it.each([
    ["a symbolic link loop", "ELOOP", () => symlink(join(cwd, "data"), join(cwd, "data"))],
    [
      "a file where the journal folder goes",
      "EEXIST",
      () => mkdir(join(cwd, "data")).then(() => writeFile(join(cwd, "data", "journal"), "")),
    ],
  ])("names DATA_DIR, without a stack, when it cannot be created (%s)", async (_what, code, make) => {
    await make();
    for (const args of [[], ["--once"]]) {
      err.length = 0;
      expect(await main(args, io({ SHELLY_URL: shelly.url }))).toBe(2);
      expect(err).toEqual([
        `DATA_DIR: cannot write the journal in ${join(cwd, "data", "journal")} (${code}); ` +
          "make it a writable directory, or set DATA_DIR elsewhere",
      ]);
    }
    expect(shelly.calls).toEqual([]); // nothing polled before DATA_DIR is usable
  });

  it("an unknown option or a value where none belongs: one line with the usage, exit 2", async () => {
    expect(await main(["--bogus"], io({ SHELLY_URL: shelly.url }))).toBe(2);
    expect(await main(["--once=yes"], io({ SHELLY_URL: shelly.url }))).toBe(2);
    expect(err).toEqual([
      "unknown option --bogus (usage: npm run collect [-- --once])",
      "--once takes no value (usage: npm run collect [-- --once])",
    ]);
    expect(out).toEqual([]);
  });

  it("says what to set when no source is configured", async () => {
    expect(await main(["--once"], io({}))).toBe(2);
    expect(err).toEqual([NO_SOURCE_MESSAGE]);
    expect(NO_SOURCE_MESSAGE).toMatch(/SHELLY_URL.*VIESSMANN_CLIENT_ID/);
  });

  it("--once prints readable readings, journals them locally and exits 0", async () => {
    expect(await main(["--once"], io({ SHELLY_URL: shelly.url }))).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/^electric device=shellypro3em-\S+ role=heatpump at \d{4}-\d\d-\d\dT/m);
    expect(text).toMatch(/^ {2}power_w\s+2413\.825 W$/m);
    expect(text).toMatch(/^ {2}energy_wh\s+[\d.]+ Wh$/m);
    expect(text).toContain(
      "Wrote 1 reading (1 electric) and 1 health point (collector) to the local journal in ",
    );
    const lines = (await journalLines()).map((l) => parseLine(l)!);
    expect(lines.map((l) => l.measurement)).toEqual(["electric", "collector"]);
    expect(lines[0]!.fields.power_w).toBe(2413.825);
  });

  it("--once exits 1 naming the source that failed, and writes no reading for it", async () => {
    await shelly.setFault("down");
    expect(await main(["--once"], io({ SHELLY_URL: shelly.url }))).toBe(1);
    expect(err.join("\n")).toMatch(/^shelly: FAILED: .*127\.0\.0\.1/m);
    expect(err.join("\n")).toMatch(/--once: shelly failed/);
    expect(logged.join("\n")).toMatch(
      /warn {2}shelly: Shelly at http:\/\/127\.0\.0\.1:\d+ refused the connection/,
    );
    // Says what it wrote: not "written to the journal" as if the reading were there.
    expect(out.join("\n")).toContain(
      "Wrote no reading (every source failed), only 1 health point (collector) to the local journal in ",
    );
    const lines = (await journalLines()).map((l) => parseLine(l)!);
    expect(lines.map((l) => l.measurement)).toEqual(["collector"]); // the health point, no zero reading
    expect(lines[0]!.fields.polls_failed).toBe(1);
  });

  it("--once with InfluxDB sends the points and leaves nothing unsent in the journal", async () => {
    expect(await main(["--once"], io({ SHELLY_URL: shelly.url, ...influxEnv() }))).toBe(0);
    expect(influx.lines.map((l) => parseLine(l)!.measurement)).toEqual(["electric", "collector"]);
    expect(out.join("\n")).toContain(
      "Wrote 1 reading (1 electric) and 1 health point (collector) to the journal " +
        `and sent them to InfluxDB at ${influx.url}`,
    );
    expect(await journalLines()).toEqual([]);
  });

  it("never shows the password written into INFLUX_URL, in log lines or in messages", async () => {
    const password = "url-pass-5ecret";
    const url = influx.url.replace("http://", `http://collector:${password}@`);
    const env = { SHELLY_URL: shelly.url, ...influxEnv(), INFLUX_URL: url, INFLUX_FLUSH_INTERVAL: "1" };
    const logs: string[] = [];
    const writeLog = (_level: string, line: string) => void logs.push(line);
    await influx.setMode("down"); // the writer names the URL in its state line
    const stop = new Promise<string>((r) => setTimeout(() => r("test stop"), 2500));
    expect(await main([], { ...io({ ...env, LOG_LEVEL: "info" }, stop), writeLog })).toBe(0);
    await influx.setMode("up");
    expect(await main(["--once"], { ...io(env), writeLog })).toBe(0);
    const text = [...logs, ...out, ...err].join("\n");
    expect(text).toMatch(new RegExp(`sending to InfluxDB at ${influx.url}, bucket`));
    expect(text).toMatch(new RegExp(`InfluxDB at ${influx.url} is not accepting writes`));
    expect(text).toContain(`sent them to InfluxDB at ${influx.url} (bucket heatpump)`);
    expect(text).not.toContain(password);
    expect(influx.lines.filter((l) => l.startsWith("electric,")).length).toBeGreaterThanOrEqual(2);
    await expectAllDelivered();
  });

  it("refuses oversized meter answers as gaps with one log line; every point journaled reaches InfluxDB", async () => {
    await shelly.close(); // a meter (or something at its address) that answers 50 MB
    shelly = await startFakeShelly({ profile: "triphase", oversizeBytes: 50 * 1024 * 1024 });
    const env = { SHELLY_URL: shelly.url, SHELLY_INTERVAL: "1", ...influxEnv(), INFLUX_FLUSH_INTERVAL: "1" };
    const logs: string[] = [];
    const writeLog = (_level: string, line: string) => void logs.push(line);
    const electric = () => influx.lines.filter((l) => l.startsWith("electric,")).length;
    let stop!: (why: string) => void;
    const running = main([], {
      ...io({ ...env, LOG_LEVEL: "info" }, new Promise((r) => (stop = r))),
      writeLog,
    });
    for (let i = 0; i < 300 && electric() < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await shelly.setFault("oversized");
    await new Promise((r) => setTimeout(r, 2500));
    await shelly.setFault(undefined);
    const before = electric();
    for (let i = 0; i < 300 && electric() < before + 2; i++) await new Promise((r) => setTimeout(r, 20));
    stop("test stop");
    expect(await running).toBe(0);
    expect(logs.filter((l) => l.includes("answered Shelly.GetStatus with more than 1 MB"))).toHaveLength(1);
    expect(logs.join("\n")).toMatch(/shelly: back after [1-9]\d* failed polls/);
    expect(electric()).toBeGreaterThanOrEqual(before + 2);
    await expectAllDelivered();
  });

  it("a restart polls Viessmann only when VIESSMANN_INTERVAL has passed since the last poll", async () => {
    const viessmann = await startFakeViessmann();
    try {
      await mkdir(join(cwd, "data"), { recursive: true });
      seedTokens(viessmann, join(cwd, "data"), Date.now());
      const tokenFile = join(cwd, "data", "viessmann-token.json");
      await chmod(tokenFile, 0o644); // e.g. restored from a backup: made private at start
      const env = {
        VIESSMANN_CLIENT_ID: "test-client",
        VIESSMANN_API_URL: viessmann.url,
        VIESSMANN_AUTH_URL: viessmann.url,
        VIESSMANN_INTERVAL: "60",
        ...influxEnv(),
      };
      for (const run of ["first", "restart"]) {
        const stop = new Promise<string>((r) => setTimeout(() => r(`${run} stop`), 1500));
        expect(await main([], io(env, stop))).toBe(0);
      }
      expect(viessmann.calls.features).toBe(1);
      expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
      expect(logged.join("\n")).toMatch(
        /warn {2}viessmann: .*viessmann-token\.json was readable by other users \(mode 0644\); made it 0600/,
      );
      const heatpump = influx.lines.filter((l) => l.startsWith("heatpump,"));
      expect(heatpump).toHaveLength(1);
      await expectAllDelivered();
    } finally {
      await viessmann.close();
    }
  });

  it("stops within its time limit while InfluxDB hangs; the next run sends what was left", async () => {
    const env = { SHELLY_URL: shelly.url, SHELLY_INTERVAL: "1", ...influxEnv(), INFLUX_FLUSH_INTERVAL: "1" };
    await influx.setMode("hang"); // takes every write request and never answers
    let stoppedAt = 0;
    const stop = new Promise<string>((r) =>
      setTimeout(() => {
        stoppedAt = Date.now();
        r("test stop");
      }, 2500),
    );
    const logs: string[] = [];
    const writeLog = (_level: string, line: string) => void logs.push(line);
    // The limit is 10 s in production; 2 s here, the same code path. Wall-clock time on a busy
    // machine: three times the limit as slack (8 s), still short of the 10 s a missed limit takes.
    expect(await main([], { ...io(env, stop), writeLog, shutdownMs: 2000 })).toBe(0);
    const took = Date.now() - stoppedAt;
    expect(took).toBeLessThan(2000 + 3 * 2000);
    expect(logs.join("\n")).toMatch(/still not done after 2 s .*unsent points stay in .* next start/);
    const left = await journalLines();
    expect(left.filter((l) => l.startsWith("electric,")).length).toBeGreaterThanOrEqual(2);
    await influx.setMode("up");
    expect(await main(["--once"], io(env))).toBe(0);
    for (const l of left) expect(influx.lines).toContain(l);
    await expectAllDelivered();
  });

  it("runs until stopped, polls at the interval without overlap, sends everything and exits 0", async () => {
    const stop = new Promise<string>((r) => setTimeout(() => r("test stop"), 3500));
    expect(await main([], io({ SHELLY_URL: shelly.url, SHELLY_INTERVAL: "1", ...influxEnv() }, stop))).toBe(
      0,
    );
    const electric = influx.lines.map((l) => parseLine(l)!).filter((p) => p.measurement === "electric");
    expect(electric.length).toBeGreaterThanOrEqual(2);
    const times = electric.map((p) => p.timeMs);
    expect(times).toEqual([...new Set(times)].sort((a, b) => a - b)); // each poll once, in order
    expect(await journalLines()).toEqual([]); // everything acknowledged and deleted at shutdown
    expect(err).toEqual([]);
  });

  describe("several meters (SHELLY_METERS) and the home tag", () => {
    let backup: FakeShelly;
    beforeEach(async () => {
      backup = await startFakeShelly({ profile: "plus1pm" });
    });
    afterEach(async () => backup.close());
    const meters = () => `heatpump=${shelly.url},backup=${backup.url}#switch:0`;
    const written = async () => (await journalLines()).map((l) => parseLine(l)!);

    it("--once: every line carries home, the electric ones their role, the health points theirs", async () => {
      backup.setStatus({ "switch:0": { apower: 3000 } });
      expect(await main(["--once"], io({ SHELLY_METERS: meters(), HOME_ID: "flat-2" }))).toBe(0);
      const tagsOf = (p: { measurement: string; tags: Record<string, string> }) =>
        `${p.measurement} ${Object.entries(p.tags)
          .filter(([k]) => k !== "device")
          .map(([k, v]) => `${k}=${v}`)
          .sort()
          .join(",")}`;
      expect((await written()).map(tagsOf)).toEqual([
        "electric home=flat-2,role=heatpump",
        "collector home=flat-2,role=heatpump,source=shelly",
        "electric home=flat-2,role=backup",
        "collector home=flat-2,role=backup,source=shelly",
      ]);
      const [hp, , bk] = await written();
      expect(hp!.tags.device).toBe("shellypro3em-aabbccddeeff");
      expect(bk!.tags.device).toBe("shellyplus1pm-aabbccddeeff");
      expect(bk!.fields).toEqual({ power_w: 3000, voltage_a_v: 232.8, current_a_a: 0, energy_wh: 110.046 });
      expect(out.join("\n")).toContain("Wrote 2 readings (2 electric) and 2 health points (collector)");
    });

    it("--once: a meter that fails is a gap for it alone, named by its role", async () => {
      await backup.setFault("down");
      expect(await main(["--once"], io({ SHELLY_METERS: meters() }))).toBe(1);
      expect(err.join("\n")).toMatch(/^shelly backup: FAILED: Shelly at http:\/\/127\.0\.0\.1:\d+ refused/m);
      expect(err.at(-1)).toBe("--once: shelly backup failed; see the message above.");
      const lines = await written();
      expect(lines.map((p) => `${p.measurement} ${p.tags.role}`)).toEqual([
        "electric heatpump",
        "collector heatpump",
        "collector backup", // the failed poll's health point: polls_failed 1, no reading
      ]);
      expect(lines[2]!.fields).toMatchObject({ polls_ok: 0, polls_failed: 1 });
      expect(lines[0]!.tags.home).toBe("home"); // HOME_ID's default
    });

    it("MAX_POWER_W applies to every meter: 15,000 W is written, 15,001 W is a gap in power_w", async () => {
      backup.setStatus({ "switch:0": { apower: 15_000 } });
      expect(await main(["--once"], io({ SHELLY_METERS: meters() }))).toBe(0);
      backup.setStatus({ "switch:0": { apower: 15_001 } });
      expect(await main(["--once"], io({ SHELLY_METERS: meters(), LOG_LEVEL: "warn" }))).toBe(0);
      const backups = (await written()).filter(
        (p) => p.measurement === "electric" && p.tags.role === "backup",
      );
      expect(backups.map((p) => p.fields.power_w)).toEqual([15_000, undefined]);
      expect(backups[1]!.fields.energy_wh).toBe(110.046); // the point's other fields are kept
      expect(logged.join("\n")).toMatch(
        /shelly backup: shellyplus1pm-aabbccddeeff: electric power_w = 15001/,
      );
    });

    it("polls each meter on its own: one down for the whole run stops none of the others", async () => {
      await backup.setFault("down");
      const stop = new Promise<string>((r) => setTimeout(() => r("test stop"), 2500));
      expect(await main([], io({ SHELLY_METERS: meters(), SHELLY_INTERVAL: "1" }, stop))).toBe(0);
      const lines = await written();
      const count = (m: string, role: string) =>
        lines.filter((p) => p.measurement === m && p.tags.role === role).length;
      expect(count("electric", "heatpump")).toBeGreaterThanOrEqual(2); // polled at 0 s, 1 s, 2 s
      expect(count("electric", "backup")).toBe(0);
      expect(count("collector", "backup")).toBeGreaterThanOrEqual(2); // polled all along, each a gap
      expect(
        logged.filter((l) => l.includes("shelly backup:") && l.includes("will keep trying")),
      ).toHaveLength(1);
    });
  });
});
