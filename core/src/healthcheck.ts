/**
 * Docker healthcheck by freshness: exits 0 when `path` (a file, or the newest entry of a directory
 * tree, two levels deep) was modified within `maxAgeSeconds`, else 1 with one line saying what is
 * stale. Used for the collector (its journal is appended on every poll) and the site builder (its
 * index.html is rewritten on every build).
 *
 *   node core/src/healthcheck.ts <path> <maxAgeSeconds>
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Newest mtime (ms since epoch) of `path` and, for a directory, of its entries down to `depth`. */
export function newestMtimeMs(path: string, depth = 2): number {
  const st = statSync(path);
  let newest = st.mtimeMs;
  if (st.isDirectory() && depth > 0) {
    for (const name of readdirSync(path)) {
      try {
        newest = Math.max(newest, newestMtimeMs(join(path, name), depth - 1));
      } catch {
        // Entry removed while we looked (journal segments are deleted once InfluxDB has them).
      }
    }
  }
  return newest;
}

function main(argv: readonly string[]): number {
  const [path, max] = argv;
  const maxAgeS = Number(max);
  if (!path || !Number.isFinite(maxAgeS) || maxAgeS <= 0) {
    console.error("usage: node core/src/healthcheck.ts <path> <maxAgeSeconds>");
    return 2;
  }
  let ageS: number;
  try {
    ageS = (Date.now() - newestMtimeMs(path)) / 1000;
  } catch (e) {
    console.error(`unhealthy: ${path} does not exist yet (${(e as NodeJS.ErrnoException).code})`);
    return 1;
  }
  if (ageS > maxAgeS) {
    console.error(`unhealthy: ${path} last changed ${Math.round(ageS)} s ago (limit ${maxAgeS} s)`);
    return 1;
  }
  console.log(`healthy: ${path} changed ${Math.round(ageS)} s ago`);
  return 0;
}

if (import.meta.main) process.exit(main(process.argv.slice(2)));
