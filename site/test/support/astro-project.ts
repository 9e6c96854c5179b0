/**
 * Small Astro projects written by tests: inside the repository (under site/.astro/, which git
 * ignores), so their modules resolve astro and the other packages from its node_modules, as the
 * site's own pages do.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const SITE_DIR = resolve(import.meta.dirname, "../..");

/** A project with `files` (paths relative to its root); returns its root. */
export function astroProject(files: Record<string, string>): string {
  const parent = join(SITE_DIR, ".astro", "test-projects");
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, "p-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

export const removeProject = (root: string): void => rmSync(root, { recursive: true, force: true });
