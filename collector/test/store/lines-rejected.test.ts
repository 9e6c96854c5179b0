import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import { main } from "../../src/main.ts";
import { type FakeInflux, startFakeInflux } from "../fakes/influx-server.ts";
import { type FakeShelly, startFakeShelly } from "../fakes/shelly-server.ts";

let cwd: string;
let shelly: FakeShelly;
let influx: FakeInflux;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "lines-rejected-"));
  shelly = await startFakeShelly({ profile: "triphase" });
  // Another tool wrote electric.power_w as an integer: each of the collector's electric points conflicts.
  influx = await startFakeInflux({ token: "t0ken", fieldTypes: { "electric.power_w": "integer" } });
});
afterEach(async () => {
  await shelly.close();
  await influx.close();
  await rm(cwd, { recursive: true, force: true });
});

describe("lines_rejected, the collector's health figure of refused lines", () => {
  it("rides on the health points InfluxDB gets: 0 before any send, then the lines set aside", async () => {
    const stop = new Promise<string>((r) => setTimeout(() => r("test stop"), 4500));
    const env = {
      LOG_LEVEL: "error",
      SHELLY_URL: shelly.url,
      SHELLY_INTERVAL: "1",
      INFLUX_URL: influx.url,
      INFLUX_TOKEN: "t0ken",
      INFLUX_ORG: "home",
      INFLUX_BUCKET: "heatpump",
      INFLUX_FLUSH_INTERVAL: "1",
    };
    const log: string[] = [];
    const code = await main([], { env, cwd, stopSignal: stop, writeLog: (_l, line) => void log.push(line) });
    expect(code).toBe(0);
    const health = influx.lines
      .map((l) => parseLine(l)!)
      .filter((p) => p.measurement === "collector")
      .sort((a, b) => a.timeMs - b.timeMs);
    const counts = health.map((p) => p.fields.lines_rejected);
    // Polls every second for 4.5 s, sends every second: poll k sees at most the k electric lines before it.
    expect(counts.length).toBeGreaterThanOrEqual(3);
    expect(counts[0]).toBe(0);
    counts.forEach((n, k) => expect(n).toBeLessThanOrEqual(k));
    expect(counts).toEqual([...counts].sort((a, b) => Number(a) - Number(b))); // a counter: never falls
    expect(counts.at(-1)).toBeGreaterThanOrEqual(1);
    // What it counted is in rejected/: every electric line, none of which reached InfluxDB.
    const rejected = join(cwd, "data", "journal", "rejected");
    const set: string[] = [];
    for (const f of await readdir(rejected))
      set.push(
        ...(await readFile(join(rejected, f), "utf8")).split("\n").filter((l) => l.startsWith("electric,")),
      );
    expect(set).toHaveLength(health.length); // one electric point per poll
    expect(influx.lines.filter((l) => l.startsWith("electric,"))).toEqual([]);
    expect(log.filter((l) => l.includes("stored a write but dropped"))).toHaveLength(1);
  });
});
