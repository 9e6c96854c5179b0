// Astro configuration for the static site. build.ts passes outDir and the data snapshot (env).
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "static",
  // Pages live at /day/2026-03-29/ (index.html); JSON twins at /day/2026-03-29.json.
  build: { format: "directory", inlineStylesheets: "always" },
  trailingSlash: "ignore",
  devToolbar: { enabled: false },
  telemetry: false,
  compressHTML: true,
});
