// @ts-check
/**
 * Entry point of the collector container. Plain JavaScript on purpose: it runs the production bundle
 * (collector/dist/collector.mjs, built by `npm run build:collector` in the image), so no TypeScript
 * is loaded at run time (about 30 MB less RSS; README, "Production runs a bundle").
 *
 * With a device configured (SHELLY_URL, SHELLY_METERS or VIESSMANN_CLIENT_ID) it simply runs the
 * collector. Without one, it waits for the `simulator` service of `docker compose --profile demo up` to publish its
 * settings in DEMO_ENV_FILE (default /run/demo/collector.env) and runs the collector against the
 * simulated devices; until then it logs what to configure, instead of exiting and being restarted
 * in a loop. COLLECTOR_MAIN overrides the module that exports `main` (tests, development).
 */
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { parseEnv } from "node:util";

const WAIT_MS = 2000;

/** @param {string} file */
async function waitForDemo(file) {
  let stop = false;
  const onSignal = () => (stop = true);
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  console.log(
    "collector: no device configured (set SHELLY_URL and/or VIESSMANN_CLIENT_ID in .env, then " +
      `\`docker compose up -d\`); waiting for the demo simulator to publish ${file} ` +
      "(`docker compose --profile demo up`)",
  );
  while (!stop && !existsSync(file)) await sleep(WAIT_MS);
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
  return !stop;
}

/** @returns {Promise<number>} */
async function start() {
  if (!process.env.SHELLY_URL && !process.env.SHELLY_METERS && !process.env.VIESSMANN_CLIENT_ID) {
    const file = process.env.DEMO_ENV_FILE || "/run/demo/collector.env";
    if (!(await waitForDemo(file))) return 0;
    const demo = parseEnv(readFileSync(file, "utf8"));
    Object.assign(process.env, demo);
    console.log(`collector: demo mode, reading the simulated devices (${Object.keys(demo).join(", ")})`);
  }
  const entry = process.env.COLLECTOR_MAIN
    ? pathToFileURL(process.env.COLLECTOR_MAIN).href
    : new URL("../dist/collector.mjs", import.meta.url).href;
  /** @type {{ main: (argv: string[]) => Promise<number> }} */
  const collector = await import(entry);
  return collector.main(process.argv.slice(2));
}

start().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`collector: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
