import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAlerter } from "../../src/alerts/alerter.ts";
import { createNotifier } from "../../src/alerts/notifier.ts";
import { loadAlertSettings } from "../../src/alerts/settings.ts";
import { alertFilePath, readAlertFile } from "../../src/alerts/state-file.ts";
import type { Judgment } from "../../src/alerts/state.ts";
import { createLogger } from "../../src/effects.ts";
import { type FakeReceiver, startReceiver } from "./fake-receivers.ts";

const T0 = Date.parse("2026-03-29T12:00:00Z");
const MIN = 60_000;
const TOPIC = "/heatpump-alerts-7f3k2q";
const TOKEN = "tk_s3cr3t-token-value";

const disk = (open: boolean): Judgment => ({
  condition: "disk_low",
  open,
  severity: "critical",
  title: "Disk almost full",
  message: open ? "0.4 GB free of 32 GB (1.3 %)." : "9.0 GB free of 32 GB (28.1 %).",
});

let servers: FakeReceiver[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function setup() {
  const ntfy = await startReceiver(TOPIC);
  const hook = await startReceiver("/hook");
  servers.push(ntfy, hook);
  const dir = mkdtempSync(join(tmpdir(), "alerter-"));
  const lines: string[] = [];
  // No secrets given to the logger: the alerter itself must never print an address or a token.
  const logger = createLogger({ write: (_l, line) => lines.push(line), clock: { now: () => T0 } });
  const settings = loadAlertSettings({
    NTFY_URL: ntfy.url,
    NTFY_TOKEN: TOKEN,
    ALERT_WEBHOOK_URL: hook.url,
    ALERT_TIMEOUT_S: "2",
  });
  const start = () =>
    createAlerter({
      program: "collector",
      path: alertFilePath(dir, "collector"),
      notifier: createNotifier(settings, { backoffMs: [20] }),
      logger,
      remindMs: 24 * 60 * MIN,
    });
  return { ntfy, hook, dir, lines, start, settings };
}

describe("the alerter", () => {
  it("tells an opened alert once to each channel; three restarts with it open tell nothing more", async () => {
    const { ntfy, hook, dir, lines, start } = await setup();
    await start().judge([disk(false)], T0);
    expect(ntfy.received).toHaveLength(0);
    await start().judge([disk(true)], T0 + MIN);
    expect(ntfy.received.map((r) => r.headers.title)).toEqual(["Heat pump: Disk almost full"]);
    expect(hook.json()).toMatchObject([{ condition: "disk_low", state: "open", severity: "critical" }]);
    for (let restart = 1; restart <= 3; restart++)
      await start().judge([disk(true)], T0 + (1 + restart) * MIN);
    expect(ntfy.received).toHaveLength(1);
    expect(hook.received).toHaveLength(1);
    const file = readAlertFile(alertFilePath(dir, "collector"));
    expect(file).toMatchObject({ program: "collector", channels: ["ntfy", "webhook"], outbox: [] });
    await start().judge([disk(false)], T0 + 61 * MIN);
    expect(hook.json().at(-1)).toMatchObject({ state: "resolved", resolved_at: "2026-03-29T13:01:00.000Z" });
    expect(String(ntfy.received.at(-1)!.body)).toMatch(/^Resolved after 1 h: Disk almost full\./);
    expect(ntfy.received).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain(TOPIC.slice(1));
      expect(line).not.toContain(TOKEN);
    }
    expect(lines.some((l) => /told ntfy \(127\.0\.0\.1:\d+\): Disk almost full/.test(l))).toBe(true);
  });

  it("what a channel did not take is sent again at the next judging, to that channel alone", async () => {
    const { ntfy, hook, dir, lines, start } = await setup();
    hook.answer = () => ({ status: 500 });
    const a = start();
    await a.judge([disk(false)], T0);
    await a.judge([disk(true)], T0 + MIN);
    expect(ntfy.received).toHaveLength(1);
    const tries = hook.received.length;
    expect(tries).toBeGreaterThan(1);
    const file = readAlertFile(alertFilePath(dir, "collector"));
    expect(file !== "damaged" && file?.outbox.map((p) => [p.notice.kind, p.channels])).toEqual([
      ["opened", ["webhook"]],
    ]);
    expect(lines.some((l) => l.includes('did not take "Disk almost full": HTTP 500'))).toBe(true);
    hook.answer = () => ({ status: 200 });
    // A restart in between: the outbox is in the file.
    await start().judge([disk(true)], T0 + 2 * MIN);
    expect(ntfy.received).toHaveLength(1);
    expect(hook.received).toHaveLength(tries + 1);
    expect(hook.json().at(-1)).toMatchObject({ state: "open", condition: "disk_low" });
    const after = readAlertFile(alertFilePath(dir, "collector"));
    expect(after !== "damaged" && after?.outbox).toEqual([]);
  });

  it("without a channel the notices are only logged; a damaged state file starts afresh", async () => {
    const dir = mkdtempSync(join(tmpdir(), "alerter-"));
    const lines: string[] = [];
    const logger = createLogger({ write: (_l, line) => lines.push(line), clock: { now: () => T0 } });
    const path = alertFilePath(dir, "builder");
    writeFileSync(path, "{ not json");
    const a = createAlerter({
      program: "builder",
      path,
      notifier: createNotifier(loadAlertSettings({})),
      logger,
      remindMs: 0,
    });
    expect(lines[0]).toContain("is not an alert state file; starting afresh");
    await a.judge([disk(true)], T0);
    expect(lines.at(-1)).toContain("alert opened (disk_low, critical): Disk almost full");
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ channels: [], outbox: [], checkedMs: T0 });
  });
});
