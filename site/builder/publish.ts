/**
 * Putting a build in place. SITE_OUT is updated in place, file by file: each new or changed file is
 * fsynced and renamed over its old version, so a request gets the old page or the new one, never a
 * 404 and never half a page. Files go in leaves first (assets, JSON and CSV, then pages from the
 * deepest up to the dashboard), so no page links to one that is not there yet, and unchanged pages
 * are not touched: publishing costs what changed, not what was published before.
 *
 * An existing SITE_OUT (an earlier version's, which swapped whole folders) is taken over as it is:
 * its pages stay until a build replaces them, and the leftover `SITE_OUT.tmp-*` / `SITE_OUT.old-*`
 * folders beside it are removed.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { moveFilesDurable, writeFileDurable } from "../../core/src/durable-file.ts";
import type { PeriodKind } from "../../reports/src/types.ts";
import type { BuildPlan } from "./build-context.ts";
import { type Manifest, pageFiles } from "./plan.ts";

/**
 * The order files are put in place: everything that is not a page first, then pages from the
 * deepest folder up (`day/2026-03-29/index.html` before `day/index.html` before `index.html`).
 */
export function publishOrder(rels: readonly string[]): string[] {
  const rank = (rel: string) => (rel.endsWith(".html") ? 100 - rel.split("/").length : 0);
  return [...rels].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The publish stage: every file of the build folder `fresh` in place (publishFiles); then the
 * files of pages that are gone and of months removed from the archive; then the manifest, which
 * names what is in place: after a crash before it, the next build goes by the old one, so it
 * renders again what that one does not name and removes again what is gone. Last, the build folder
 * goes.
 */
export function publishBuild(fresh: string, siteOut: string, plan: BuildPlan): void {
  publishFiles(fresh, siteOut, listFiles(fresh));
  const planned = new Set(plan.plans.map((p) => p.page));
  const gone = Object.keys(plan.last?.pages ?? {}).filter((k) => !planned.has(k));
  removeFiles(siteOut, [
    ...gone.flatMap((k) => pageFiles(...(k.split("/") as [PeriodKind, string]))),
    ...plan.unarchived.flatMap((m) => [`archive/${m}.html`, `archive/${m}.json`]),
  ]);
  const pages = Object.fromEntries(plan.plans.map((p) => [p.page, p.key]));
  writeFileDurable(
    join(siteOut, ".manifest.json"),
    JSON.stringify({ design: plan.design, pages } satisfies Manifest),
  );
  rmSync(fresh, { recursive: true, force: true });
}

/** Moves `rels` from the build folder `fresh` into `target`, in publishOrder. */
export function publishFiles(fresh: string, target: string, rels: readonly string[]): void {
  moveFilesDurable(publishOrder(rels).map((rel) => ({ from: join(fresh, rel), to: join(target, rel) })));
}

/** Removes files of pages that no longer exist (after the pages linking to them were replaced). */
export function removeFiles(target: string, rels: readonly string[]): void {
  for (const rel of rels) rmSync(join(target, rel), { force: true });
}

/** Leftover temporary folders of builds that crashed (`SITE_OUT.tmp-*`, and `SITE_OUT.old-*` of earlier versions). */
export function removeLeftovers(target: string): void {
  const dir = dirname(target);
  const base = target.slice(dir.length + 1);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${base}.tmp-`) || name.startsWith(`${base}.old-`)) {
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
}

/** Every file under `root`, relative paths. */
export function listFiles(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, p));
    else out.push(p);
  }
  return out;
}
