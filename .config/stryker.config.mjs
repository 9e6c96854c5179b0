// @ts-check
/**
 * Mutation testing (`npm run test:mutation`, README "Test it"): StrykerJS changes the pure modules
 * that compute numbers or guard data one small mutation at a time and runs their unit tests
 * (vitest.mutation.config.ts) against each; a mutant no test fails is a gap in the tests.
 *
 * - No TypeScript checker: it doubled the time per mutant; a mutant that does not type-check
 *   still runs (esbuild strips the types) and is killed or survives on what it does.
 * - Per-test coverage with vitest's related mode: each mutant runs only the tests that reach it.
 * - Incremental: stryker-incremental.json beside this file keeps every mutant's result; a rerun
 *   tests only the mutants whose code or covering tests changed. Commit it after a run.
 * - Nothing is written under reports/ (the report engine's folder): the JSON report goes to
 *   .ci/artifacts/mutation.json.
 *
 * An equivalent mutant is marked where it lives, `// Stryker disable next-line <mutator>: reason`.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: ".config/vitest.mutation.config.ts", pool: "forks", related: true },
  coverageAnalysis: "perTest",
  checkers: [],
  mutate: [
    "reports/src/metrics/counters.ts",
    "reports/src/store/plausible.ts",
    "reports/src/store/samples.ts",
    "reports/src/metrics/primitives.ts",
    "reports/src/metrics/daily.ts",
    "reports/src/metrics/day-analytics.ts",
    "reports/src/rollup/period-analytics.ts",
    "reports/src/rollup/degree-days.ts",
    "reports/src/metrics/carnot.ts",
    "reports/src/metrics/defrost.ts",
    "reports/src/metrics/mode-split.ts",
    "reports/src/rollup/house-fit.ts",
    "reports/src/rollup/tariff.ts",
    "core/src/metrics/interval-cop.ts",
    "reports/src/rollup/rollup.ts",
    "reports/src/rollup/row-sums.ts",
    "reports/src/rollup/progress.ts",
    "reports/src/store/flux-queries.ts",
    "reports/src/store/home-filter.ts",
    "reports/src/metrics/system.ts",
    "reports/src/metrics/cooling.ts",
    "reports/src/metrics/boundary.ts",
    "reports/src/rollup/system-totals.ts",
    "reports/src/metrics/row-field.ts",
    "collector/src/retry-after.ts",
  ],
  // The sandboxes copy the repository: never the collector's data, builds or earlier reports.
  ignorePatterns: ["data/", "site/dist/", "site/.astro/", "collector/dist/", ".ci/artifacts/"],
  incremental: true,
  incrementalFile: ".config/stryker-incremental.json",
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: ".ci/artifacts/mutation.json" },
  htmlReporter: { fileName: ".ci/artifacts/mutation.html" },
  thresholds: { high: 90, low: 85, break: 85 },
  concurrency: 2,
  timeoutMS: 5_000,
  // The first run measures each test; under a busy machine it may take minutes.
  dryRunTimeoutMinutes: 15,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
