import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNotifier } from "../../../core/src/alerts/notifier.ts";
import { alertFilePath, readAlertFile } from "../../../core/src/alerts/state-file.ts";
import { memoryLogger } from "../../../core/src/effects.ts";
import { ExpectedError } from "../../../core/src/errors.ts";
import type { Point } from "../../../core/src/data/line-protocol.ts";
import { type FakeReceiver, startReceiver } from "../../../core/test/alerts/fake-receivers.ts";
import { createCollectorAlerts } from "../../src/alerts/collector-alerts.ts";
import { loadConfig } from "../../src/config.ts";
import type { Source } from "../../src/sources/source.ts";
import type { InfluxWriter, WriterState } from "../../src/store/influx-writer.ts";

const T0 = Date.parse("2026-03-29T12:00:00Z");
const MIN = 60_000;
const DAY = 86_400_000;

let ntfy: FakeReceiver | undefined;
afterEach(async () => {
  await ntfy?.close();
  ntfy = undefined;
});

async function setup() {
  ntfy = await startReceiver("/heatpump-collector-topic");
  const dataDir = mkdtempSync(join(tmpdir(), "collector-alerts-"));
  const journalDir = join(dataDir, "journal");
  mkdirSync(journalDir);
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      INFLUX_URL: "http://influxdb:8086",
      INFLUX_TOKEN: "t0ken-abcdef",
      INFLUX_ORG: "home",
      INFLUX_BUCKET: "heatpump",
      VIESSMANN_CLIENT_ID: "client",
      NTFY_URL: ntfy.url,
    },
    dataDir,
  );
  let now = T0;
  let state: WriterState = "ok";
  const writer = { state: () => state, linesRejected: () => 0 } as unknown as InfluxWriter;
  const appended: Point[] = [];
  const logger = memoryLogger();
  let free = 20e9;
  const alerts = createCollectorAlerts({
    config,
    journalDir,
    writer,
    append: (p) => {
      appended.push(...p);
      return Promise.resolve();
    },
    clock: { now: () => now },
    logger,
    notifier: createNotifier(config.alerts, { backoffMs: [20] }),
    disk: () => Promise.resolve({ freeBytes: free, totalBytes: 32e9 }),
  });
  return {
    config,
    dataDir,
    journalDir,
    alerts,
    appended,
    logger,
    at: (ms: number) => (now = ms),
    setState: (s: WriterState) => (state = s),
    setFree: (b: number) => (free = b),
  };
}

const titles = () => ntfy!.received.map((r) => String(r.headers.title));
const pointsOf = (ps: Point[], condition: string) => ps.filter((p) => p.tags.condition === condition);

describe("the collector's alerts", () => {
  it("InfluxDB down for 30 minutes: one notice, alert points for the site, one resolved notice", async () => {
    const t = await setup();
    await t.alerts.check();
    // The first check writes each condition's point, open or not, and that the heat pump reads fine.
    expect(t.appended.map((p) => [p.measurement, p.tags.program, p.tags.condition, p.fields.open])).toEqual([
      ["alert", "collector", "delivery", 0],
      ["alert", "collector", "login_expiring", 0],
      ["alert", "collector", "disk_low", 0],
      ["alert", "collector", "heatpump_silent", 0],
    ]);
    t.setState("down");
    for (let m = 1; m <= 30; m++) {
      t.at(T0 + m * MIN);
      await t.alerts.check();
    }
    // Down from the check at +1 min: 29 min by +30 min, nothing yet.
    expect(titles()).toEqual([]);
    t.at(T0 + 31 * MIN);
    await t.alerts.check();
    expect(titles()).toEqual(["Heat pump: InfluxDB not accepting writes"]);
    expect(ntfy!.received[0]!.headers.priority).toBe("4");
    const opened = pointsOf(t.appended, "delivery").at(-1)!;
    expect(opened.fields).toMatchObject({ open: 1, severity: "warning", opened_ms: T0 + 31 * MIN });
    expect(opened.timeMs).toBe(T0 + 31 * MIN);
    // While open, its point again every 5 minutes, not every minute.
    for (let m = 32; m <= 40; m++) {
      t.at(T0 + m * MIN);
      await t.alerts.check();
    }
    expect(pointsOf(t.appended, "delivery").map((p) => (p.timeMs - T0) / MIN)).toEqual([0, 31, 36]);
    t.setState("ok");
    t.at(T0 + 41 * MIN);
    await t.alerts.check();
    expect(titles()).toEqual([
      "Heat pump: InfluxDB not accepting writes",
      "Heat pump: Resolved: InfluxDB not accepting writes",
    ]);
    expect(pointsOf(t.appended, "delivery").at(-1)!.fields.open).toBe(0);
    const file = readAlertFile(alertFilePath(t.dataDir, "collector"));
    expect(
      file !== "damaged" && file?.past.map((a) => [a.condition, (a.resolvedMs - a.openedMs) / MIN]),
    ).toEqual([["delivery", 10]]);
  });

  it("rejected lines, an expiring login and a full disk are told; a restart tells nothing again", async () => {
    const t = await setup();
    mkdirSync(join(t.journalDir, "rejected"));
    writeFileSync(
      join(t.journalDir, "rejected", "2026-03-29T11-00-00.000Z+0.lp"),
      "# HTTP 400: bad line\nx\n",
    );
    writeFileSync(
      join(t.dataDir, "viessmann-token.json"),
      JSON.stringify({ refresh_token: "r3fresh", refreshed_at_ms: T0 - 170 * DAY }),
    );
    t.setFree(0.5e9);
    await t.alerts.check();
    // Three at the first check: one summary.
    expect(titles()).toEqual(["Heat pump: 3 alerts open"]);
    expect(ntfy!.received[0]!.headers.priority).toBe("5");
    expect(ntfy!.received[0]!.body).toContain("- Viessmann login expiring:");
    const again = createCollectorAlerts({
      config: t.config,
      journalDir: t.journalDir,
      writer: { state: () => "ok", linesRejected: () => 0 } as unknown as InfluxWriter,
      append: () => Promise.resolve(),
      clock: { now: () => T0 + MIN },
      logger: t.logger,
      disk: () => Promise.resolve({ freeBytes: 0.5e9, totalBytes: 32e9 }),
    });
    await again.check();
    expect(ntfy!.received).toHaveLength(1);
    rmSync(join(t.journalDir, "rejected"), { recursive: true });
    t.at(T0 + 2 * MIN);
    await t.alerts.check();
    expect(titles().at(-1)).toBe("Heat pump: Resolved: Lines set aside by InfluxDB");
  });

  it("writes the reason behind a heat pump silence: a 429 block until its reset", async () => {
    const t = await setup();
    const failing: Source = {
      name: "viessmann",
      start: () => Promise.resolve("ok"),
      nextPollAt: (_l, n) => n,
      poll: () => Promise.reject(new ExpectedError("rate-limited", "Viessmann API rate limit exceeded")),
    };
    const [watched] = t.alerts.wrap([failing]);
    await expect(watched!.poll(T0)).rejects.toThrow("rate limit");
    writeFileSync(
      join(t.dataDir, "viessmann-budget.json"),
      JSON.stringify({ day: "2026-03-29", calls: 40, blockedUntilMs: Date.parse("2026-03-30T00:00:05Z") }),
    );
    await t.alerts.check();
    const reason = pointsOf(t.appended, "heatpump_silent");
    expect(reason).toHaveLength(1);
    expect(reason[0]!.fields).toMatchObject({
      open: 1,
      message: "Viessmann answered 429 (rate limit): no calls until 2026-03-30T00:00:05Z",
    });
    // The builder tells the silence; the collector only says why.
    expect(ntfy!.received).toHaveLength(0);
  });

  it("a backup meter silent beyond ALERT_METER_SILENT_MIN (10 min) is told by name; a reading ends it", async () => {
    const t = await setup();
    let down = true;
    const meter = (role: string): Source => ({
      name: "shelly",
      label: role === "heatpump" ? "shelly" : `shelly ${role}`,
      tags: { role },
      start: () => Promise.resolve("ok"),
      nextPollAt: (_l, n) => n,
      poll: () =>
        down && role === "backup"
          ? Promise.reject(
              new ExpectedError("unreachable", "Shelly at http://192.168.1.21: connection refused"),
            )
          : Promise.resolve([]),
    });
    const [heatpump, backup] = t.alerts.wrap([meter("heatpump"), meter("backup")]);
    // The heat pump's meter answers all along (the builder judges it); the backup meter never does.
    for (const ms of [T0 + 5 * MIN, T0 + 10 * MIN]) {
      t.at(ms);
      await heatpump!.poll(ms);
      await expect(backup!.poll(ms)).rejects.toThrow("connection refused");
      await t.alerts.check();
    }
    // 10 min without a reading is the limit itself: not yet; never read since the start, it is not
    // known either (no point: an alert open before a restart is not told resolved).
    const openness = () => pointsOf(t.appended, "aux_meter_silent").map((p) => p.fields.open);
    expect(openness()).toEqual([]);
    t.at(T0 + 10 * MIN + 1000);
    await t.alerts.check();
    expect(openness()).toEqual([1]);
    const opened = pointsOf(t.appended, "aux_meter_silent").filter((p) => p.fields.open === 1);
    expect(opened[0]!.fields.message).toBe(
      "shelly backup has given no reading for 10 min (Shelly at http://192.168.1.21: connection refused); " +
        "the limit is 10 min. The heat pump's own figures are whole; the system's COP and that meter's " +
        "figures have a gap meanwhile. Check that the meter has power and network and that SHELLY_METERS " +
        "has its address.",
    );
    expect(titles()).toEqual(["Heat pump: Backup, pumps or house meter silent"]);
    // It reads again: resolved, told once more.
    down = false;
    t.at(T0 + 12 * MIN);
    await backup!.poll(T0 + 12 * MIN);
    await t.alerts.check();
    expect(openness()).toEqual([1, 0]);
    expect(titles()).toHaveLength(2);
  });

  it("a restart with the backup meter's alert open tells nothing until the meter reads or stays silent", async () => {
    const t = await setup();
    const failing = (): Source => ({
      name: "shelly",
      label: "shelly backup",
      tags: { role: "backup" },
      start: () => Promise.resolve("ok"),
      nextPollAt: (_l, n) => n,
      poll: () => Promise.reject(new ExpectedError("unreachable", "connection refused")),
    });
    const [before] = t.alerts.wrap([failing()]);
    t.at(T0 + 11 * MIN);
    await expect(before!.poll(T0 + 11 * MIN)).rejects.toThrow("refused");
    await t.alerts.check();
    expect(titles()).toEqual(["Heat pump: Backup, pumps or house meter silent"]);
    t.alerts.stop();
    // The collector restarts at T0 + 20 min; the meter is still down.
    let now = T0 + 20 * MIN;
    const again = createCollectorAlerts({
      config: t.config,
      journalDir: t.journalDir,
      writer: undefined,
      append: () => Promise.resolve(),
      clock: { now: () => now },
      logger: memoryLogger(),
      notifier: createNotifier(t.config.alerts, { backoffMs: [20] }),
      disk: () => Promise.resolve({ freeBytes: 20e9, totalBytes: 32e9 }),
    });
    const [after] = again.wrap([failing()]);
    for (const m of [21, 25, 30]) {
      now = T0 + m * MIN;
      await expect(after!.poll(now)).rejects.toThrow("refused");
      await again.check();
    }
    // Nothing told: not "resolved" at the start, not opened again.
    expect(titles()).toHaveLength(1);
    const file = readAlertFile(alertFilePath(t.dataDir, "collector"));
    expect(file !== "damaged" && file?.open.map((a) => a.condition)).toEqual(["aux_meter_silent"]);
  });

  it("without a backup, pumps or house meter: not judged, and the heat pump's meter is never watched", async () => {
    const t = await setup();
    const hp: Source = {
      name: "shelly",
      label: "shelly",
      tags: { role: "heatpump" },
      start: () => Promise.resolve("ok"),
      nextPollAt: (_l, n) => n,
      poll: () => Promise.reject(new ExpectedError("unreachable", "connection refused")),
    };
    const [same] = t.alerts.wrap([hp]);
    expect(same).toBe(hp);
    t.at(T0 + DAY);
    await t.alerts.check();
    expect(pointsOf(t.appended, "aux_meter_silent")).toEqual([]);
    expect(titles()).toEqual([]);
  });
});
