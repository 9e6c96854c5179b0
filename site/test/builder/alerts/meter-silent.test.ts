/**
 * The builder's alerts after each build, against fake ntfy, webhook and health check servers on
 * loopback and the real report engine over a journal the test writes: a meter falling silent is told
 * once when its threshold has passed and once when it speaks again; a webhook answering 500 is tried
 * again but holds the builder no longer than its time limit; the health check is requested once per
 * build, its /fail twin after a failed one.
 */
import { appendFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNotifier } from "../../../../core/src/alerts/notifier.ts";
import { loadAlertSettings } from "../../../../core/src/alerts/settings.ts";
import { encodePoints, type Point } from "../../../../core/src/data/line-protocol.ts";
import { memoryLogger } from "../../../../core/src/effects.ts";
import { type FakeReceiver, startReceiver } from "../../../../core/test/alerts/fake-receivers.ts";
import { createReports } from "../../../../reports/src/index.ts";
import { createBuilderAlerts } from "../../../builder/alerts/builder-alerts.ts";
import { alertsData } from "../../../builder/alerts/alerts-data.ts";

const T0 = Date.parse("2026-03-29T12:00:00Z"); // 14:00 in Berlin
const MIN = 60_000;
const OTHERS_OFF = "heatpump_silent,device_fault,short_cycling,cop_low,delivery,login_expiring,disk_low";

let servers: FakeReceiver[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** The Shelly's readings every 10 s from `fromMs` up to `toMs`, the heat pump's every 5 min. */
function readings(fromMs: number, toMs: number): Point[] {
  const out: Point[] = [];
  for (let t = fromMs; t <= toMs; t += 10_000)
    out.push({
      measurement: "electric",
      tags: { device: "shellypro3em-test" },
      fields: { power_w: 1200, energy_wh: 1e6 + (t - fromMs) / 3000 },
      timeMs: t,
    });
  for (let t = fromMs; t <= toMs; t += 300_000)
    out.push({
      measurement: "heatpump",
      tags: { device: "hp" },
      fields: { outside_c: 5, flow_c: 35, compressor_on: 1 },
      timeMs: t,
    });
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

async function setup(extra: Record<string, string> = {}) {
  const ntfy = await startReceiver("/heatpump-builder-topic");
  const hook = await startReceiver("/hook");
  const health = await startReceiver("/ping/0b2b3c5e-1234");
  servers.push(ntfy, hook, health);
  const dataDir = mkdtempSync(join(tmpdir(), "builder-alerts-"));
  const journal = join(dataDir, "journal");
  mkdirSync(journal);
  const segment = join(journal, "2026-03-29T10-00-00.000Z.lp");
  appendFileSync(segment, encodePoints(readings(T0 - 2 * 60 * MIN, T0)));
  let now = T0;
  const env = {
    DATA_DIR: dataDir,
    REPORT_TZ: "Europe/Berlin",
    NTFY_URL: ntfy.url,
    ALERT_WEBHOOK_URL: hook.url,
    HEALTHCHECK_URL: health.url,
    ALERTS_OFF: OTHERS_OFF,
    ...extra,
  };
  const settings = loadAlertSettings(env);
  const reports = createReports({ env, now: () => now, noDiskCache: true });
  const logger = memoryLogger();
  const start = () =>
    createBuilderAlerts({
      settings,
      reports,
      site: { dataDir },
      logger,
      clock: { now: () => now },
      notifier: createNotifier(settings, { backoffMs: [100, 200, 400] }),
    });
  let alerts = start();
  return {
    ntfy,
    hook,
    health,
    dataDir,
    logger,
    append: (ps: Point[]) => appendFileSync(segment, encodePoints(ps)),
    /** A build at `ms` (the engine looks at the store afresh), then the builder's after-build hook. */
    build: async (ms: number, good = true) => {
      now = ms;
      reports.refresh();
      await alerts.afterBuild(good);
    },
    restart: () => (alerts = start()),
    close: () => reports.close(),
  };
}

describe("the builder's alerts", () => {
  it("a meter falling silent is told once after 10 minutes, and once more when it speaks again", async () => {
    const t = await setup();
    try {
      await t.build(T0);
      await t.build(T0 + 5 * MIN);
      await t.build(T0 + 10 * MIN); // exactly 10 min: not beyond the limit yet
      expect(t.ntfy.received).toHaveLength(0);
      await t.build(T0 + 10 * MIN + 10_000);
      expect(t.ntfy.received.map((r) => [r.headers.title, r.headers.priority])).toEqual([
        ["Heat pump: Electricity meter silent", "4"],
      ]);
      expect(t.ntfy.received[0]!.body).toMatch(
        /^No reading from the Shelly since 14:00:00 \(10 min; the limit is 10 min\)\. Check that the meter/,
      );
      expect(t.hook.json()).toEqual([
        {
          condition: "meter_silent",
          severity: "warning",
          state: "open",
          title: "Electricity meter silent",
          message: expect.stringMatching(/^No reading from the Shelly since 14:00:00/) as unknown,
          opened_at: "2026-03-29T12:00:00.000Z",
          resolved_at: null,
          url: null,
        },
      ]);
      for (let m = 11; m <= 14; m++) await t.build(T0 + m * MIN);
      // Three restarts of the builder with the alert open: nothing more.
      for (let k = 1; k <= 3; k++) {
        t.restart();
        await t.build(T0 + (14 + k) * MIN);
      }
      expect(t.ntfy.received).toHaveLength(1);
      expect(t.hook.received).toHaveLength(1);
      // The meter speaks again at +17 min 30 s.
      t.append(readings(T0 + 17.5 * MIN, T0 + 18 * MIN));
      await t.build(T0 + 18 * MIN);
      await t.build(T0 + 19 * MIN);
      expect(t.ntfy.received.map((r) => r.headers.title)).toEqual([
        "Heat pump: Electricity meter silent",
        "Heat pump: Resolved: Electricity meter silent",
      ]);
      // Silent since its last reading at 14:00, resolved at the judging at +18 min: 18 min.
      expect(t.ntfy.received[1]!.body).toBe(
        "Resolved after 18 min: Electricity meter silent. Newest reading 14:18:00.",
      );
      expect(t.hook.json()[1]).toMatchObject({ state: "resolved", resolved_at: "2026-03-29T12:18:00.000Z" });
      // The health check: once per build (13 of them), all good.
      expect(t.health.received.map((r) => r.path)).toEqual(Array(13).fill("/ping/0b2b3c5e-1234"));
      await t.build(T0 + 20 * MIN, false);
      expect(t.health.received.at(-1)!.path).toBe("/ping/0b2b3c5e-1234/fail");
      // What the next build's pages show: nothing open, the silence among the past alerts.
      const shown = alertsData(t.dataDir, "Europe/Berlin", T0 + 21 * MIN);
      expect(shown.state?.open).toEqual([]);
      expect(shown.state?.past.map((a) => [a.condition, a.openedMs, a.resolvedMs])).toEqual([
        ["meter_silent", T0, T0 + 18 * MIN],
      ]);
    } finally {
      await t.close();
    }
  });

  it("a webhook answering 500 is tried again, and holds the builder no longer than its time limit", async () => {
    const t = await setup({ ALERT_TIMEOUT_S: "2" });
    try {
      t.hook.answer = () => ({ status: 500 });
      await t.build(T0);
      const began = performance.now();
      await t.build(T0 + 11 * MIN);
      const took = performance.now() - began;
      expect(t.ntfy.received).toHaveLength(1);
      // Tries at 0, 0.1, 0.3, 0.7, 1.1 and 1.5 s; the next would be past 2 s.
      expect(t.hook.received.length).toBeGreaterThanOrEqual(5);
      expect(took).toBeLessThan(2000 + 1000);
      expect(
        t.logger.lines.some((l) =>
          /webhook \(127\.0\.0\.1:\d+\) did not take "Electricity meter silent": HTTP 500 after \d+ attempts/.test(
            l,
          ),
        ),
      ).toBe(true);
      // It is still owed: the next judging delivers it, once.
      t.hook.answer = () => ({ status: 200 });
      await t.build(T0 + 12 * MIN);
      expect(t.hook.json().at(-1)).toMatchObject({ state: "open", condition: "meter_silent" });
      expect(t.hook.received.filter((r) => r.body.includes('"open"')).length).toBe(t.hook.received.length);
      expect(t.ntfy.received).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
