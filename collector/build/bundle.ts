/**
 * Bundles the collector for production (`npm run build:collector`): collector/src/main.ts and its
 * dependencies into compiled JavaScript in collector/dist/ (git-ignored), run as
 * `node collector/dist/collector.mjs`. Why: running .ts directly loads Node's type stripper (amaro,
 * WebAssembly) and keeps every module's source twice; the bundle runs the same code in about 30 MB
 * less RSS (see collector/bench/collector.ts and README.md). `npm run collect` stays on the .ts
 * sources for development; the Docker image and the benchmark run the bundle.
 *
 * - Code splitting keeps main.ts's lazy imports lazy: the Shelly source, the Viessmann source, the
 *   InfluxDB writer and the MQTT output (with MQTT.js, about 15 MB of RSS) are separate chunks loaded
 *   only when configured. MQTT.js is bundled: loaded from node_modules instead it cost 1 MB more.
 * - @influxdata/influxdb-client stays external (loaded from node_modules as before): it calls the
 *   deprecated `url.parse()`, and Node stays quiet about that only for code inside node_modules.
 * - Not minified, so stack traces name real functions; a source map is written beside each file
 *   (`node --enable-source-maps` maps stacks back to the .ts sources when needed).
 */
import { build } from "esbuild";
import { commandLineOrExit } from "../../core/src/command-line.ts";
import { rm } from "node:fs/promises";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
export const OUT_DIR = join(ROOT, "collector/dist");
/** The entry file the Docker image and the benchmark run. */
export const BUNDLE = join(OUT_DIR, "collector.mjs");

/**
 * Node flags for running the bundle in production (the Docker CMD); the benchmark uses them too.
 * `--optimize-for-size` makes V8 favour memory over peak speed (smaller heap growth steps, less
 * optimized code): about 4 MB less RSS at 1 s polling for no measurable CPU per poll. No heap cap
 * (--max-old-space-size): it would not lower RSS and could only turn a large backlog into an OOM.
 */
export const PRODUCTION_NODE_FLAGS: readonly string[] = ["--optimize-for-size"];

/** Builds the bundle into OUT_DIR (emptied first); returns the files written, relative to the root. */
export async function bundleCollector(): Promise<string[]> {
  await rm(OUT_DIR, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { collector: "collector/src/main.ts" },
    outdir: OUT_DIR,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node24",
    external: ["@influxdata/influxdb-client"],
    // Bundled CommonJS dependencies (cron, luxon) call require() for Node built-ins.
    banner: {
      js:
        'import { createRequire as __createRequire } from "node:module";\n' +
        "const require = __createRequire(import.meta.url);",
    },
    sourcemap: "linked",
    legalComments: "linked",
    logLevel: "warning",
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).map((f) => relative(ROOT, resolve(ROOT, f)));
}

if (import.meta.main) {
  await commandLineOrExit({}, "usage: npm run build:collector   (no options; writes collector/dist/)");
  const files = await bundleCollector();
  process.stdout.write(
    `collector bundle: ${relative(ROOT, BUNDLE)} (${files.length} files in collector/dist)\n`,
  );
}
