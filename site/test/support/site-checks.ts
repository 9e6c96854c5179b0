/** Checks on a built site read from its files: internal links, scripts, secrets. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listFiles } from "../../tools/publish.ts";
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

/** Files under `root` that contain any of `values`. */
export function filesContaining(root: string, values: readonly string[]): string[] {
  return listFiles(root).filter((rel) => {
    const text = readFileSync(join(root, rel), "utf8");
    return values.some((v) => text.includes(v));
  });
}

export const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;
