import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { openJournal, segmentName, segmentTime } from "../../src/store/journal.ts";
import { openQueue } from "../../src/store/journal-queue.ts";
import { encodePoint, type Point } from "../../../core/src/data/line-protocol.ts";

const T0 = Date.UTC(2026, 10, 27, 3, 50, 0);
const point = (timeMs: number, power = 1000): Point => ({
  measurement: "electric",
  tags: { device: "shellypro3em-c8f09e878a5c" },
  fields: { power_w: power, energy_wh: 5415000 + timeMs / 1000 },
  timeMs,
});

let dir: string;
let now: number;
const clock = { now: () => now };
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), "journal-")), "journal");
  now = T0;
});
afterEach(async () => rm(join(dir, ".."), { recursive: true, force: true }));

const lpFiles = async () => (await readdir(dir)).filter((n) => n.endsWith(".lp")).sort();

describe("journal", () => {
  it("names segments by the first poll time, sortable, and maps names back to times", () => {
    expect(segmentName(T0)).toBe("2026-11-27T03-50-00.000Z.lp");
    expect(segmentTime("2026-11-27T03-50-00.000Z.lp")).toBe(T0);
    expect(segmentTime("cursor.json")).toBeNaN();
  });

  it("appends points as ns line protocol that is on disk when append resolves", async () => {
    const j = await openJournal({ dir, clock, logger: memoryLogger() });
    await j.append([point(T0), point(T0 + 10_000, 2000)]);
    // Read by another handle before close: the data is already written and fsynced.
    const text = await readFile(join(dir, "2026-11-27T03-50-00.000Z.lp"), "utf8");
    expect(text).toBe(encodePoint(point(T0)) + "\n" + encodePoint(point(T0 + 10_000, 2000)) + "\n");
    expect(text).toContain(` ${T0}000000\n`);
    await j.close();
  });

  it("rotates by size and by age; a restart starts a new segment after the existing ones", async () => {
    const j = await openJournal({
      dir,
      clock,
      logger: memoryLogger(),
      segmentMaxBytes: 200,
      segmentMaxAgeMs: 60_000,
    });
    await j.append([point(T0)]); // ~90 bytes per line
    await j.append([point(T0 + 1000)]);
    await j.append([point(T0 + 2000)]); // still under 200 bytes before this append
    await j.append([point(T0 + 3000)]); // over 200 bytes -> new segment
    now = T0 + 61_000;
    await j.append([point(now)]); // the second segment is older than 60 s -> third segment
    await j.close();
    const files = await lpFiles();
    expect(files).toEqual([segmentName(T0), segmentName(T0 + 3000), segmentName(T0 + 61_000)]);
    const j2 = await openJournal({ dir, clock, logger: memoryLogger() });
    // A poll time before the newest name (clock stepped back) still gets a later name.
    await j2.append([point(T0 - 5000)]);
    await j2.close();
    const after = await lpFiles();
    expect(after.length).toBe(files.length + 1);
    expect(after.at(-1)! > files.at(-1)!).toBe(true);
    // Every point is there exactly once, in append order.
    let all = "";
    for (const f of after) all += await readFile(join(dir, f), "utf8");
    expect(
      all
        .trim()
        .split("\n")
        .map((l) => l.slice(l.lastIndexOf(" ") + 1)),
    ).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 61_000, T0 - 5000].map((t) => `${t}000000`));
  });

  it("cuts a torn last line after a crash with a log line and keeps the lines before it", async () => {
    const j = await openJournal({ dir, clock, logger: memoryLogger() });
    await j.append([point(T0), point(T0 + 1000)]);
    await j.close();
    const file = join(dir, segmentName(T0));
    const good = await readFile(file, "utf8");
    // What a kill in the middle of write() leaves: half a line, no newline.
    await appendFile(file, encodePoint(point(T0 + 2000)).slice(0, 40));
    const logger = memoryLogger();
    const j2 = await openJournal({ dir, clock, logger });
    expect(await readFile(file, "utf8")).toBe(good);
    expect(logger.lines.join("\n")).toMatch(/torn line \(40 bytes\).*lines before it are kept/);
    await j2.append([point(T0 + 3000)]);
    await j2.close();
    const lines = [];
    for (const f of await lpFiles()) lines.push(...(await readFile(join(dir, f), "utf8")).trim().split("\n"));
    expect(lines).toEqual([point(T0), point(T0 + 1000), point(T0 + 3000)].map(encodePoint));
  });

  it("drops a point that cannot be written on its own, with a log line; the rest goes on", async () => {
    const logger = memoryLogger();
    const j = await openJournal({ dir, clock, logger });
    const absurd: Point = { ...point(T0), fields: { power_w: Infinity, energy_wh: 1 } };
    const health: Point = {
      measurement: "collector",
      tags: { source: "shelly" },
      fields: { polls_ok: 1 },
      timeMs: T0,
    };
    await j.append([absurd, health]); // resolves: no RangeError for the whole batch
    await j.append([{ ...absurd, timeMs: T0 + 10_000 }]); // nothing left to write: no empty segment
    await j.append([point(T0 + 20_000)]);
    await j.close();
    const text = await readFile(join(dir, segmentName(T0)), "utf8");
    expect(text).toBe(encodePoint(health) + "\n" + encodePoint(point(T0 + 20_000)) + "\n");
    expect(logger.lines).toEqual([
      "1970-01-01T00:00:00.000Z error journal: dropped a point of electric at 2026-11-27T03:50:00.000Z that " +
        'cannot be written (point "electric", field power_w: line protocol cannot carry the number Infinity); ' +
        "the rest is kept",
    ]);
  });
});

describe("journal queue", () => {
  it("hands out complete lines in order and deletes a closed segment only after its last ack", async () => {
    const j = await openJournal({ dir, clock, logger: memoryLogger(), segmentMaxBytes: 1 });
    await j.append([point(T0), point(T0 + 1000)]); // segment 1 (then full)
    await j.append([point(T0 + 2000)]); // segment 2, active
    const q = await openQueue(j, memoryLogger());
    const b1 = await q.next(1, 65536);
    expect(b1?.lines).toEqual([encodePoint(point(T0))]);
    // Not acknowledged: the same lines come again.
    expect((await q.next(1, 65536))?.lines).toEqual(b1?.lines);
    await q.ack(b1!);
    expect((await lpFiles()).length).toBe(2);
    const b2 = await q.next(10, 65536);
    expect(b2?.lines).toEqual([encodePoint(point(T0 + 1000))]);
    await q.ack(b2!);
    expect(await lpFiles()).toEqual([segmentName(T0 + 2000)]); // segment 1 finished and deleted
    const b3 = await q.next(10, 65536);
    await q.ack(b3!);
    expect(await lpFiles()).toEqual([segmentName(T0 + 2000)]); // the active one stays
    expect(await q.next(10, 65536)).toBeUndefined();
    expect(await q.backlogBytes()).toBe(0);
    await j.close();
  });

  it("resumes from the persisted cursor after a restart, resending nothing acknowledged", async () => {
    const j = await openJournal({ dir, clock, logger: memoryLogger() });
    await j.append([point(T0), point(T0 + 1000), point(T0 + 2000)]);
    const q = await openQueue(j, memoryLogger());
    await q.ack((await q.next(2, 65536))!);
    await j.close(); // "crash" after the ack
    const j2 = await openJournal({ dir, clock, logger: memoryLogger() });
    const q2 = await openQueue(j2, memoryLogger());
    const rest = await q2.next(100, 65536);
    expect(rest?.lines).toEqual([encodePoint(point(T0 + 2000))]);
    await q2.ack(rest!);
    expect(await lpFiles()).toEqual([]); // the old segment is closed (restart) and fully sent
    await j2.append([point(T0 + 3000)]);
    expect((await q2.next(100, 65536))?.lines).toEqual([encodePoint(point(T0 + 3000))]);
    await j2.close();
  });

  it("skips a torn tail of a closed segment with a log line", async () => {
    const j0 = await openJournal({ dir, clock, logger: memoryLogger(), segmentMaxBytes: 1 });
    await j0.append([point(T0)]);
    await j0.append([point(T0 + 1000)]);
    await j0.close();
    // A torn line in an older segment (the open-time repair only looks at the newest one).
    await appendFile(join(dir, segmentName(T0)), "electric,device=x power_w=1");
    const logger = memoryLogger();
    const j = await openJournal({ dir, clock, logger });
    const q = await openQueue(j, logger);
    const b = await q.next(100, 65536);
    expect(b?.lines).toEqual([encodePoint(point(T0))]);
    await q.ack(b!);
    const b2 = await q.next(100, 65536);
    expect(b2?.lines).toEqual([encodePoint(point(T0 + 1000))]);
    expect(logger.lines.join("\n")).toMatch(/skipped a torn last line \(27 bytes\)/);
    await j.close();
  });

  it("leaves other .lp files alone (the demo's history): never sent, never deleted", async () => {
    const j = await openJournal({ dir, clock, logger: memoryLogger() });
    await writeFile(join(dir, "simulated-history.lp"), encodePoint(point(T0 - 86_400_000)) + "\n");
    await j.append([point(T0)]);
    const q = await openQueue(j, memoryLogger());
    const b = await q.next(100, 65536);
    expect(b?.lines).toEqual([encodePoint(point(T0))]);
    await q.ack(b!);
    expect(await q.next(100, 65536)).toBeUndefined();
    await j.close();
    await q.next(100, 65536); // the finished segment is deleted now that it is closed
    expect(await lpFiles()).toEqual(["simulated-history.lp"]);
  });

  it("moves a batch aside into rejected/ and goes on", async () => {
    const j = await openJournal({ dir, clock, logger: memoryLogger() });
    await j.append([point(T0), point(T0 + 1000)]);
    const q = await openQueue(j, memoryLogger());
    const b = (await q.next(1, 65536))!;
    const file = await q.setAside(b);
    expect(file).toBe(join(dir, "rejected", "2026-11-27T03-50-00.000Z+0.lp"));
    expect(await readFile(file, "utf8")).toBe(encodePoint(point(T0)) + "\n");
    expect((await q.next(1, 65536))?.lines).toEqual([encodePoint(point(T0 + 1000))]);
    await j.close();
  });
});
