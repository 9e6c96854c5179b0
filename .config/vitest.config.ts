import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // This file lives in .config/ (the top level of the repository is fixed); tests run from the root.
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: [
      "core/test/**/*.test.ts",
      "collector/test/**/*.test.ts",
      "reports/test/**/*.test.ts",
      "site/test/**/*.test.ts",
    ],
    // Tests pin the zone they need; UTC is the neutral default.
    env: { TZ: "UTC" },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: keep parallelism modest so timing-sensitive loopback tests stay stable.
    maxWorkers: 2,
    // The summary, then one line with the count (count-reporter.ts): the last line is the outcome.
    reporters: ["default", "./.config/count-reporter.ts"],
    // Vitest's tuning tips (isolate: false, fsModuleCache) would otherwise end the output; each
    // test file keeps its own worker on purpose (tests pin TZ, env and module state).
    experimental: { diagnostics: false },
  },
});
