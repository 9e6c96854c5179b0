/**
 * Takes the README's screenshot of a running demo's dashboard with Debian's Chromium:
 *   npm run demo   (in another terminal; wait for the dashboard)
 *   node site/tools/demo-screenshot.ts [http://localhost:8080/] [site/docs/demo-dashboard.png]
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { chromium } from "playwright-core";

const url = process.argv[2] ?? "http://localhost:8080/";
const out = process.argv[3] ?? "site/docs/demo-dashboard.png";
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(url, { waitUntil: "load" });
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: false });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
