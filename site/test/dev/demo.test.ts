/**
 * `npm run demo` end to end, shortened (3 days of history, a build every 10 s): the URL is printed,
 * the dashboard appears and turns current once the live collector's readings are in, the JSON
 * twins are served, and SIGINT stops everything with exit code 0.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("npm run demo", () => {
  const data = mkdtempSync(join(tmpdir(), "demo-e2e-"));
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it("serves a current dashboard from history plus live readings, and stops cleanly on SIGINT", async () => {
    // REPORT_TZ decides the demo's days, as it does every command's (the machine's zone otherwise).
    const env: NodeJS.ProcessEnv = { ...process.env, TZ: "UTC", REPORT_TZ: "America/New_York" };
    delete env.PORT;
    const demo = spawn(
      process.execPath,
      ["site/dev/demo.ts", "--days", "3", "--port", "0", "--data", data, "--site-interval", "10"],
      { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    demo.stdout.on("data", (d: Buffer) => (out += d.toString()));
    demo.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => demo.once("exit", (code) => r(code)));

    try {
      // The URL comes first, before any slow step.
      let url: string | undefined;
      for (let i = 0; i < 300 && !url; i++) {
        url = /site: (http:\/\/localhost:\d+\/)/.exec(out)?.[1];
        if (!url) await sleep(100);
      }
      expect(url, out).toBeDefined();

      // Until the first build: the self-refreshing page. Then the dashboard; once the collector's
      // first live readings are built in, no "not up to date" banner.
      let html = "";
      for (let i = 0; i < 150; i++) {
        const r = await fetch(url!);
        html = await r.text();
        if (r.status === 200 && html.includes("Heat pump now") && !html.includes("not up to date")) break;
        await sleep(1000);
      }
      expect(html, out.slice(-3000)).toContain("Heat pump now");
      expect(html).not.toContain("not up to date");
      expect(html).toMatch(/<svg/);

      const status = await fetch(new URL("status.json", url));
      expect(status.status).toBe(200);
      expect(status.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(((await status.json()) as { tz: string }).tz).toBe("America/New_York");
      expect(out).toMatch(
        /\[demo\] wrote 3 day\(s\) of simulated history up to now .* in America\/New_York\n/,
      );

      // The collector journaled live readings next to the backfilled history.
      const journal = readdirSync(join(data, "journal"));
      expect(journal).toContain("simulated-history.lp");
      expect(journal.some((n) => /^\d{4}-\d\d-\d\dT.*\.lp$/.test(n))).toBe(true);
      expect(existsSync(join(data, "viessmann-token.json"))).toBe(true);
    } finally {
      demo.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(out).toMatch(/\[collector\].*stopped/);
  }, 240_000);
});
