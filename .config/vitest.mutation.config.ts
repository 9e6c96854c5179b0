import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

/**
 * The test files that mutation testing (stryker.config.mjs) runs: the unit tests of the modules it
 * mutates, on hand-made samples and rows, each file well under a second. Tests that run the whole
 * engine (analytics, progress, simulated seasons) stay out: Stryker runs the covering tests once per
 * mutant, and what such a test computes in beforeAll is covered by no test in Stryker's eyes.
 * Everything else (root, time zone, time-outs) is the suite's own config.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "reports/test/analysis-config.test.ts",
      "reports/test/metrics/carnot.test.ts",
      "reports/test/metrics/counters.test.ts",
      "reports/test/metrics/daily-flow.test.ts",
      "reports/test/metrics/daily-row.test.ts",
      "reports/test/metrics/day-buckets.test.ts",
      "reports/test/metrics/defrost.test.ts",
      "reports/test/metrics/electric-span.test.ts",
      "reports/test/metrics/interval-cop.test.ts",
      "reports/test/metrics/mode-split.test.ts",
      "reports/test/metrics/primitives.test.ts",
      "reports/test/metrics/system.test.ts",
      "reports/test/metrics/cooling.test.ts",
      "reports/test/metrics/room.test.ts",
      "reports/test/metrics/backup-heat.test.ts",
      "reports/test/rollup/*.test.ts",
      "reports/test/store/flux-queries.test.ts",
      "reports/test/store/plausible.test.ts",
      "reports/test/store/samples.test.ts",
      "collector/test/retry-after.test.ts",
    ],
    exclude: [
      "**/node_modules/**",
      // A simulated season (a minute) and two months of minute data per test, through the engine.
      "reports/test/rollup/house-fit-season.test.ts",
      "reports/test/rollup/progress.test.ts",
    ],
    // A fresh worker per file (the suite's default), not one for all: a mutant in code that runs at
    // import (a constant, a module-level function) is only active in a module loaded afresh.
    isolate: true,
  },
});
