import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { alertsCommand } from "../../src/alerts/cli.ts";
import { type FakeReceiver, startReceiver } from "./fake-receivers.ts";

const CLI = resolve(import.meta.dirname, "../../src/alerts/cli.ts");
let servers: FakeReceiver[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe("npm run alerts -- --test", () => {
  it("sends one test message to each channel and says per channel what happened", async () => {
    const ntfy = await startReceiver("/heatpump-test-topic");
    const hook = await startReceiver("/hook");
    servers.push(ntfy, hook);
    hook.answer = () => ({ status: 500 });
    const out: string[] = [];
    const code = await alertsCommand(["--test"], {
      env: {
        NTFY_URL: ntfy.url,
        NTFY_TOKEN: "tk_testtoken1",
        ALERT_WEBHOOK_URL: hook.url,
        ALERT_TIMEOUT_S: "1",
      },
      print: (l) => out.push(l),
      notifier: { backoffMs: [100] },
    });
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^ntfy \(127\.0\.0\.1:\d+\): delivered \(HTTP 200\)$/);
    expect(out[1]).toMatch(/^webhook \(127\.0\.0\.1:\d+\): FAILED: HTTP 500 after \d+ attempts$/);
    expect(ntfy.received).toHaveLength(1);
    expect(ntfy.received[0]!.headers).toMatchObject({ title: "Heat pump: Test message", priority: "3" });
    expect(hook.json()[0]).toMatchObject({ state: "test", condition: null, title: "Test message" });
    for (const line of out) expect(line).not.toContain("heatpump-test-topic");
  });

  it("without a channel it says what to set; a bad variable exits 2 naming it", async () => {
    const out: string[] = [];
    expect(await alertsCommand(["--test"], { env: {}, print: (l) => out.push(l) })).toBe(1);
    expect(out).toEqual([
      "No channel to test: set NTFY_URL (an ntfy topic URL) and/or ALERT_WEBHOOK_URL (README, Getting alerts)",
    ]);
    const run = promisify(execFile);
    const bad = await run(process.execPath, [CLI, "--test"], {
      env: { ...process.env, NTFY_URL: "not a url" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect("code" in bad && bad.code).toBe(2);
    expect((bad as { stderr: string }).stderr).toContain("NTFY_URL: must be an http(s) URL");
  });
});
