/**
 * Putting a build in place. SITE_OUT is updated in place, file by file: each new or changed file is
 * fsynced and renamed over its old version, so a request gets the old page or the new one, never
 * half a page, and unchanged pages are not touched: publishing costs what changed, not what was
 * published before.
 *
 * No live page ever links to a page that is not live, at any moment of a publish and after a crash
 * at any point of it. New pages link each other (a new day its new week, the week the day), so no
 * order of whole pages can do that; a publish goes in passes instead:
 *   1. data and assets (JSON, CSV, images): nothing links from them, pages link to them;
 *   2. each page that is not live yet, in a form without its links to the others that are not live
 *      yet (the `href` left out, the link text kept; in full if it has none): every page is there;
 *   3. every new and changed page in full: all it links to is live;
 *   4. the pages that are gone (each first without its links to the others and to their JSON and
 *      CSV twins), then their twins, and the folders they leave empty (an empty folder would be
 *      answered 403; nginx answers 404 for a folder without its index.html anyway);
 *   5. the manifest (`.manifest.json`, which the next build compares with).
 * Switching a whole tree at once (SITE_OUT a symlink to a versioned copy, renamed over) would do it
 * too, but every cycle would then hard-link and later delete every file of the history (three years:
 * about 4000 files and 1300 folders, measured at 0.2-0.7 s to link and 2-4 s to delete on a busy
 * 2-core machine, against a cycle of 0.12-0.21 s), where these passes cost what changed: one more
 * write for each page that is new.
 *
 * A publish is finished even if the builder dies half way: before the first pass the build folder
 * becomes a publish folder (`SITE_OUT.publish-*`) holding its files (fsynced), the list of files to
 * remove and the manifest (`.publish.json`); every pass takes what the folder still holds, so running
 * it again from any point ends where it would have. The next build does that first
 * (finishInterrupted), and removes the folders of builds that died before publishing.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { syncDir, writeFileDurable } from "../../core/src/durable-file.ts";
import type { Logger } from "../../core/src/effects.ts";
import type { PeriodKind } from "../../reports/src/types.ts";
import type { BuildPlan } from "./build-context.ts";
import { type Manifest, pageFiles } from "./plan.ts";

/** What a publish folder holds besides its files (written once they are all there, fsynced). */
interface Journal {
  remove: string[];
  manifest: Manifest;
}
const JOURNAL = ".publish.json";
/** Inside a publish folder: the new pages without their links to pages not live yet (pass 2). */
const LINKLESS = ".linkless";

/**
 * The order files go in within a pass: everything that is not a page first, then pages from the
 * deepest folder up (`day/2026-03-29/index.html` before `day/index.html` before `index.html`).
 */
export function publishOrder(rels: readonly string[]): string[] {
  const rank = (rel: string) => (rel.endsWith(".html") ? 100 - rel.split("/").length : 0);
  return [...rels].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The publish stage: the build folder `fresh` (the render stage's) becomes a publish folder with its
 * journal, whose files go in place (completePublish): the pages of `plan`, without the pages of the
 * last manifest that are not planned any more and the months removed from the archive.
 */
export function publishBuild(fresh: string, siteOut: string, plan: BuildPlan): void {
  const planned = new Set(plan.plans.map((p) => p.page));
  const gone = Object.keys(plan.last?.pages ?? {}).filter((k) => !planned.has(k));
  const journal: Journal = {
    remove: [
      ...gone.flatMap((k) => pageFiles(...(k.split("/") as [PeriodKind, string]))),
      ...plan.unarchived.flatMap((m) => [`archive/${m}.html`, `archive/${m}.json`]),
    ],
    manifest: { design: plan.design, pages: Object.fromEntries(plan.plans.map((p) => [p.page, p.key])) },
  };
  // The files on disk before the journal names them: after a power cut it never names half a file.
  for (const rel of listFiles(fresh)) syncFile(join(fresh, rel));
  // Renamed, the folder is no build folder any more: a build that fails now leaves it to the next.
  const dir = `${siteOut}.publish-${basename(fresh).replace(/^.*\.tmp-/, "")}`;
  renameSync(fresh, dir);
  // Not fsynced: a journal a power cut tore is dropped, and the next build, comparing with the
  // manifest in place, renders again what this one did not finish.
  writeFileSync(join(dir, JOURNAL), JSON.stringify(journal));
  completePublish(dir, siteOut);
}

/** Puts the files of the publish folder `dir` in place in the passes above, then removes it. */
export function completePublish(dir: string, siteOut: string): void {
  const journal = JSON.parse(readFileSync(join(dir, JOURNAL), "utf8")) as Journal;
  rmSync(join(dir, LINKLESS), { recursive: true, force: true }); // made again from what is live now
  const rels = listFiles(dir).filter((rel) => rel !== JOURNAL && !rel.startsWith(`${LINKLESS}/`));
  const pages = rels.filter((rel) => rel.endsWith(".html"));
  const data = rels.filter((rel) => !rel.endsWith(".html"));
  const dirs = new Set<string>(); // the folders renamed into, fsynced before anything is removed
  // 1. Data and assets.
  moveFiles(dir, siteOut, data, dirs);
  // 2. The pages not live yet, each without its links to the others (or in full if it has none).
  const unlive = new Set(pages.filter((rel) => !existsSync(join(siteOut, rel))));
  const cut: string[] = [];
  const whole: string[] = [];
  for (const rel of unlive) {
    const html = readFileSync(join(dir, rel), "utf8");
    const linkless = withoutLinksTo(html, rel, unlive);
    if (linkless === html) {
      whole.push(rel);
      continue;
    }
    // Not fsynced: pass 3 puts the full page (fsynced) over it, also when a power cut tore it.
    const path = join(dir, LINKLESS, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, linkless);
    cut.push(rel);
  }
  moveFiles(join(dir, LINKLESS), siteOut, cut, dirs);
  moveFiles(dir, siteOut, whole, dirs);
  // 3. Every other page, and the cut ones, in full: all they link to is live now.
  moveFiles(dir, siteOut, pages, dirs);
  for (const d of dirs) syncDir(d);
  // 4. What is gone.
  removeFiles(siteOut, journal.remove);
  // 5. The manifest: names what is in place.
  writeFileDurable(join(siteOut, ".manifest.json"), JSON.stringify(journal.manifest));
  rmSync(dir, { recursive: true, force: true });
}

/**
 * At the start of a build: finishes the publish of a build that died while publishing (its publish
 * folder holds a journal), and removes the folders of builds that died before (`SITE_OUT.tmp-*`,
 * a publish folder without its journal, `SITE_OUT.old-*` of earlier versions). A publish that cannot
 * be finished is dropped with a warning: the site is whole at every step, and this build, which
 * compares with the manifest still in place, renders again what that one did not put in place.
 */
export function finishInterrupted(siteOut: string, logger: Logger): void {
  const parent = dirname(siteOut);
  const base = basename(siteOut);
  if (!existsSync(parent)) return;
  // One publish folder at most: each build finishes (or drops) the last one before it makes its own.
  for (const name of readdirSync(parent)) {
    const path = join(parent, name);
    if (name.startsWith(`${base}.publish-`) && existsSync(join(path, JOURNAL))) {
      try {
        completePublish(path, siteOut);
        logger.info(`finished publishing the build that was cut short in ${path}`);
      } catch (e) {
        logger.warn(`could not finish publishing ${path} (${(e as Error).message}); this build replaces it`);
      }
    }
    if ([".publish-", ".tmp-", ".old-"].some((kind) => name.startsWith(base + kind)))
      rmSync(path, { recursive: true, force: true });
  }
}

/**
 * `html` (the page at `rel`) without the `href` of each link to one of `unlive` (site paths), as
 * nginx finds a URL's file: `/x/` is `x/index.html`; `/x` is `x`, `x/index.html` or `x.html`.
 */
export function withoutLinksTo(html: string, rel: string, unlive: ReadonlySet<string>): string {
  const base = new URL(`http://site/${rel}`);
  return html.replace(/\shref="([^"]*)"/g, (attr, ref: string) => {
    const url = new URL(ref.replaceAll("&amp;", "&"), base);
    if (url.host !== "site") return attr;
    const path = safeDecode(url.pathname).slice(1);
    const files =
      path === "" || path.endsWith("/")
        ? [`${path}index.html`]
        : [path, `${path}/index.html`, `${path}.html`];
    return files.some((f) => unlive.has(f)) ? "" : attr;
  });
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Moves `rels` from `from` into `to` in publishOrder, each renamed over its old version, into `dirs`. */
function moveFiles(from: string, to: string, rels: readonly string[], dirs: Set<string>): void {
  for (const rel of publishOrder(rels)) {
    const src = join(from, rel);
    if (!existsSync(src)) continue; // moved before the builder died
    const dest = join(to, rel);
    if (!dirs.has(dirname(dest))) mkdirSync(dirname(dest), { recursive: true });
    dirs.add(dirname(dest));
    renameSync(src, dest);
  }
}

/**
 * Removes the files of pages that no longer exist, and each folder that is left empty (up to
 * `target`). Gone pages may link each other and their twins: each is first put in place without
 * those links, then the pages go, then their twins.
 */
function removeFiles(target: string, rels: readonly string[]): void {
  const gone = new Set(rels);
  const pages = rels.filter((rel) => rel.endsWith(".html"));
  for (const rel of pages.filter((p) => existsSync(join(target, p)))) {
    const html = readFileSync(join(target, rel), "utf8");
    const linkless = withoutLinksTo(html, rel, gone);
    if (linkless !== html) writeFileDurable(join(target, rel), linkless);
  }
  // Also what is gone already: its folder may be left, if the builder died before it went.
  for (const rel of [...pages, ...rels.filter((r) => !r.endsWith(".html"))]) {
    rmSync(join(target, rel), { force: true });
    for (let d = dirname(rel); d !== "."; d = dirname(d)) {
      try {
        rmdirSync(join(target, d));
      } catch {
        break; // not empty (or gone already)
      }
    }
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
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
