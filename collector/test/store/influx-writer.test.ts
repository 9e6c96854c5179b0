import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryLogger, systemClock } from "../../src/effects.ts";
import { createInfluxWriter, type InfluxWriterOptions } from "../../src/store/influx-writer.ts";
import { openQueue } from "../../src/store/journal-queue.ts";
import { type Journal, openJournal } from "../../src/store/journal.ts";
import { encodePoint, type Point } from "../../src/store/line-protocol.ts";
import { type FakeInflux, startFakeInflux } from "../fakes/influx-server.ts";

const T0 = Date.UTC(2026, 10, 27, 3, 50, 0);
const point = (i: number): Point => ({
  measurement: "electric",
  tags: { device: "shellypro3em-c8f09e878a5c" },
  fields: { power_w: 1000 + i, energy_wh: 5_415_000 + i },
  timeMs: T0 + i * 1000,
});
// Fast retries so the tests take milliseconds; the logic is the same as with the defaults.
const fast: InfluxWriterOptions = {
  flushIntervalMs: 20,
  minRetryDelayMs: 20,
  maxRetryDelayMs: 50,
  retryJitterMs: 5,
};

let dir: string;
let influx: FakeInflux;
let journal: Journal;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), "writer-")), "journal");
  influx = await startFakeInflux({ token: "secret-token" });
  journal = await openJournal({ dir, clock: systemClock, logger: memoryLogger(), segmentMaxBytes: 4096 });
});
afterEach(async () => {
  await journal.close();
  await influx.close();
  await rm(join(dir, ".."), { recursive: true, force: true });
});

const config = (token = "secret-token") => ({ url: influx.url, token, org: "home", bucket: "heatpump" });
async function writer(opts: InfluxWriterOptions = fast, token?: string) {
  const logger = memoryLogger();
  const queue = await openQueue(journal, logger);
  const w = createInfluxWriter(config(token), queue, { clock: systemClock, logger }, opts);
  return { w, logger, queue };
}
const until = async (cond: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 500; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe("InfluxDB writer", () => {
  it("sends journal lines unchanged with ns precision, gzipped when large, then deletes them", async () => {
    const points = Array.from({ length: 50 }, (_, i) => point(i));
    await journal.append(points);
    const { w, queue } = await writer();
    expect(await w.drain()).toBe(true);
    expect(influx.lines).toEqual(points.map(encodePoint));
    expect(influx.requests[0]).toMatchObject({ status: 204, gzip: true });
    expect(influx.requests[0]?.query).toEqual({ org: "home", bucket: "heatpump", precision: "ns" });
    expect(await queue.backlogBytes()).toBe(0);
    await w.stop();
  });

  it("survives an outage: every point arrives once, in order, with its poll time", async () => {
    const { w, logger } = await writer();
    w.start();
    await influx.setMode("down");
    const points: Point[] = [];
    for (let i = 0; i < 30; i++) {
      points.push(point(i));
      await journal.append([point(i)]);
      if (i === 10) await influx.setMode("unavailable"); // 503 with Retry-After for a while
      if (i === 20) await influx.setMode("up");
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => influx.lines.length >= points.length, "the backlog");
    await w.stop();
    expect(influx.lines).toEqual(points.map(encodePoint));
    expect(influx.requests.some((r) => r.status === 503)).toBe(true);
    const text = logger.lines.join("\n");
    // One line when it went away (down and 503 are the same state), one when it came back.
    expect(text.match(/is not accepting writes/g)).toHaveLength(1);
    expect(text.match(/accepts writes again/g)).toHaveLength(1);
    expect(text).not.toContain("secret-token");
  });

  it("says once that the token is wrong, keeps the journal, and sends after the fix", async () => {
    await journal.append([point(0), point(1)]);
    const bad = await writer(fast, "wrong-token");
    expect(await bad.w.drain()).toBe(false);
    expect(await bad.w.drain()).toBe(false);
    expect(bad.w.state()).toBe("auth");
    expect(
      bad.logger.lines.filter((l) => l.includes("token is wrong or lacks write permission")),
    ).toHaveLength(1);
    expect(bad.logger.lines.join("\n")).toMatch(/HTTP 401.*check INFLUX_TOKEN/);
    await influx.setMode("forbidden");
    const good = await writer();
    expect(await good.w.drain()).toBe(false);
    expect(good.logger.lines.join("\n")).toMatch(/HTTP 403/);
    await influx.setMode("up");
    expect(await good.w.drain()).toBe(true);
    expect(influx.lines).toEqual([point(0), point(1)].map(encodePoint));
  });

  it("moves a batch InfluxDB rejects as malformed to rejected/ and carries on", async () => {
    const { w, logger } = await writer({ ...fast, batchLines: 2 });
    await journal.append([point(0), point(1)]);
    await influx.setMode("bad-request");
    expect(await w.drain()).toBe(true); // not blocked: the batch went aside
    await influx.setMode("up");
    await journal.append([point(2)]);
    expect(await w.drain()).toBe(true);
    expect(influx.lines).toEqual([encodePoint(point(2))]);
    const rejected = await readdir(join(dir, "rejected"));
    expect(rejected).toHaveLength(1);
    expect(await readFile(join(dir, "rejected", rejected[0]!), "utf8")).toBe(
      [point(0), point(1)].map(encodePoint).join("\n") + "\n",
    );
    expect(logger.lines.join("\n")).toMatch(
      /rejected 2 lines as malformed \(HTTP 400: .*forced bad request.*\); moved them to/,
    );
  });
});
