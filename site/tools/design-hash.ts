/**
 * A hash of everything that shapes a page's look: site sources, the Astro config, the renderer and
 * the versions of Astro and Plot. A change re-renders every page once (archived months excepted).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
}

export function designHash(siteRoot: string): string {
  const h = createHash("sha256");
  for (const f of [
    ...files(join(siteRoot, "src")),
    join(siteRoot, "astro.config.mjs"),
    join(siteRoot, "tools", "astro-render.ts"),
  ]) {
    h.update(f.slice(siteRoot.length)).update(readFileSync(f));
  }
  for (const pkg of ["astro", "@observablehq/plot", "linkedom"]) {
    try {
      h.update(readFileSync(join(siteRoot, "..", "node_modules", pkg, "package.json")));
    } catch {
      h.update(pkg);
    }
  }
  return h.digest("hex").slice(0, 16);
}
