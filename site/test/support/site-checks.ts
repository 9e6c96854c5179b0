/** Checks on a built site read from its files: internal links, scripts, secrets. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { listFiles } from "../../builder/publish.ts";
import { resolvePath } from "./static-server.ts";

/** Internal links (href/src) of every HTML page that do not resolve to a file of the site. */
export function brokenLinks(root: string): string[] {
  const broken: string[] = [];
  for (const rel of listFiles(root).filter((f) => f.endsWith(".html"))) {
    const html = readFileSync(join(root, rel), "utf8");
    const base = new URL(`http://site/${rel}`);
    for (const m of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      const ref = m[1]!;
      if (ref.startsWith("data:") || ref.startsWith("#")) continue;
      const url = new URL(ref, base);
      if (url.host !== "site") {
        broken.push(`${rel}: external ${ref}`);
        continue;
      }
      if (!resolvePath(root, url.pathname)) broken.push(`${rel}: ${ref}`);
    }
  }
  return broken;
}

/** The URL paths every HTML page of the site links to (href/src, internal ones), without duplicates. */
export function linkTargets(root: string): string[] {
  const out = new Set<string>();
  for (const rel of listFiles(root).filter((f) => f.endsWith(".html"))) {
    const html = readFileSync(join(root, rel), "utf8");
    for (const m of html.matchAll(/\s(?:href|src)="([^"#]+)"/g)) {
      if (m[1]!.startsWith("data:")) continue;
      const url = new URL(m[1]!, `http://site/${rel}`);
      if (url.host === "site") out.add(url.pathname);
    }
  }
  return [...out].sort();
}

/** Folders under `root` (relative paths), the empty ones with `empty`. */
export function folders(root: string, opts: { empty?: boolean } = {}, rel = ""): string[] {
  const out: string[] = [];
  const entries = readdirSync(join(root, rel), { withFileTypes: true });
  if (rel && (!opts.empty || entries.length === 0)) out.push(rel);
  for (const e of entries)
    if (e.isDirectory()) out.push(...folders(root, opts, rel ? `${rel}/${e.name}` : e.name));
  return out;
}

/** Files under `root` that contain any of `values`. */
export function filesContaining(root: string, values: readonly string[]): string[] {
  return listFiles(root).filter((rel) => {
    const text = readFileSync(join(root, rel), "utf8");
    return values.some((v) => text.includes(v));
  });
}

export const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/** Internal links of one page as files of the site (the ones that resolve), without duplicates. */
function linksOf(root: string, rel: string): string[] {
  const html = readFileSync(join(root, rel), "utf8");
  const base = new URL(`http://site/${rel}`);
  const out = new Set<string>();
  for (const m of html.matchAll(/\shref="([^"#]+)"/g)) {
    const url = new URL(m[1]!, base);
    const file = url.host === "site" ? resolvePath(root, url.pathname) : null;
    if (file) out.add(relative(root, file));
  }
  return [...out];
}

/**
 * For each HTML page of the site, the `targets` it does not reach by following at most `depth`
 * links (breadth-first over the pages' hrefs); pages that reach them all are left out.
 */
export function unreachable(root: string, targets: readonly string[], depth: number): Map<string, string[]> {
  const pages = listFiles(root).filter((f) => f.endsWith(".html"));
  const graph = new Map(pages.map((p) => [p, linksOf(root, p)]));
  const out = new Map<string, string[]>();
  for (const start of pages) {
    const seen = new Set([start]);
    let frontier = [start];
    for (let d = 0; d < depth; d++) {
      const next: string[] = [];
      for (const p of frontier)
        for (const q of graph.get(p) ?? [])
          if (!seen.has(q)) {
            seen.add(q);
            next.push(q);
          }
      frontier = next;
    }
    const missed = targets.filter((t) => !seen.has(t));
    if (missed.length) out.set(start, missed);
  }
  return out;
}

/** The report pages of a built site: every day, week, month and season page. */
export const periodPages = (root: string): string[] =>
  listFiles(root).filter((f) => /^(day|week|month|season)\/[^/]+\/index\.html$/.test(f));
