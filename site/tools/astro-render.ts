/**
 * Child process of the build: renders the pages named in the snapshot with Astro into an output
 * folder. Run in its own process so Vite's state never accumulates in the long-running builder and
 * TZ (= REPORT_TZ, for Plot's time axes) is set before anything reads it.
 * Usage: SITE_SNAPSHOT=dir TZ=zone node site/tools/astro-render.ts OUT_DIR
 */
import { build } from "astro";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const out = process.argv[2];
if (!out || !process.env.SITE_SNAPSHOT) {
  process.stderr.write("usage: SITE_SNAPSHOT=dir node site/tools/astro-render.ts OUT_DIR\n");
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
await build({ root, outDir: resolve(out), logLevel: "warn", mode: "production" });
