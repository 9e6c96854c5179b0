import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { budgetFilePath, createBudget } from "../../../src/sources/viessmann/budget.ts";
import { classify, createGate } from "../../../src/sources/viessmann/client.ts";
import { tmpDataDir } from "./helpers.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/viessmann");
const body = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const answer = (status: number, text: string, contentType = "application/json") => ({
  status,
  text,
  contentType,
});
const NOW = Date.UTC(2020, 2, 17, 12); // before the fixture's limitReset (2020-03-17T16:20:10.106Z)

const err = (r: unknown): ExpectedError => {
  expect(r).toBeInstanceOf(ExpectedError);
  return r as ExpectedError;
};

describe("classify: real Viessmann error bodies", () => {
  it("429 rate_limit.json: rate-limited until extendedPayload.limitReset (epoch ms)", () => {
    const e = err(classify(answer(429, body("rate_limit.json")), NOW));
    expect(e.kind).toBe("rate-limited");
    expect(e.retryAtMs).toBe(1584462010106);
    expect(e.message).toMatch(/1450 calls per day.*2020-03-17T16:20:10.106Z/);
  });

  it("429 with a limitReset already past: wait for the next UTC midnight", () => {
    const e = err(classify(answer(429, body("rate_limit.json")), Date.UTC(2020, 2, 18, 1)));
    expect(e.retryAtMs).toBe(Date.UTC(2020, 2, 19));
  });

  it("device_offline.json and gateway_offline.json: offline", () => {
    expect(err(classify(answer(400, body("device_offline.json")), NOW))).toMatchObject({ kind: "offline" });
    const g = err(classify(answer(400, body("gateway_offline.json")), NOW));
    expect(g.kind).toBe("offline");
    expect(g.message).toContain("GATEWAY_OFFLINE");
  });

  it("expired_token.json (401): a refresh, not an error", () => {
    expect(classify(answer(401, body("expired_token.json")), NOW)).not.toBeInstanceOf(ExpectedError);
    expect(typeof classify(answer(401, body("expired_token.json")), NOW)).toBe("symbol");
  });

  it("5xx JSON or HTML: server; 410 GONE: payload naming the retirement; 403 not paid: auth", () => {
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    expect(err(classify(answer(502, html, "text/html"), NOW))).toMatchObject({ kind: "server" });
    const gone = JSON.stringify({
      viErrorId: "req-1",
      statusCode: 410,
      errorType: "GONE",
      message: "This endpoint has been deprecated and is no longer available.",
      extendedPayload: { sunsetDate: "2025-12-15T12:00:00.000Z" },
    });
    expect(err(classify(answer(410, gone), NOW))).toMatchObject({
      kind: "payload",
      message: expect.stringMatching(/retired/),
    });
    const paid = JSON.stringify({ statusCode: 403, errorType: "PACKAGE_NOT_PAID_FOR", message: "" });
    expect(err(classify(answer(403, paid), NOW))).toMatchObject({ kind: "auth" });
  });

  it("200 without JSON is a payload error; 200 JSON is the body", () => {
    expect(err(classify(answer(200, "<html>"), NOW))).toMatchObject({ kind: "payload" });
    expect(classify(answer(200, '{"data":[]}'), NOW)).toEqual({ data: [] });
  });
});

describe("createGate", () => {
  it("counts each call in the budget right before it runs, and holds bursts to the limit", async () => {
    const budget = createBudget({ path: budgetFilePath(tmpDataDir()), daily: 10 });
    const clock = { now: () => Date.UTC(2026, 10, 27, 12) };
    const gate = createGate(budget, clock, { limit: 2, intervalMs: 1000 });
    const seen: number[] = [];
    const call = () => gate(async () => seen.push(budget.callsToday(clock.now())));
    const first = Promise.all([call(), call()]);
    const third = call();
    await first;
    // The third call waits for the next window: not yet run, not yet counted.
    expect(seen).toEqual([1, 2]);
    expect(budget.callsToday(clock.now())).toBe(2);
    await third;
    expect(seen).toEqual([1, 2, 3]);
  });
});
