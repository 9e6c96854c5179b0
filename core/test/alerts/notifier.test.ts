import { afterEach, describe, expect, it } from "vitest";
import { createNotifier } from "../../src/alerts/notifier.ts";
import type { Notice } from "../../src/alerts/state.ts";
import { type FakeReceiver, startReceiver } from "./fake-receivers.ts";

const T0 = Date.parse("2026-03-29T12:00:00Z");
const notice = (over: Partial<Notice> = {}): Notice => ({
  kind: "opened",
  condition: "device_fault",
  severity: "critical",
  title: "Heat pump fault F.1100",
  message: "The heat pump reports F.1100 (criticalError).",
  openedMs: T0,
  resolvedMs: null,
  createdMs: T0,
  ...over,
});

let servers: FakeReceiver[] = [];
const receiver = async (path?: string) => {
  const r = await startReceiver(path);
  servers.push(r);
  return r;
};
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe("the notifier", () => {
  it("publishes to ntfy with title, priority by severity, tags, click and the bearer token", async () => {
    const ntfy = await receiver("/heatpump-7f3k2q");
    const n = createNotifier({
      ntfy: { url: ntfy.url, token: "tk_abcdef123456" },
      webhook: undefined,
      siteUrl: "http://heatpump.local:8080",
      timeoutMs: 5000,
    });
    expect(n.channels).toEqual(["ntfy"]);
    expect(n.describe("ntfy")).toMatch(/^ntfy \(127\.0\.0\.1:\d+\)$/);
    const results = await n.deliver(notice());
    expect(results).toEqual([{ channel: "ntfy", ok: true, attempts: 1, detail: "HTTP 200" }]);
    await n.deliver(notice({ severity: "warning" }));
    await n.deliver(notice({ severity: "info" }));
    await n.deliver(
      notice({ kind: "resolved", title: "Resolved: Heat pump fault F.1100", resolvedMs: T0 + 1 }),
    );
    const [critical, warning, info, resolved] = ntfy.received;
    expect(critical).toMatchObject({ method: "POST", path: "/heatpump-7f3k2q" });
    expect(critical!.body).toBe("The heat pump reports F.1100 (criticalError).");
    expect(critical!.headers).toMatchObject({
      title: "Heat pump: Heat pump fault F.1100",
      priority: "5",
      tags: "rotating_light,device_fault",
      click: "http://heatpump.local:8080/alerts/",
      authorization: "Bearer tk_abcdef123456",
    });
    expect(warning!.headers).toMatchObject({ priority: "4", tags: "warning,device_fault" });
    expect(info!.headers).toMatchObject({ priority: "3", tags: "information_source,device_fault" });
    expect(resolved!.headers).toMatchObject({ priority: "3", tags: "white_check_mark,device_fault" });
  });

  it("a title beyond ASCII goes as an RFC 2047 encoded word, the body as UTF-8", async () => {
    const ntfy = await receiver();
    const n = createNotifier({
      ntfy: { url: ntfy.url, token: undefined },
      webhook: undefined,
      siteUrl: undefined,
      timeoutMs: 5000,
    });
    await n.deliver(notice({ title: "Low COP at \u22123.5 °C", message: "COP 2.1 at \u22123.5 °C" }));
    const h = ntfy.received[0]!.headers;
    expect(h.authorization).toBeUndefined();
    expect(h.click).toBeUndefined();
    const m = /^=\?UTF-8\?B\?(.+)\?=$/.exec(String(h.title));
    expect(Buffer.from(m![1]!, "base64").toString("utf8")).toBe("Heat pump: Low COP at \u22123.5 °C");
    expect(ntfy.received[0]!.body).toBe("COP 2.1 at \u22123.5 °C");
  });

  it("posts the webhook's JSON with the fields a receiver needs", async () => {
    const hook = await receiver("/hooks/heatpump?key=k3y-abcdefgh");
    const n = createNotifier({
      ntfy: undefined,
      webhook: { url: hook.url },
      siteUrl: "https://hp.example.org/",
      timeoutMs: 5000,
    });
    await n.deliver(notice({ kind: "resolved", resolvedMs: T0 + 3_600_000 }));
    expect(hook.received[0]).toMatchObject({ method: "POST", path: "/hooks/heatpump?key=k3y-abcdefgh" });
    expect(hook.received[0]!.headers["content-type"]).toBe("application/json");
    expect(hook.json()).toEqual([
      {
        condition: "device_fault",
        severity: "critical",
        state: "resolved",
        title: "Heat pump fault F.1100",
        message: "The heat pump reports F.1100 (criticalError).",
        opened_at: "2026-03-29T12:00:00.000Z",
        resolved_at: "2026-03-29T13:00:00.000Z",
        url: "https://hp.example.org/alerts/",
      },
    ]);
  });

  it("a webhook answering 500 is tried again with back-off, and given up within its time limit", async () => {
    const hook = await receiver();
    hook.answer = () => ({ status: 500 });
    const n = createNotifier(
      { ntfy: undefined, webhook: { url: hook.url }, siteUrl: undefined, timeoutMs: 1500 },
      { backoffMs: [100, 200, 400] },
    );
    const t = performance.now();
    const [r] = await n.deliver(notice());
    const took = performance.now() - t;
    // Attempts at 0, 100, 300, 700 and 1100 ms; the next would start at 1500 ms, past the limit.
    expect(r).toEqual({ channel: "webhook", ok: false, attempts: 5, detail: "HTTP 500 after 5 attempts" });
    expect(hook.received).toHaveLength(5);
    const gaps = hook.received.slice(1).map((x, i) => x.atMs - hook.received[i]!.atMs);
    for (const [i, wait] of [100, 200, 400, 400].entries()) expect(gaps[i]).toBeGreaterThanOrEqual(wait - 5);
    expect(took).toBeLessThan(1500 + 300);
  });

  it("a server that never answers costs the time limit, not more; a 500 then a 200 is delivered", async () => {
    const hang = await receiver();
    hang.answer = () => "hang";
    const n = createNotifier({
      ntfy: undefined,
      webhook: { url: hang.url },
      siteUrl: undefined,
      timeoutMs: 800,
    });
    const t = performance.now();
    const [r] = await n.deliver(notice());
    expect(r!.ok).toBe(false);
    expect(r!.detail).toMatch(/^no answer within 0\.8 s/);
    expect(performance.now() - t).toBeLessThan(800 + 300);

    const flaky = await receiver();
    flaky.answer = (_r, k) => ({ status: k === 1 ? 503 : 200 });
    const m = createNotifier(
      { ntfy: undefined, webhook: { url: flaky.url }, siteUrl: undefined, timeoutMs: 5000 },
      { backoffMs: [50] },
    );
    expect(await m.deliver(notice())).toEqual([
      { channel: "webhook", ok: true, attempts: 2, detail: "HTTP 200" },
    ]);
  });

  it("a refused token is not tried again, and says what to check", async () => {
    const ntfy = await receiver();
    ntfy.answer = () => ({ status: 403 });
    const n = createNotifier({
      ntfy: { url: ntfy.url, token: "tk_wrongtoken" },
      webhook: undefined,
      siteUrl: undefined,
      timeoutMs: 5000,
    });
    expect(await n.deliver(notice())).toEqual([
      {
        channel: "ntfy",
        ok: false,
        attempts: 1,
        detail: "HTTP 403 (check NTFY_TOKEN and the topic's access rights)",
      },
    ]);
  });
});
