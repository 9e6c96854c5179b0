/**
 * The RPC client against a loopback server that replays the exact error bodies captured from real
 * devices and docs (../../fixtures/shelly/rpc_error_*.json, see SOURCES.md).
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShellyClient } from "../../../src/sources/shelly/client.ts";
import { rejection } from "../../../../core/test/expected-error.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/shelly/${name}`, import.meta.url), "utf8");
const NOW = Date.UTC(2026, 2, 29, 1, 30); // the EU spring-forward night; the client only adds durations

/** path -> [status, body, headers] */
const routes: Record<string, [number, string, Record<string, string>?]> = {
  "/rpc/EM0.GetStatus": [404, fixture("rpc_error_http_no_handler_404.json")],
  "/rpc/Script.GetCode": [500, fixture("rpc_error_http_not_found_105.json")],
  "/rpc/Switch.GetStatus": [500, fixture("rpc_error_frame_invalid_argument_103.json")],
  "/rpc/Input.GetConfig": [200, fixture("rpc_error_frame_not_found_105.json")],
  "/rpc/Shelly.GetStatus": [
    429,
    fixture("rpc_error_frame_429_auth_throttle_ws.json"),
    { "Retry-After": "5" },
  ],
  "/rpc/Locked.Method": [
    401,
    "",
    { "WWW-Authenticate": 'Digest qop="auth", realm="shellypro3em-x", nonce="bg==", algorithm=SHA-256' },
  ],
  "/rpc/NoChallenge.Method": [401, ""],
  "/rpc/Web.Page": [404, "<html>Not Found</html>"],
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const [status, body, headers] = routes[(req.url ?? "").split("?")[0]!] ?? [404, ""];
    res.writeHead(status, { "Content-Type": "application/json", Connection: "close", ...headers });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = (password?: string, url = base) =>
  createShellyClient({ url, password, clock: { now: () => NOW } });

describe("Shelly RPC client: error bodies from real devices", () => {
  it.each([
    [
      "EM0.GetStatus",
      /RPC error 404 "No handler for EM0.GetStatus" \(HTTP 404\); check that SHELLY_URL is a Shelly meter with current/,
    ],
    ["Script.GetCode", /RPC error -105 "Argument 'id', value 1 not found!" \(HTTP 500\)/],
    ["Switch.GetStatus", /RPC error -103 "Missing required 'id'" \(HTTP 500\)/],
    ["Input.GetConfig", /RPC error -105 "Bad id=7" \(HTTP 200\)/],
  ])("%s -> payload error with code and message", async (method, message) => {
    const c = client();
    const e = await rejection(c.call(method, { id: 0 }));
    expect(e.kind).toBe("payload");
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`Shelly at ${base}`);
    c.close();
  });

  it("429 (fw 2.0 throttle frame) honours Retry-After and blocks calls until then", async () => {
    const c = client();
    const e = await rejection(c.call("Shelly.GetStatus"));
    expect(e.kind).toBe("rate-limited");
    expect(e.retryAtMs).toBe(NOW + 5000);
    expect(c.blockedUntilMs).toBe(NOW + 5000);
    const again = await rejection(c.call("Shelly.GetStatus"));
    expect(again.kind).toBe("rate-limited");
    expect(again.message).toMatch(/not calling Shelly.GetStatus before 2026-03-29T01:30:05.000Z/);
    c.close();
  });

  it("401 without SHELLY_PASSWORD says to set it", async () => {
    const e = await rejection(client().call("Locked.Method"));
    expect(e.kind).toBe("auth");
    expect(e.message).toMatch(/requires a password .*; set SHELLY_PASSWORD/);
  });

  it("401 without a digest challenge is an auth error, not a crash", async () => {
    const e = await rejection(client("pw-1234").call("NoChallenge.Method"));
    expect(e.kind).toBe("auth");
    expect(e.message).toMatch(/without a digest challenge/);
  });

  it("a non-JSON 404 says SHELLY_URL may not be a Shelly", async () => {
    const e = await rejection(client().call("Web.Page"));
    expect(e.kind).toBe("payload");
    expect(e.message).toMatch(/HTTP 404 \("<html>Not Found<\/html>"\); check that SHELLY_URL/);
  });

  it("user:password in SHELLY_URL never reaches a message", async () => {
    const c = client(undefined, base.replace("http://", "http://admin:url-secret@"));
    expect(c.displayUrl).toBe(base);
    const e = await rejection(c.call("EM0.GetStatus"));
    expect(e.message).not.toContain("url-secret");
  });
});
