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
  },
});
