/**
 * A full disk (ENOSPC) under DATA_DIR, at start and while running, through a file system that
 * fills up on command (fakes/full-disk.ts): an expected condition, never a crash. Polls that cannot
 * be journaled are gaps, one log line names the directory and the free space, and writing resumes
 * by itself once there is space again; everything that was journaled reaches InfluxDB.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryLogger } from "../../core/src/effects.ts";
import { main } from "../src/main.ts";
import { JournalError, openJournal } from "../src/store/journal.ts";
import { encodePoint, parseLine, type Point } from "../../core/src/data/line-protocol.ts";
import { conflictingPoints } from "./delivery.ts";
import { disk } from "./fakes/full-disk.ts";
import { type FakeInflux, startFakeInflux } from "./fakes/influx-server.ts";
import { type FakeShelly, startFakeShelly } from "./fakes/shelly-server.ts";

vi.mock("node:fs/promises", async (importOriginal) =>
  (await import("./fakes/full-disk.ts")).fillable(await importOriginal()),
);

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "collector-disk-full-"));
  disk.root = cwd;
  disk.full = false;
});
afterEach(async () => {
  disk.full = false;
  await rm(cwd, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (cond()) return;
  throw new Error(`timed out waiting for ${what}`);
}

describe("journal on a full disk", () => {
  const T0 = Date.UTC(2026, 10, 27, 3, 50, 0);
  const point = (i: number): Point => ({
    measurement: "electric",
    tags: { device: "shellypro3em-c8f09e878a5c" },
    fields: { power_w: 1000 + i },
    timeMs: T0 + i * 1000,
  });
  const clock = { now: () => T0 };

  it("a failed append is cut back, the segment goes on, and each outage is logged once", async () => {
    const dir = join(cwd, "journal");
    const logger = memoryLogger();
    const j = await openJournal({ dir, clock, logger });
    await j.append([point(0)]);
    disk.full = true;
    for (const i of [1, 2]) {
      const e = await j.append([point(i)]).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(JournalError);
      expect(e).toMatchObject({ kind: "storage", code: "ENOSPC" });
    }
    disk.full = false;
    await j.append([point(3)]);
    await j.close();
    const segments = (await readdir(dir)).filter((n) => n.endsWith(".lp"));
    expect(segments).toHaveLength(1); // no new segment per failure
    // The 10 bytes of point 1 that made it to disk were cut off again: whole lines only.
    expect(await readFile(join(dir, segments[0]!), "utf8")).toBe(
      [point(0), point(3)].map((p) => encodePoint(p) + "\n").join(""),
    );
    expect(logger.lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `error journal: cannot write to ${dir} \\(ENOSPC, 0 bytes free\\); ` +
            "readings are not recorded until it can: free some space there, will keep trying$",
        ),
      ),
      expect.stringMatching(
        /info {2}journal: writing to .* again; 2 appends \(polls\) in between were not recorded$/,
      ),
    ]);
  });

  it("leaves no empty segment behind when no append ever worked", async () => {
    const dir = join(cwd, "journal");
    const j = await openJournal({ dir, clock, logger: memoryLogger() });
    disk.full = true;
    await expect(j.append([point(0)])).rejects.toBeInstanceOf(JournalError);
    await j.close();
    expect((await readdir(dir)).filter((n) => n.endsWith(".lp"))).toEqual([]);
  });
});

describe("collector on a full disk", () => {
  let shelly: FakeShelly;
  let influx: FakeInflux;
  let logs: string[];
  beforeEach(async () => {
    shelly = await startFakeShelly({ profile: "triphase" });
    influx = await startFakeInflux({ token: "disk-token" });
    logs = [];
  });
  afterEach(async () => {
    await shelly.close();
    await influx.close();
  });

  function run(stop: Promise<string>) {
    return main([], {
      env: {
        DATA_DIR: "data",
        SHELLY_URL: shelly.url,
        SHELLY_INTERVAL: "1",
        INFLUX_URL: influx.url,
        INFLUX_TOKEN: "disk-token",
        INFLUX_ORG: "home",
        INFLUX_BUCKET: "heatpump",
        INFLUX_FLUSH_INTERVAL: "1",
        LOG_LEVEL: "info",
      },
      cwd,
      print: () => undefined,
      printError: (t) => void logs.push(t),
      writeLog: (_level, line) => void logs.push(line),
      stopSignal: stop,
    });
  }
  const electric = () => influx.lines.filter((l) => l.startsWith("electric,"));
  /** Whatever was journaled reached InfluxDB: nothing unsent left, nothing set aside, no conflicts. */
  async function expectAllDelivered(): Promise<void> {
    const dir = join(cwd, "data", "journal");
    const left = [];
    for (const f of (await readdir(dir)).filter((n) => n.endsWith(".lp")))
      left.push(...(await readFile(join(dir, f), "utf8")).split("\n").filter(Boolean));
    expect(left).toEqual([]);
    expect(existsSync(join(dir, "rejected"))).toBe(false);
    expect(conflictingPoints(influx.lines)).toEqual([]);
  }
  const stackTraces = () => logs.filter((l) => /\n\s+at /.test(l) || l.includes("unexpected error"));

  it("while running: polls are gaps, one log line, no crash, and it resumes by itself", async () => {
    let stop!: (why: string) => void;
    const running = run(new Promise<string>((r) => (stop = r)));
    await until(() => electric().length >= 2, "the first points in InfluxDB");
    // A backlog first (InfluxDB down), so the writer has to move the cursor while the disk is full.
    await influx.setMode("down");
    await sleep(2200);
    disk.full = true;
    const fullFrom = Date.now();
    await influx.setMode("up");
    await sleep(6000); // the writer retries 5 s after its failure, into the full disk
    disk.full = false;
    const fullUntil = Date.now();
    const before = electric().length;
    await until(() => electric().length >= before + 2, "points after the disk has space again");
    stop("test stop");
    expect(await running).toBe(0);

    const text = logs.join("\n");
    const journalDir = join(cwd, "data", "journal");
    expect(text.match(/journal: cannot write to .* \(ENOSPC, 0 bytes free\)/g)).toHaveLength(1);
    expect(text).toContain(`journal: cannot write to ${journalDir} (ENOSPC, 0 bytes free)`);
    expect(text).toMatch(
      /journal: writing to .* again; [1-9]\d* appends \(polls\) in between were not recorded/,
    );
    // The writer could send but not record it in cursor.json: said once, resent later.
    expect(
      text.match(
        /cannot update the journal \(.*cursor\.json(\.\d+\.\d+\.tmp)?\): ENOSPC, 0 bytes free; sending pauses/g,
      ),
    ).toHaveLength(1);
    expect(text).toContain("the journal can be updated again; sending goes on");
    expect(stackTraces()).toEqual([]);
    // The polls while the disk was full are a gap: no point stamped in that time, none invented.
    const times = electric().map((l) => parseLine(l)!.timeMs);
    expect(times.filter((t) => t > fullFrom + 200 && t < fullUntil - 200)).toEqual([]);
    await expectAllDelivered();
  }, 40_000);

  it("at start: waits with one log line instead of exiting, and starts once there is space", async () => {
    disk.full = true; // DATA_DIR/journal cannot even be created
    let stop!: (why: string) => void;
    const running = run(new Promise<string>((r) => (stop = r)));
    await sleep(3000);
    expect(influx.lines).toEqual([]);
    const waiting = logs.filter((l) => l.includes("is full"));
    expect(waiting).toHaveLength(1); // said once, retried silently
    expect(waiting[0]).toContain(
      `DATA_DIR ${join(cwd, "data")} is full (ENOSPC, 0 bytes free); nothing can be journaled`,
    );
    disk.full = false;
    await until(() => electric().length >= 2, "points once there is space");
    stop("test stop");
    expect(await running).toBe(0);
    expect(logs.join("\n")).toContain("can be written again; starting");
    expect(stackTraces()).toEqual([]);
    await expectAllDelivered();
  }, 30_000);
});
