import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryLogger, systemClock } from "../../../core/src/effects.ts";
import { createInfluxWriter, type InfluxWriterOptions } from "../../src/store/influx-writer.ts";
import { openQueue } from "../../src/store/journal-queue.ts";
import { type Journal, openJournal, segmentName } from "../../src/store/journal.ts";
import { encodePoint, type Point } from "../../../core/src/data/line-protocol.ts";
import { expectDelivered } from "../delivery.ts";
import { type FakeInflux, type FakeInfluxOptions, startFakeInflux } from "../fakes/influx-server.ts";

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
/** Replaces the fake InfluxDB by one with other options (e.g. a proxy's body size limit). */
async function restartInflux(opts: FakeInfluxOptions): Promise<void> {
  await influx.close();
  influx = await startFakeInflux({ token: "secret-token", ...opts });
}
/** A segment written before this journal was opened, e.g. by an older collector: lines as given. */
async function oldSegment(lines: readonly string[]): Promise<void> {
  await writeFile(join(dir, segmentName(T0 - 3_600_000)), lines.join("\n") + "\n");
}
const rejectedFiles = async () =>
  existsSync(join(dir, "rejected")) ? (await readdir(join(dir, "rejected"))).sort() : [];
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
    // One line per status actually received (refused connection, then 503), one when it came back.
    expect(text.match(/is not accepting writes \(connect ECONNREFUSED/g)).toHaveLength(1);
    expect(text.match(/is not accepting writes \(HTTP 503\)/g)).toHaveLength(1);
    expect(text.match(/is not accepting writes/g)).toHaveLength(2);
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

  it("413: halves the request until the proxy takes it, keeps that size, and every point arrives", async () => {
    // A proxy in front of InfluxDB with a 4 KiB body limit; bodies are sent unzipped here so their
    // size is known: 132 lines of ~95 bytes = ~12.5 kB -> 66 lines (~6.3 kB) -> 33 (~3.1 kB) fit.
    await restartInflux({ maxBodyBytes: 4096 });
    const points = Array.from({ length: 132 }, (_, i) => point(i));
    await journal.append(points);
    const { w, logger } = await writer({ ...fast, gzipThreshold: 1e9 });
    expect(await w.drain()).toBe(true);
    expect(influx.requests.map((r) => r.status).filter((s) => s === 413)).toEqual([413, 413]);
    expect(logger.lines.join("\n")).toMatch(
      /refused a request of 66 lines as too large \(HTTP 413.*sending at most 33 lines per request from now on/,
    );
    // The size that worked is kept: a later backlog goes in 33-line requests without a 413.
    const more = Array.from({ length: 100 }, (_, i) => point(200 + i));
    await journal.append(more);
    const before = influx.requests.length;
    expect(await w.drain()).toBe(true);
    expect(influx.requests.slice(before).map((r) => [r.status, r.lines])).toEqual([
      [204, 33],
      [204, 33],
      [204, 33],
      [204, 1],
    ]);
    expect(influx.lines).toEqual([...points, ...more].map(encodePoint));
    expect(await rejectedFiles()).toEqual([]);
  });

  it("413 for a single line: that line goes to rejected/, every other point arrives", async () => {
    await restartInflux({ maxBodyBytes: 4096 });
    const huge: Point = { ...point(3), fields: { note: "x".repeat(5000) } };
    const points = Array.from({ length: 10 }, (_, i) => (i === 3 ? huge : point(i)));
    await journal.append(points);
    const { w, logger } = await writer({ ...fast, gzipThreshold: 1e9 });
    w.start();
    await until(() => influx.lines.length >= 9, "every other point");
    await w.stop();
    const good = points.filter((p) => p !== huge).map(encodePoint);
    expectDelivered(good, influx.lines);
    expect(influx.lines).toEqual(good);
    const files = await rejectedFiles();
    expect(files).toHaveLength(1);
    const text = await readFile(join(dir, "rejected", files[0]!), "utf8");
    expect(text).toBe(
      `# InfluxDB answered HTTP 413: <html><head><title>413 Request Entity Too Large</title></head></html>\n${encodePoint(huge)}\n`,
    );
    expect(logger.lines.join("\n")).toMatch(/refused a line \(HTTP 413: .*\); moved it to .*rejected/);
  });

  it("400: bisects to the malformed line, which alone goes to rejected/ with InfluxDB's message", async () => {
    // 74 lines journaled by an older collector, one of them malformed (a field without a value).
    const lines = Array.from({ length: 74 }, (_, i) => encodePoint(point(i)));
    const bad = "electric,device=shellypro3em-c8f09e878a5c power_w=abc 1795751430000000000";
    lines[30] = bad;
    await oldSegment(lines);
    const { w, logger } = await writer();
    w.start();
    await until(() => influx.lines.length >= 73, "the other 73 lines");
    await w.stop();
    const good = lines.filter((l) => l !== bad);
    expectDelivered(good, influx.lines);
    expect(influx.lines).toEqual(good); // 400 writes nothing, so each good line arrived once, in order
    const files = await rejectedFiles();
    expect(files).toHaveLength(1);
    expect(await readFile(join(dir, "rejected", files[0]!), "utf8")).toBe(
      `# InfluxDB answered HTTP 400: unable to parse '${bad}': bad field value "abc"\n${bad}\n`,
    );
    const text = logger.lines.join("\n");
    expect(text.match(/refused 74 lines \(HTTP 400: unable to parse/g)).toHaveLength(1);
    expect(text.match(/refused a line \(HTTP 400: unable to parse .*moved it to/g)).toHaveLength(1);
    expect(w.state()).toBe("ok");
  });

  it("422: a field type conflict is narrowed down to the conflicting point; the rest arrives", async () => {
    // InfluxDB writes the other points of a 422 request (partial write): re-sending them while
    // bisecting gives identical lines, never two values for one point.
    const points = Array.from({ length: 40 }, (_, i) => point(i));
    const conflicting: Point = { ...point(25), fields: { power_w: "n/a" } };
    points[25] = conflicting;
    await journal.append(points);
    const { w } = await writer();
    w.start();
    const good = points.filter((p) => p !== conflicting).map(encodePoint);
    await until(
      async () => (await rejectedFiles()).length === 1 && good.every((l) => influx.lines.includes(l)),
      "the bisection",
    );
    await w.stop();
    expectDelivered(good, influx.lines);
    expect(influx.lines).not.toContain(encodePoint(conflicting));
    const files = await rejectedFiles();
    expect(await readFile(join(dir, "rejected", files[0]!), "utf8")).toBe(
      '# InfluxDB answered HTTP 422: failure writing points to database: partial write: field type conflict: input field "power_w" on measurement "electric" is type string, already exists as type float dropped=1\n' +
        encodePoint(conflicting) +
        "\n",
    );
  });

  it("a 400 that keeps coming sets nothing aside, backs off, says so once, and all arrives later", async () => {
    const points = Array.from({ length: 8 }, (_, i) => point(i));
    await journal.append(points);
    await influx.setMode("bad-request"); // 400 "forced bad request" for every write, naming no line
    const { w, logger } = await writer({
      flushIntervalMs: 20,
      minRetryDelayMs: 40,
      maxRetryDelayMs: 160,
      retryJitterMs: 0,
    });
    w.start();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await rejectedFiles()).toEqual([]); // nothing InfluxDB did not single out goes aside
    const refused = influx.requests.filter((r) => r.status === 400);
    // 8 -> 4 -> 2 -> 1 line, then single lines, each after a longer wait (40, 80, 160, 160 ms).
    expect(refused.map((r) => r.lines).slice(0, 5)).toEqual([8, 4, 2, 1, 1]);
    const gaps = refused.slice(1).map((r, i) => r.atMs - refused[i]!.atMs);
    expect(gaps.length).toBeLessThanOrEqual(8);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(35);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(150);
    const text = logger.lines.join("\n");
    expect(
      text.match(/refuses every write, even single lines \(HTTP 400: forced bad request\)/g),
    ).toHaveLength(1);
    expect(w.state()).toBe("down");
    await influx.setMode("up");
    await until(() => influx.lines.length >= points.length, "the backlog");
    await w.stop();
    expectDelivered(points.map(encodePoint), influx.lines);
    expect(influx.lines).toEqual(points.map(encodePoint));
    // The first single line taken ends the narrowing: the other 7 go in one request.
    expect(influx.requests.filter((r) => r.status === 204).map((r) => r.lines)).toEqual([1, 7]);
    expect(logger.lines.join("\n")).toMatch(/accepts writes again/);
  });

  it("after a write goes through, the next failure waits the shortest delay again", async () => {
    await journal.append([point(0)]);
    await influx.setMode("forbidden");
    const { w } = await writer({
      flushIntervalMs: 20,
      minRetryDelayMs: 100,
      maxRetryDelayMs: 5000,
      retryJitterMs: 0,
    });
    // Six failures in a row: the next wait would be 100 ms * 2^6, capped at 5 s.
    for (let i = 0; i < 6; i++) expect(await w.drain()).toBe(false);
    await influx.setMode("up");
    expect(await w.drain()).toBe(true);
    await journal.append([point(1)]);
    await influx.setMode("forbidden");
    expect(await w.drain()).toBe(false); // the first failure since the success: 100 ms
    await influx.setMode("up");
    w.start();
    await until(() => influx.lines.length === 2, "the retry");
    await w.stop();
    const [refused, retry] = influx.requests.slice(-2);
    expect([refused?.status, retry?.status]).toEqual([403, 204]);
    expect(retry!.atMs - refused!.atMs).toBeGreaterThanOrEqual(90);
    expect(retry!.atMs - refused!.atMs).toBeLessThan(2500); // not the 5 s of a seventh failure
  });

  it("waits as long as Retry-After says, in seconds or as an HTTP-date", async () => {
    await journal.append([point(0)]);
    await influx.setMode("unavailable");
    for (const retryAfter of [() => "1", () => new Date(Date.now() + 3000).toUTCString()]) {
      influx.retryAfter = retryAfter();
      const { w } = await writer(); // fast: 20 ms back-off, far below what the server asks for
      const from = influx.requests.length;
      expect(await w.drain()).toBe(false);
      w.start();
      await until(() => influx.requests.length >= from + 2, "the retry");
      await w.stop();
      const [first, retry] = influx.requests.slice(from);
      // The HTTP-date has whole seconds: 3 s ahead is at least 2 s.
      expect(retry!.atMs - first!.atMs).toBeGreaterThanOrEqual(950);
    }
    await influx.setMode("up");
    const { w } = await writer();
    expect(await w.drain()).toBe(true);
    expectDelivered([encodePoint(point(0))], influx.lines);
  });
});
