import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main, NO_SOURCE_MESSAGE } from "../src/main.ts";
import { parseLine } from "../src/store/line-protocol.ts";
import { type FakeInflux, startFakeInflux } from "./fakes/influx-server.ts";
import { type FakeShelly, startFakeShelly } from "./fakes/shelly-server.ts";

let cwd: string;
let shelly: FakeShelly;
let influx: FakeInflux;
let out: string[];
let err: string[];
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "collector-main-"));
  shelly = await startFakeShelly({ profile: "triphase" });
  influx = await startFakeInflux({ token: "influx-secret-token" });
  out = [];
  err = [];
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
  stopSignal,
});
const influxEnv = () => ({
  INFLUX_URL: influx.url,
  INFLUX_TOKEN: "influx-secret-token",
  INFLUX_ORG: "home",
  INFLUX_BUCKET: "heatpump",
});
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
    expect(text).toMatch(/^electric device=shellypro3em-\S+ at \d{4}-\d\d-\d\dT/m);
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
      `Wrote 1 reading (1 electric) and 1 health point (collector) to the journal and sent them to InfluxDB at ${influx.url}`,
    );
    expect(await journalLines()).toEqual([]);
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
});
