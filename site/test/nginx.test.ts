/**
 * The Docker stack's nginx configuration (site/nginx/site.conf), served by Debian's nginx over a
 * small site laid out like the builder's output: pages, JSON twins, hashed assets, frozen archive
 * months. Checks status codes, gzip, cache headers, security headers and no directory listing, then
 * loads pages in Chromium and asserts no console errors and no CSP violations (and that the CSP
 * really blocks what it should).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeHistory } from "../../collector/simulator/history.ts";
import { get, needNginx, startNginx, type RunningNginx } from "./nginx-server.ts";
import { launchChromium } from "../dev/chromium.ts";
import { listFiles } from "../builder/publish.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Enough text that gzip_min_length (512 bytes) applies.
const filler = "<p>Heat 12.3 kWh, electricity 3.4 kWh, COP 3.6.</p>\n".repeat(40);
const page = (title: string, body = "") =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  `<link rel="stylesheet" href="/_astro/index.Ab12Cd.css"><style>h1{color:#b34}</style></head>` +
  `<body><h1>${title}</h1>${body}<svg viewBox="0 0 10 10" role="img"><style>.l{stroke:#36c}</style>` +
  `<path class="l" d="M0 5L10 5"/></svg>${filler}</body></html>`;

/** Files of a small site shaped like `npm run build:site` output. */
const SITE: Record<string, string> = {
  "index.html": page("Dashboard", '<a href="/day/2026-03-29/">day</a><img src="/favicon.svg" alt="">'),
  "404.html": page("Not found"),
  "status.json": JSON.stringify({ power_w: { value: 1200, time: "2026-03-29T10:00:00Z" }, pad: filler }),
  "favicon.svg":
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>',
  "_astro/index.Ab12Cd.css": `body{font-family:sans-serif}${".kpi{margin:1px}".repeat(60)}`,
  "day/2026-03-29/index.html": page("Sunday 29 March 2026"),
  "day/2026-03-29.json": JSON.stringify({ elec_kwh: 3.4, heat_kwh: 12.3, cop: 3.6 }),
  "day/2026-03-29.csv": "time,power_w,heat_w,flow_c,return_c,outside_c,dhw_c,cop\r\n".padEnd(2000, "x"),
  "archive/index.html": page("Archive", '<a href="/archive/2026-02.html">February 2026</a>'),
  "archive/2026-02.html": page("February 2026 (frozen)"),
  "archive/2026-02.json": JSON.stringify({ elec_kwh: 310, heat_kwh: 1050, cop: 3.39 }),
  "no-index/data.txt": "a directory without index.html",
  ".build-tmp/secret.txt": "temporary build folder",
  // Probes that the CSP must block: an inline script and a foreign-origin image.
  "csp-probe.html":
    '<!doctype html><html><head><meta charset="utf-8"><title>probe</title></head><body>' +
    "<script>document.title = 'script ran'</script>" +
    '<img src="http://192.0.2.1/tracker.png" alt=""></body></html>',
};

function writeSite(root: string) {
  for (const [rel, text] of Object.entries(SITE)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  mkdirSync(join(root, "empty")); // what a page removed by hand leaves
}

describe("nginx serving the site with site/nginx/site.conf", () => {
  beforeAll(needNginx);
  let nginx: RunningNginx;
  let base: string;
  const root = mkdtempSync(join(tmpdir(), "nginx-site-"));

  beforeAll(async () => {
    writeSite(root);
    nginx = await startNginx(root);
    base = nginx.baseUrl;
  });
  afterAll(async () => {
    await nginx?.stop();
    rmSync(root, { recursive: true, force: true });
    if (nginx) rmSync(nginx.workDir, { recursive: true, force: true });
  });

  it("serves pages and JSON twins with the right types, gzip and Vary", async () => {
    const r = await get(`${base}/`, { "accept-encoding": "gzip" });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(r.headers.vary).toMatch(/Accept-Encoding/);
    expect(gunzipSync(r.body).toString()).toBe(SITE["index.html"]);

    const day = await get(`${base}/day/2026-03-29/`);
    expect(day.status).toBe(200);
    expect(day.headers["content-encoding"]).toBeUndefined(); // client did not ask for gzip
    expect(day.body.toString()).toContain("Sunday 29 March 2026");

    const json = await get(`${base}/day/2026-03-29.json`, { "accept-encoding": "gzip" });
    expect(json.status).toBe(200);
    expect(json.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(json.body.toString())).toMatchObject({ cop: 3.6 });

    const csv = await get(`${base}/day/2026-03-29.csv`, { "accept-encoding": "gzip" });
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(csv.body).toString()).toMatch(/^time,power_w,heat_w/);
    // The location for .csv must not drop the security headers (add_header is inherited only when
    // a level defines none).
    expect(csv.headers["x-content-type-options"]).toBe("nosniff");

    const css = await get(`${base}/_astro/index.Ab12Cd.css`, { "accept-encoding": "gzip" });
    expect(css.headers["content-type"]).toMatch(/^text\/css/);
    expect(css.headers["content-encoding"]).toBe("gzip");

    const statusJson = await get(`${base}/status.json`, { "accept-encoding": "gzip" });
    expect(statusJson.headers["content-encoding"]).toBe("gzip");
  });

  it("serves a page without its trailing slash and keeps redirects relative", async () => {
    const r = await get(`${base}/day/2026-03-29`);
    expect([200, 301]).toContain(r.status);
    if (r.status === 301) expect(r.headers.location).toBe("/day/2026-03-29/");
    else expect(r.body.toString()).toContain("Sunday 29 March 2026");
  });

  it("marks hashed assets immutable, everything else (archive months too) revalidated", async () => {
    const cache = async (path: string) => (await get(base + path)).headers["cache-control"];
    expect(await cache("/_astro/index.Ab12Cd.css")).toBe("public, max-age=31536000, immutable");
    // Archive months are frozen, but --rebuild-archive renders them again under the same URL.
    for (const p of ["/", "/day/2026-03-29/", "/day/2026-03-29.json", "/status.json", "/archive/"])
      expect(await cache(p), p).toBe("no-cache");
    for (const p of ["/archive/2026-02.html", "/archive/2026-02.json", "/archive/2026-02", "/archive"])
      expect(await cache(p), p).toBe("no-cache");
    expect(await cache("/favicon.svg")).toBe("public, max-age=3600");
  });

  it("sends the security headers on pages and on errors", async () => {
    for (const path of ["/", "/archive/2026-02.html", "/does-not-exist"]) {
      const h = (await get(base + path)).headers;
      const csp = String(h["content-security-policy"]);
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/https?:|\*/); // no other origin, no wildcard
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("same-origin");
      expect(String(h.server)).not.toMatch(/\d/); // server_tokens off: no version
    }
  });

  it("answers 404 with the site's own page, lists no directory and hides dotfiles", async () => {
    const missing = await get(`${base}/day/1999-01-01/`);
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain("Not found");

    // A folder without index.html (a page being removed) is a 404 like any missing page, never a 403.
    for (const path of ["/no-index/", "/no-index", "/empty/", "/empty"]) {
      const dir = await get(base + path);
      expect(dir.status, path).toBe(404);
      expect(dir.body.toString(), path).toContain("Not found");
      expect(dir.body.toString(), path).not.toMatch(/Index of|data\.txt/);
    }

    expect((await get(`${base}/favicon.ico`)).status).toBe(204); // no icon shipped: no 404 noise

    const dot = await get(`${base}/.build-tmp/secret.txt`);
    expect(dot.status).toBe(404);
    expect(dot.body.toString()).not.toContain("temporary build folder");
  });

  describe("in Chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** Loads `path`; returns console errors (CSP violations are reported there) and page errors. */
    async function load(path: string) {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      const errors: string[] = [];
      p.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      p.on("pageerror", (e) => errors.push(e.message));
      const res = await p.goto(base + path, { waitUntil: "load" });
      const title = await p.title();
      await ctx.close();
      return { status: res?.status(), errors, title };
    }

    it("loads pages with their stylesheets, inline styles and SVG without console errors", async () => {
      for (const path of ["/", "/day/2026-03-29/", "/archive/", "/archive/2026-02.html"]) {
        const r = await load(path);
        expect(r.status, path).toBe(200);
        expect(r.errors, path).toEqual([]);
      }
    });

    it("blocks inline scripts and foreign origins (the CSP is enforced)", async () => {
      const r = await load("/csp-probe.html");
      expect(r.title).toBe("probe"); // the inline script did not run
      expect(r.errors.join("\n")).toMatch(/Content Security Policy/);
    });
  });
});

describe("nginx serving a site built by npm run build:site", () => {
  beforeAll(needNginx);
  let nginx: RunningNginx;
  let browser: Browser;
  let paths: string[];
  const data = mkdtempSync(join(tmpdir(), "nginx-built-"));

  beforeAll(async () => {
    // Three simulated days around the spring DST change, built with the real site builder.
    await writeHistory({
      days: 3,
      end: "2026-03-30",
      seed: 7,
      tz: "Europe/Berlin",
      out: join(data, "history.lp"),
    });
    await promisify(execFile)(process.execPath, [join(ROOT, "site/builder/once.ts")], {
      cwd: ROOT, // Astro resolves its packages from the working directory
      env: {
        PATH: process.env.PATH,
        INFLUX_URL: "", // explicit values win over a developer's .env
        TZ: "UTC",
        DATA_DIR: data,
        LOCAL_SOURCE: join(data, "history.lp"),
        REPORT_TZ: "Europe/Berlin",
        SITE_OUT: join(data, "site"),
        ARCHIVE_DIR: join(data, "archive"),
      },
      timeout: 240_000,
    });
    paths = listFiles(join(data, "site")).map((f) => `/${f}`); // as URL paths
    nginx = await startNginx(join(data, "site"));
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    rmSync(data, { recursive: true, force: true });
    if (nginx) rmSync(nginx.workDir, { recursive: true, force: true });
  });

  it("serves the dashboard gzipped with the headers, and the built JSON twins", async () => {
    const r = await get(`${nginx.baseUrl}/`, { "accept-encoding": "gzip" });
    expect(r.status).toBe(200);
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(r.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(gunzipSync(r.body).toString()).toContain("Heat pump now");
    const dayPage = await get(`${nginx.baseUrl}/day/2026-03-29/`);
    expect(dayPage.status).toBe(200);
    expect(dayPage.body.toString()).toMatch(/<svg/);
    const status = await get(`${nginx.baseUrl}/status.json`);
    expect(status.status).toBe(200);
    expect(() => JSON.parse(status.body.toString())).not.toThrow();
    const day = await get(`${nginx.baseUrl}/day/2026-03-29.json`);
    expect(day.status).toBe(200);
    expect(JSON.parse(day.body.toString())).toHaveProperty("cop");
  });

  it("serves every built file, archive months revalidated, and hides internal dotfiles", async () => {
    expect(paths.length).toBeGreaterThan(5);
    expect(paths).toContain("/archive/2026-03.html"); // March is a closed month: frozen
    for (const p of paths) {
      const r = await get(nginx.baseUrl + p);
      // Dotfiles (the builder's manifest) and the internal 404 page are not served as such.
      const hidden = p.split("/").some((s) => s.startsWith(".")) || p === "/404.html";
      expect(r.status, p).toBe(hidden ? 404 : 200);
      if (/^\/archive\/.+\.(html|json)$/.test(p)) expect(r.headers["cache-control"], p).toBe("no-cache");
    }
  });

  it("loads the built pages in Chromium without console errors or CSP violations", async () => {
    const pages = paths.filter((p) => p.endsWith(".html") && !p.startsWith("/404")).slice(0, 12);
    expect(pages).toContain("/index.html");
    for (const path of pages) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      const res = await page.goto(nginx.baseUrl + path, { waitUntil: "load" });
      await ctx.close();
      expect(res?.status(), path).toBe(200);
      expect(errors, path).toEqual([]);
    }
  });
});
