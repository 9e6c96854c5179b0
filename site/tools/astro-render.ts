/**
 * Child process of the build: renders the pages named in the snapshot with Astro into an output
 * folder. Run in its own process so Vite's state never accumulates in the long-running builder and
 * TZ (= REPORT_TZ, for Plot's time axes) is set before anything reads it.
 * Usage: SITE_SNAPSHOT=dir TZ=zone [SITE_ASTRO_CACHE=dir] node site/tools/astro-render.ts OUT_DIR
 * SITE_ASTRO_CACHE keeps Astro's cache per data folder, so builds of different sites never share it.
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
const cacheDir = process.env.SITE_ASTRO_CACHE ? resolve(process.env.SITE_ASTRO_CACHE) : undefined;
await build({
  root,
  outDir: resolve(out),
  logLevel: "warn",
  mode: "production",
  ...(cacheDir ? { cacheDir } : {}),
});
