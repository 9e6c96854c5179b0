// Astro configuration of the site's pages. site/builder/render/compile-pages.ts compiles them with it
// (compressHTML and the rest apply as in `astro build`) and the builder renders them with their data.
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
