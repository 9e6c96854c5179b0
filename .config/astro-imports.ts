/**
 * The layout's rules (.config/dependency-cruiser.cjs) for the .astro pages and components, which
 * dependency-cruiser cannot parse: each import in a file's frontmatter (between its `---` fences) is
 * held against every forbidden rule's `from`/`to` paths, and the imports among .astro files against
 * circles (a .ts file never imports an .astro one here: the builder compiles pages by path, so a
 * circle through an .astro file can only run through .astro files). Exits 1 naming each violation.
 *
 *   node .config/astro-imports.ts [ROOT]
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, posix, relative, resolve } from "node:path";

interface Rule {
  name: string;
  comment: string;
  from: { path?: string };
  to: { path?: string; circular?: boolean };
}

const root = resolve(process.argv[2] ?? join(import.meta.dirname, ".."));
const { forbidden } = createRequire(import.meta.url)("./dependency-cruiser.cjs") as { forbidden: Rule[] };

function astroFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules" || e.name.startsWith(".")) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? astroFiles(p) : e.name.endsWith(".astro") ? [p] : [];
  });
}

/** The repository-relative files a file's frontmatter imports (relative specifiers only). */
export function frontmatterImports(file: string, text: string): string[] {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!m) return [];
  const specs = [...m[1]!.matchAll(/(?:^|\n)\s*(?:import|export)\b[^"'`;]*?["']([^"']+)["']/g)].map(
    (x) => x[1]!,
  );
  return specs
    .filter((s) => s.startsWith("."))
    .map((s) =>
      posix.normalize(
        relative(root, resolve(dirname(join(root, file)), s))
          .split("\\")
          .join("/"),
      ),
    );
}

const files = astroFiles(join(root, "site")).map((f) => relative(root, f).split("\\").join("/"));
const edges = new Map(files.map((f) => [f, frontmatterImports(f, readFileSync(join(root, f), "utf8"))]));
const problems: string[] = [];

for (const [from, targets] of edges)
  for (const to of targets)
    for (const rule of forbidden) {
      if (rule.to.circular || !rule.from.path || !rule.to.path) continue;
      if (new RegExp(rule.from.path).test(from) && new RegExp(rule.to.path).test(to))
        problems.push(`${rule.name}: ${from} → ${to} (${rule.comment})`);
    }

// Circles among .astro files: a depth-first walk that meets a file still on its path.
const state = new Map<string, "open" | "done">();
const walk = (file: string, path: string[]): void => {
  state.set(file, "open");
  for (const next of edges.get(file) ?? []) {
    if (!edges.has(next)) continue;
    if (state.get(next) === "open") {
      const loop = [...path.slice(path.indexOf(next)), next];
      problems.push(`no-circular: ${loop.join(" → ")}`);
    } else if (!state.has(next)) walk(next, [...path, next]);
  }
  state.set(file, "done");
};
for (const f of files) if (!state.has(f)) walk(f, [f]);

if (problems.length) {
  for (const p of problems) console.error(`error ${p}`);
  console.error(
    `${problems.length} layout violations in .astro files (rules: .config/dependency-cruiser.cjs)`,
  );
  process.exit(1);
}
console.log(`.astro imports: ${files.length} files, no layout violation`);
