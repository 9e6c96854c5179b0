/**
 * End to end, as a user runs it: the heat pump's features answer carries an active error (F.1100);
 * `npm run collect -- --once` journals it; `npm run build:site`, run four times (a start and three
 * restarts), tells it once to ntfy and the webhook, shows it on /alerts/ and in the dashboard's
 * banner, and requests the health check once per build.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeReceiver, startReceiver } from "../../../../core/test/alerts/fake-receivers.ts";
import { main as collect } from "../../../../collector/src/main.ts";
import {
  FAKE_FIXTURES,
  type FakeViessmann,
  startFakeViessmann,
} from "../../../../collector/test/fakes/viessmann-api.ts";
import { seedTokens, tmpDataDir } from "../../../../collector/test/sources/viessmann/helpers.ts";
import { filesContaining } from "../../support/site-checks.ts";

const run = promisify(execFile);
const BUILD = resolve(import.meta.dirname, "../../../builder/once.ts");
const TOPIC = "/heatpump-e2e-topic-7f3k2q";

let servers: FakeReceiver[] = [];
let viessmann: FakeViessmann | undefined;
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await viessmann?.close();
  viessmann = undefined;
});

const dump = (name: string) =>
  JSON.parse(readFileSync(join(FAKE_FIXTURES, name), "utf8")) as { data: unknown[] };

describe("a device fault from the features answer to the owner's phone and the site", () => {
  it("is told once across builder restarts, and shown on /alerts/ and the dashboard", async () => {
    // A Vitocal 252-A answer (no error list of its own) with PyViCare's F.1100 error list added.
    viessmann = await startFakeViessmann({
      features: { data: [...dump("Vitocal252A.json").data, ...dump("deviceerrors-F.1100.json").data] },
    });
    const dataDir = tmpDataDir();
    seedTokens(viessmann, dataDir, Date.now());
    const code = await collect(["--once"], {
      env: {
        VIESSMANN_CLIENT_ID: "test-client",
        VIESSMANN_API_URL: viessmann.url,
        VIESSMANN_AUTH_URL: viessmann.url,
        DATA_DIR: dataDir,
      },
      cwd: dataDir,
      print: () => undefined,
      printError: () => undefined,
      writeLog: () => undefined,
    });
    expect(code).toBe(0);

    const ntfy = await startReceiver(TOPIC);
    const hook = await startReceiver("/hook");
    const health = await startReceiver("/ping/uuid-1234");
    servers.push(ntfy, hook, health);
    const env = {
      ...process.env,
      DATA_DIR: dataDir,
      REPORT_TZ: "Europe/Berlin",
      NTFY_URL: ntfy.url,
      NTFY_TOKEN: "tk_e2e-secret-token",
      ALERT_WEBHOOK_URL: hook.url,
      HEALTHCHECK_URL: health.url,
    };
    const logs: string[] = [];
    for (let start = 1; start <= 4; start++) {
      const r = await run(process.execPath, [BUILD], { env, cwd: dataDir });
      logs.push(r.stdout + r.stderr);
    }
    expect(logs[0]).toMatch(/alert opened \(device_fault, critical\): Heat pump fault F\.1100/);

    expect(ntfy.received.map((r) => [r.headers.title, r.headers.priority, r.headers.authorization])).toEqual([
      ["Heat pump: Heat pump fault F.1100", "5", "Bearer tk_e2e-secret-token"],
    ]);
    expect(ntfy.received[0]!.body).toMatch(
      /^The heat pump reports F\.1100 \(criticalError, since 2000-07-22T20:37:44\.000Z\)\. Look the code up/,
    );
    expect(hook.json()).toMatchObject([
      { condition: "device_fault", severity: "critical", state: "open", title: "Heat pump fault F.1100" },
    ]);
    expect(health.received.map((r) => [r.method, r.path])).toEqual(Array(4).fill(["GET", "/ping/uuid-1234"]));

    // Published by the builds after the one that judged it.
    const site = join(dataDir, "site");
    const page = readFileSync(join(site, "alerts", "index.html"), "utf8");
    expect(page).toContain("Critical: Heat pump fault F.1100");
    expect(page).toContain("The heat pump reports F.1100 (criticalError, since 2000-07-22T20:37:44.000Z).");
    const json = JSON.parse(readFileSync(join(site, "alerts.json"), "utf8")) as {
      open: unknown[];
      channels: string[];
    };
    expect(json.open).toMatchObject([
      { condition: "device_fault", severity: "critical", judged_by: "builder" },
    ]);
    expect(json.channels).toEqual(["ntfy", "webhook"]);
    const dashboard = readFileSync(join(site, "index.html"), "utf8");
    expect(dashboard).toMatch(
      /1 alert open: Heat pump fault F\.1100 \(since [^)]+\)\. <a href="\/alerts\/">See the alerts<\/a>/,
    );
    expect(dashboard).toContain('<a href="/alerts/">Alerts</a>');
    // No address or token of a channel on any page, nor in a log line.
    const secrets = [TOPIC.slice(1), "tk_e2e-secret-token", "uuid-1234", hook.url];
    expect(filesContaining(site, secrets)).toEqual([]);
    for (const log of logs) for (const s of secrets) expect(log).not.toContain(s);
  }, 180_000);
});
