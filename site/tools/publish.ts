/**
 * Putting a build in place: carry unchanged pages over from the published site by hard link (no
 * copy, so the cost stays flat), and swap the new folder in with renames. nginx resolves the path
 * per request, so it serves either the whole old site or the whole new one.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Hard-links `rel` from `fromRoot` into `toRoot` (copies across file systems); false when the
 * source is missing. `made` remembers the folders already created, so carrying a thousand pages
 * costs a thousand links, not a thousand mkdir calls.
 */
export function carryOver(
  fromRoot: string,
  toRoot: string,
  rel: string,
  made: Set<string> = new Set(),
): boolean {
  const src = join(fromRoot, rel);
  const dst = join(toRoot, rel);
  const dir = dirname(dst);
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  try {
    linkSync(src, dst);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return true; // rendered in this build: the fresh file wins
    if (code === "ENOENT") return false; // nothing to carry over
    if (code !== "EXDEV") throw e;
    copyFileSync(src, dst);
  }
  return true;
}

/**
 * Replaces `target` with `fresh`: rename the current site aside, rename the new one in, remove the
 * old one (in the background). If the second rename fails the old site is put back.
 */
export function swapIn(fresh: string, target: string): void {
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  const hadOld = existsSync(target);
  if (hadOld) renameSync(target, old);
  try {
    renameSync(fresh, target);
  } catch (e) {
    if (hadOld) renameSync(old, target);
    throw e;
  }
  // The old tree goes in the background: nobody serves it any more, and its size grows with
  // history. A leftover (process killed meanwhile) is removed by the next build's removeLeftovers().
  if (hadOld) void rm(old, { recursive: true, force: true }).catch(() => undefined);
}

/** Leftover temporary folders of builds that crashed (`SITE_OUT.tmp-*`, `SITE_OUT.old-*`). */
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
