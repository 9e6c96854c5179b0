/**
 * The README's screenshots: the dashboard, yesterday's day page, this month's page and the /day/
 * calendar, each at 1280 px and at 390 px (a phone), taken with Debian's Chromium (JavaScript off,
 * as the site needs none) from a running site or a built folder:
 *
 *   npm run demo                                   (in another terminal; wait for the dashboard)
 *   node site/dev/screenshots.ts [-- http://localhost:8080/ | SITE_DIR] [--out site/docs]
 *
 * Each picture is the top of the page (1280 × 1000, or 390 × 1500 for the phone): what a reader
 * sees first. "Today" comes from the site's status.json, so the pages match the data shown.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { commandLineOrExit } from "../../core/src/command-line.ts";
import { monthOf } from "../../reports/src/periods.ts";
import type { Status } from "../../reports/src/types.ts";
import { launchChromium } from "./chromium.ts";
import { startDemoServer } from "./demo-server.ts";
import { addDays, dayOf } from "../../core/src/time.ts";

const USAGE = "usage: node site/dev/screenshots.ts [URL | SITE_DIR] [--out DIR]";
const { values, positionals } = await commandLineOrExit(
  { out: { type: "string", default: "site/docs" } },
  USAGE,
  { positionals: true },
);
const target = positionals[0] ?? "http://localhost:8080/";
const out = values.out;

// A built folder is served the way the demo serves it (same headers as nginx).
const server =
  existsSync(target) && statSync(target).isDirectory()
    ? await startDemoServer({ root: target, port: 0 })
    : null;
const base = (server?.url ?? target).replace(/\/$/, "");

const status = (await (await fetch(`${base}/status.json`)).json()) as Status;
const today = dayOf(status.tz, status.nowMs);
const PAGES = [
  { name: "dashboard", path: "/" },
  { name: "day", path: `/day/${addDays(today, -1)}/` },
  { name: "month", path: `/month/${monthOf(today)}/` },
  { name: "calendar", path: "/day/" },
];
const VIEWPORTS = [
  { width: 1280, height: 1000 },
  { width: 390, height: 1500 },
];

const browser = await launchChromium();
try {
  mkdirSync(out, { recursive: true });
  for (const v of VIEWPORTS) {
    const page = await browser.newPage({ viewport: v, deviceScaleFactor: 1, javaScriptEnabled: false });
    for (const p of PAGES) {
      const res = await page.goto(base + p.path, { waitUntil: "load" });
      if (!res?.ok()) throw new Error(`${base + p.path} answered ${res?.status()}; is the site built?`);
      const file = join(out, `${p.name}-${v.width}.png`);
      await page.screenshot({ path: file });
      process.stdout.write(`saved ${file} (${p.path})\n`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server?.close();
}
