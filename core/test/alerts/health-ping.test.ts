import { afterEach, describe, expect, it } from "vitest";
import { failUrl, pingHealthcheck } from "../../src/alerts/health-ping.ts";
import { type FakeReceiver, startReceiver } from "./fake-receivers.ts";

let server: FakeReceiver | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("the health check ping", () => {
  it("appends /fail to the path and keeps the query (healthchecks.io's convention)", () => {
    expect(failUrl("https://hc-ping.com/abc-123")).toBe("https://hc-ping.com/abc-123/fail");
    expect(failUrl("https://hc-ping.com/abc-123/")).toBe("https://hc-ping.com/abc-123/fail");
    expect(failUrl("https://hc.example.org/ping/key/builder?create=1&rid=7")).toBe(
      "https://hc.example.org/ping/key/builder/fail?create=1&rid=7",
    );
  });

  it("requests the URL after a good build and its /fail twin after a failed one; never throws", async () => {
    server = await startReceiver("/ping/0b2b3c5e?rid=1");
    expect(await pingHealthcheck(server.url, true)).toEqual({ ok: true, detail: "HTTP 200" });
    expect(await pingHealthcheck(server.url, false)).toEqual({ ok: true, detail: "HTTP 200" });
    expect(server.received.map((r) => [r.method, r.path])).toEqual([
      ["GET", "/ping/0b2b3c5e?rid=1"],
      ["GET", "/ping/0b2b3c5e/fail?rid=1"],
    ]);
    server.answer = () => ({ status: 503 });
    expect(await pingHealthcheck(server.url, true, { retryDelayMs: 10 })).toEqual({
      ok: false,
      detail: "HTTP 503",
    });
    expect(server.received).toHaveLength(4); // one retry after a 5xx
    server.answer = () => "hang";
    const t = performance.now();
    expect(await pingHealthcheck(server.url, true, { timeoutMs: 300, retryDelayMs: 10 })).toEqual({
      ok: false,
      detail: "no answer within 0.3 s",
    });
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
