/**
 * The layout check of `npm run lint` (`npm run lint:layout`) catches what it claims: an import
 * circle made only of type imports, an import pointing up (core -> collector, reports -> site),
 * the site or the report engine importing the collector, the collector importing its simulator,
 * and the same in .astro frontmatter. Run on a small made-up tree, so each rule is seen to fail.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const DEPCRUISE = join(ROOT, "node_modules/.bin/depcruise");

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "layout-"));
  mkdirSync(join(dir, ".config"));
  copyFileSync(join(ROOT, ".config/dependency-cruiser.cjs"), join(dir, ".config/dependency-cruiser.cjs"));
  writeFileSync(
    join(dir, ".config/tsconfig.json"),
    JSON.stringify({
      compilerOptions: { module: "nodenext", moduleResolution: "nodenext", allowImportingTsExtensions: true },
      include: ["../core", "../collector", "../reports", "../site"],
    }),
  );
  for (const top of ["core", "collector", "reports", "site"]) mkdirSync(join(dir, top));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function cruise(dir: string) {
  const r = spawnSync(
    DEPCRUISE,
    [
      "core",
      "collector",
      "reports",
      "site",
      "--config",
      ".config/dependency-cruiser.cjs",
      "--output-type",
      "err",
    ],
    { cwd: dir, encoding: "utf8" },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const leaf = "export const x = 1;\n";

describe("npm run lint:layout", () => {
  it("passes a tree that keeps the rules", () => {
    const dir = tree({
      "core/src/a.ts": leaf,
      "collector/src/main.ts": 'import { x } from "../../core/src/a.ts";\nexport const y = x;\n',
      "reports/src/types.ts": "export type T = number;\n",
      "reports/src/engine/e.ts": 'import type { T } from "../types.ts";\nexport const e: T = 1;\n',
      "site/src/lib/v.ts": 'import { e } from "../../../reports/src/engine/e.ts";\nexport const v = e;\n',
    });
    const r = cruise(dir);
    expect(r.out).toContain("no dependency violations");
    expect(r.status).toBe(0);
  });

  it("fails on a circle of type-only imports, naming it", () => {
    const dir = tree({
      "reports/src/metrics/a.ts": 'import type { B } from "./b.ts";\nexport type A = { b?: B };\n',
      "reports/src/metrics/b.ts": 'import type { A } from "./a.ts";\nexport type B = { a?: A };\n',
    });
    const r = cruise(dir);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/no-circular: reports\/src\/metrics\/a\.ts/);
  });

  it("fails on imports that point the wrong way", () => {
    const dir = tree({
      "collector/src/c.ts": leaf,
      "collector/simulator/s.ts": leaf,
      "site/src/lib/page.ts": leaf,
      "core/src/up.ts": 'import type {} from "../../collector/src/c.ts";\n',
      "reports/src/store/r.ts": 'import "../../../collector/src/c.ts";\n',
      "reports/src/metrics/m.ts": 'import "../../../site/src/lib/page.ts";\n',
      "reports/src/store/down.ts": 'import "../engine/e.ts";\n',
      "reports/src/engine/e.ts": leaf,
      "site/builder/b.ts": 'import "../../collector/src/c.ts";\n',
      "collector/src/main.ts": 'import "../simulator/s.ts";\n',
    });
    const r = cruise(dir);
    expect(r.status).not.toBe(0);
    for (const rule of [
      "core-imports-nothing-above: core/src/up.ts",
      "reports-imports-only-core: reports/src/store/r.ts",
      "reports-below-site: reports/src/metrics/m.ts",
      "reports-store-below-metrics-rollup-engine-output: reports/src/store/down.ts",
      "site-imports-no-collector: site/builder/b.ts",
      "collector-runs-no-simulator: collector/src/main.ts",
    ])
      expect(r.out).toContain(rule);
  });

  it("holds .astro frontmatter to the same rules, circles included", () => {
    const dir = tree({
      "collector/src/c.ts": leaf,
      "site/src/components/A.astro": '---\nimport B from "./B.astro";\n---\n<B />\n',
      "site/src/components/B.astro":
        '---\nimport A from "./A.astro";\nimport { x } from "../../../collector/src/c.ts";\n---\n',
    });
    const r = spawnSync(process.execPath, [join(ROOT, ".config/astro-imports.ts"), dir], {
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("site-imports-no-collector: site/src/components/B.astro → collector/src/c.ts");
    expect(r.stderr).toMatch(
      /no-circular: site\/src\/components\/(A|B)\.astro → .* → site\/src\/components\/\1\.astro/,
    );
  });
});
