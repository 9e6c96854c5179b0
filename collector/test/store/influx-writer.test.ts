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
/** The collector's own health point of a poll, as poll.ts journals it. */
const healthPoint = (i: number): Point => ({
  measurement: "collector",
  tags: { source: "shelly" },
  fields: { polls_ok: i + 1, polls_failed: 0, latency_ms: 40 },
  timeMs: T0 + i * 1000,
});
/** Polls `from`..`to - 1` as journaled: the meter's point and the health point of each. */
const polls = (from: number, to: number): Point[] =>
  Array.from({ length: to - from }, (_, k) => [point(from + k), healthPoint(from + k)]).flat();
/** Another tool wrote `electric.power_w` as an integer first: each of our (float) values conflicts. */
const POWER_IS_INTEGER = { fieldTypes: { "electric.power_w": "integer" } };
const CONFLICT_MESSAGE = (n: number) =>
  'failure writing points to database: partial write: field type conflict: input field "power_w" on ' +
  `measurement "electric" is type float, already exists as type integer dropped=${n}`;
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
      "# InfluxDB answered HTTP 413: <html><head><title>413 Request Entity Too Large</title></head></html>\n" +
        `${encodePoint(huge)}\n`,
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

  it("422: a field type conflict sets the conflicting point aside at once; the rest arrives", async () => {
    // InfluxDB writes the other points of a 422 request (partial write): nothing is sent again.
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
    expect(influx.requests.map((r) => [r.status, r.lines])).toEqual([[422, 40]]); // nothing sent again
    const files = await rejectedFiles();
    expect(await readFile(join(dir, "rejected", files[0]!), "utf8")).toBe(
      "# InfluxDB answered HTTP 422: failure writing points to database: partial write: " +
        'field type conflict: input field "power_w" on measurement "electric" is type string, ' +
        "already exists as type float dropped=1\n" +
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

describe("InfluxDB writer: 422 is a partial write", () => {
  it("a backlog of an hour with a conflicting field drains in one request; every other line arrives", async () => {
    // An hour of 5 s polls (720 electric points, each with power_w, and their 720 health points) plus
    // a heat pump point every 5 minutes (12), journaled during an outage in the real segment size:
    // 1452 lines, ~150 kB, one batch (at most 5000 lines, 1 MiB). InfluxDB stores the 732 other
    // points and answers 422 naming power_w: the 720 electric lines go aside, nothing is sent again.
    await journal.close();
    journal = await openJournal({ dir, clock: systemClock, logger: memoryLogger() });
    await restartInflux(POWER_IS_INTEGER);
    const points: Point[] = [];
    for (let i = 0; i < 720; i++) {
      const t = T0 + i * 5000;
      points.push({ ...point(i), timeMs: t }, { ...healthPoint(i), timeMs: t });
      if (i % 60 === 0)
        points.push({
          measurement: "heatpump",
          tags: { device: "7571381573112225-0" },
          fields: { flow_c: 35.2 },
          timeMs: t,
        });
    }
    await journal.append(points);
    const { w, logger } = await writer({ flushIntervalMs: 10_000 }); // the default back-off (5 s .. 2 min)
    const started = Date.now();
    expect(await w.drain()).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(influx.requests.map((r) => [r.status, r.lines])).toEqual([[422, 1452]]);
    const electric = points.filter((p) => p.measurement === "electric").map(encodePoint);
    const others = points.filter((p) => p.measurement !== "electric").map(encodePoint);
    expect(influx.lines).toEqual(others);
    const files = await rejectedFiles();
    expect(files).toHaveLength(1);
    expect(await readFile(join(dir, "rejected", files[0]!), "utf8")).toBe(
      `# InfluxDB answered HTTP 422: ${CONFLICT_MESSAGE(720)}\n${electric.join("\n")}\n`,
    );
    const errors = logger.lines.filter((l) => / error /.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`stored a write but dropped 720 points (HTTP 422: ${CONFLICT_MESSAGE(720)})`);
    expect(w.state()).toBe("ok");
    await w.stop();
  });

  it("later batches: lines with the refused field are set aside without being sent", async () => {
    await restartInflux(POWER_IS_INTEGER);
    await journal.append(polls(0, 10));
    const { w, logger } = await writer();
    expect(await w.drain()).toBe(true); // 422 naming power_w: learnt
    await journal.append(polls(10, 15));
    expect(await w.drain()).toBe(true);
    // Only the health points of the second batch were sent; they went in (204).
    expect(influx.requests.map((r) => r.status)).toEqual([422, 204]);
    expect(influx.requests[1]!.received).toEqual(
      polls(10, 15)
        .filter((_, k) => k % 2 === 1)
        .map(encodePoint),
    );
    // A batch of nothing but such lines costs no request at all.
    await journal.append([point(15), point(16)]);
    expect(await w.drain()).toBe(true);
    expect(influx.requests).toHaveLength(2);
    const files = await rejectedFiles();
    expect(files).toHaveLength(3);
    const unsent = `# not sent: InfluxDB refused this field earlier in this run (HTTP 422: ${CONFLICT_MESSAGE(10)})\n`;
    const texts = await Promise.all(files.map((f) => readFile(join(dir, "rejected", f), "utf8")));
    expect(texts).toEqual(
      expect.arrayContaining([
        `# InfluxDB answered HTTP 422: ${CONFLICT_MESSAGE(10)}\n` +
          polls(0, 10)
            .filter((p) => p.measurement === "electric")
            .map((p) => encodePoint(p) + "\n")
            .join(""),
        unsent + [10, 11, 12, 13, 14].map((i) => encodePoint(point(i)) + "\n").join(""),
        unsent + encodePoint(point(15)) + "\n" + encodePoint(point(16)) + "\n",
      ]),
    );
    expect(influx.lines).toEqual(
      polls(0, 15)
        .filter((p) => p.measurement === "collector")
        .map(encodePoint),
    );
    expect(logger.lines.filter((l) => / error /.test(l))).toHaveLength(1); // one cause, logged once
  });

  it("two conflicting fields in a request: the one named goes aside, the rest is kept marked partial", async () => {
    // InfluxDB names the first conflict of a request and counts every point dropped (dropped=6).
    await restartInflux({ fieldTypes: { "electric.power_w": "integer", "collector.polls_ok": "string" } });
    await journal.append(polls(0, 3));
    const { w } = await writer();
    expect(await w.drain()).toBe(true);
    const files = await rejectedFiles();
    expect(files).toEqual([expect.stringMatching(/\+0\.lp$/), expect.stringMatching(/\+0\.partial\.lp$/)]);
    const [named, rest] = await Promise.all(files.map((f) => readFile(join(dir, "rejected", f), "utf8")));
    const electric = [0, 1, 2].map((i) => encodePoint(point(i)));
    const health = [0, 1, 2].map((i) => encodePoint(healthPoint(i)));
    expect(named).toBe(`# InfluxDB answered HTTP 422: ${CONFLICT_MESSAGE(6)}\n${electric.join("\n")}\n`);
    expect(rest).toBe(
      "# partial write: InfluxDB stored the other points of these lines and dropped 3 without naming them; " +
        `not sent again. It answered HTTP 422: ${CONFLICT_MESSAGE(6)}\n${health.join("\n")}\n`,
    );
    expect(w.linesRejected()).toBe(6);
    expect(influx.lines).toEqual([]);
    expect(influx.requests).toHaveLength(1);
  });

  it("beyond the retention: the lines sent are kept in rejected/ marked partial and never sent again", async () => {
    // A bucket keeping 1 h; a backlog of 12 points from 2 h ago and 8 from the last minutes.
    await restartInflux({ retentionMs: 3_600_000 });
    const now = Date.now();
    const at = (i: number, t: number): Point => ({ ...point(i), timeMs: t - (t % 1000) });
    const old = Array.from({ length: 12 }, (_, i) => at(i, now - 7_200_000 + i * 5000));
    const recent = Array.from({ length: 8 }, (_, i) => at(100 + i, now - 600_000 + i * 5000));
    await journal.append([...old, ...recent]);
    const { w, logger } = await writer();
    w.start();
    await until(() => influx.requests.length >= 1, "the first request");
    await journal.append([at(200, now - 1000)]);
    await until(() => influx.lines.length >= 9, "the newer points");
    await new Promise((r) => setTimeout(r, 200)); // 10 flush intervals: nothing more is sent
    await w.stop();
    expect(influx.requests.map((r) => [r.status, r.lines])).toEqual([
      [422, 20],
      [204, 1],
    ]);
    expect(influx.lines).toEqual([...recent, at(200, now - 1000)].map(encodePoint));
    const files = await rejectedFiles();
    expect(files).toEqual([expect.stringMatching(/^\d{4}-.*Z\+0\.partial\.lp$/)]);
    const [first, ...lines] = (await readFile(join(dir, "rejected", files[0]!), "utf8")).split("\n");
    expect(first).toMatch(
      new RegExp(
        "^# partial write: InfluxDB stored the other points of these lines and dropped 12 without naming them; " +
          "not sent again\\. It answered HTTP 422: failure writing points to database: partial write: " +
          "dropped 12 points outside retention policy of duration 1h0m0s - oldest point " +
          "electric,device=shellypro3em-c8f09e878a5c at .* dropped=12 for database: 610c26001281c704 " +
          "for retention policy: autogen$",
      ),
    );
    expect(lines).toEqual([...old, ...recent].map(encodePoint).concat(""));
    expect(logger.lines.filter((l) => / error /.test(l))).toEqual([
      expect.stringMatching(
        /stored a write but dropped 12 points .*it names no line, so the 20 lines sent are kept/,
      ),
    ]);
  });

  it("a line set aside ends the back-off: the next batch goes at once, a later refusal waits the least", async () => {
    // Two malformed lines first (400 names the first malformed line of a request), two good ones.
    const bad = (i: number) =>
      `electric,device=shellypro3em-c8f09e878a5c power_w=x${i} 179575143${i}000000000`;
    const good = [0, 1].map((i) => encodePoint(point(i)));
    await oldSegment([bad(1), bad(2), ...good]);
    const { w } = await writer({
      flushIntervalMs: 20,
      minRetryDelayMs: 1000,
      maxRetryDelayMs: 5000,
      retryJitterMs: 0,
    });
    w.start();
    await until(() => influx.requests.length >= 3, "the first line set aside");
    await until(() => influx.lines.length === 2, "the good lines");
    await w.stop();
    // 4 refused (wait 1 s) -> 2 refused (wait 2 s) -> bad1 set aside -> at once 3 refused, a new
    // bisection after a reset back-off (1 s, not the 4 s of a 3rd refusal in a row) -> bad2 set
    // aside -> at once the 2 good lines. "At once" is a few file writes: well below a second.
    const r = influx.requests;
    expect(r.map((q) => [q.status, q.lines])).toEqual([
      [400, 4],
      [400, 2],
      [400, 1],
      [400, 3],
      [400, 1],
      [204, 2],
    ]);
    const gap = (i: number) => r[i]!.atMs - r[i - 1]!.atMs;
    expect(gap(1)).toBeGreaterThanOrEqual(990);
    expect(gap(2)).toBeGreaterThanOrEqual(1990);
    expect(gap(3)).toBeLessThan(900);
    expect(gap(4)).toBeGreaterThanOrEqual(990);
    expect(gap(4)).toBeLessThan(3000);
    expect(gap(5)).toBeLessThan(900);
    expect(await rejectedFiles()).toHaveLength(2);
  });

  it("counts the lines set aside since start: the collector's lines_rejected", async () => {
    await restartInflux({ ...POWER_IS_INTEGER, retentionMs: 3_600_000 });
    const now = Date.now();
    // Polls of the last minutes, inside the retention; `aged` ones 2 h old, beyond it.
    const recent = (ps: Point[]) =>
      ps.map((p) => ({ ...p, timeMs: p.timeMs - T0 + now - (now % 1000) - 600_000 }));
    const aged = (i: number) => ({ ...healthPoint(i), timeMs: now - (now % 1000) - 7_200_000 + i * 1000 });
    // A malformed line from an older collector (400, naming it) and 10 electric lines named by a 422.
    await oldSegment(["collector,source=shelly polls_ok=x 1795751430000000000"]);
    await journal.append(recent(polls(0, 10)));
    const { w } = await writer();
    expect(w.linesRejected()).toBe(0);
    expect(await w.drain()).toBe(true);
    expect(w.linesRejected()).toBe(11);
    await journal.append(recent(polls(10, 15))); // 5 more set aside unsent
    expect(await w.drain()).toBe(true);
    expect(w.linesRejected()).toBe(16);
    // 3 health points beyond the retention among 5: InfluxDB dropped 3 (the file keeps all 5).
    await journal.append([aged(20), aged(21), aged(22), ...recent([healthPoint(30), healthPoint(31)])]);
    expect(await w.drain()).toBe(true);
    expect(w.linesRejected()).toBe(19);
    expect((await rejectedFiles()).length).toBe(4);
    expect((await writer()).w.linesRejected()).toBe(0); // a counter since start: a new writer starts at 0
  });
});
