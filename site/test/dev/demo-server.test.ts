/**
 * The demo's static server: the building page until the first build, then the site with nginx's
 * lookup rules and headers, nothing outside the root, no dotfiles.
 */
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheControl, securityHeaders, startDemoServer, type DemoServer } from "../../dev/demo-server.ts";
import { get } from "../nginx-server.ts";

describe("demo static server", () => {
  const dir = mkdtempSync(join(tmpdir(), "demo-server-"));
  const root = join(dir, "site");
  let server: DemoServer;
  let base: string;

  beforeAll(async () => {
    writeFileSync(join(dir, "outside.txt"), "must not be served");
    server = await startDemoServer({ root, port: 0 });
    base = server.url.replace(/\/$/, "");
  });
  afterAll(() => server?.close());

  it("prints a localhost URL with the chosen port", () => {
    expect(server.url).toBe(`http://localhost:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
  });

  it("answers a self-refreshing page until the first build is swapped in, then the site", async () => {
    const before = await get(`${base}/`);
    expect(before.status).toBe(503);
    expect(before.body.toString()).toContain('http-equiv="refresh"');

    // The builder swaps a whole folder in by rename.
    const fresh = join(dir, "site.tmp-1");
    mkdirSync(join(fresh, "day", "2026-03-29"), { recursive: true });
    mkdirSync(join(fresh, "archive"), { recursive: true });
    writeFileSync(join(fresh, "index.html"), "<h1>Dashboard</h1>");
    writeFileSync(join(fresh, "404.html"), "<h1>Not found</h1>");
    writeFileSync(join(fresh, "day", "2026-03-29", "index.html"), "<h1>Day</h1>");
    writeFileSync(join(fresh, "day", "2026-03-29.json"), '{"cop":3.6}');
    writeFileSync(join(fresh, "archive", "2026-02.html"), "<h1>Feb</h1>");
    writeFileSync(join(fresh, ".secret"), "hidden");
    renameSync(fresh, root);

    const after = await get(`${base}/`);
    expect(after.status).toBe(200);
    expect(after.body.toString()).toBe("<h1>Dashboard</h1>");
    expect(after.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(after.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(after.headers["x-content-type-options"]).toBe("nosniff");
    expect(after.headers["cache-control"]).toBe("no-cache");

    expect((await get(`${base}/day/2026-03-29`)).body.toString()).toBe("<h1>Day</h1>");
    expect((await get(`${base}/day/2026-03-29/`)).body.toString()).toBe("<h1>Day</h1>");
    const json = await get(`${base}/day/2026-03-29.json`);
    expect(json.headers["content-type"]).toMatch(/^application\/json/);
    const archived = await get(`${base}/archive/2026-02.html`);
    expect(archived.headers["cache-control"]).toBe("no-cache"); // --rebuild-archive changes it

    const missing = await get(`${base}/nope/`);
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain("Not found");
    expect((await get(`${base}/.secret`)).status).toBe(404);
    expect((await get(`${base}/..%2Foutside.txt`)).body.toString()).not.toContain("must not be served");
    expect((await get(`${base}/%2e%2e/outside.txt`)).body.toString()).not.toContain("must not be served");
  });

  it("uses nginx's headers and cache policy", () => {
    expect(Object.keys(securityHeaders())).toEqual(
      expect.arrayContaining(["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"]),
    );
    expect(cacheControl("/archive/")).toBe("no-cache");
    expect(cacheControl("/archive/2026-02.json")).toBe("no-cache");
    expect(cacheControl("/_astro/a.css")).toMatch(/immutable/);
  });
});
