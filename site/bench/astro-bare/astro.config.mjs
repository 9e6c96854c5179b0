// The yardstick of site/bench/site.ts: a bare `astro build` of four trivial pages, with the site's
// build options, measures what starting Astro costs on this machine (Node, Astro and Vite imports,
// configuration, bundling) apart from any page work.
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "static",
  build: { format: "directory", inlineStylesheets: "always" },
  devToolbar: { enabled: false },
  telemetry: false,
  compressHTML: true,
});
