/** Compiling the pages once: a compiled copy is reused until one of its sources changes; styles are refused. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compilePages } from "../../../builder/render/compile-pages.ts";
import { createPageRenderer } from "../../../builder/render/page-renderer.ts";
import { astroProject, removeProject } from "../../support/astro-project.ts";

const CONFIG = `import { defineConfig } from "astro/config";\nexport default defineConfig({ compressHTML: true });\n`;
const CARD = `---\ninterface Props { n: number }\n---\n<p class="card">Card {Astro.props.n}</p>\n`;

describe("compilePages", () => {
  const projects: string[] = [];
  afterAll(() => projects.forEach(removeProject));

  it("reuses a compiled copy while its sources are unchanged, and compiles again after a change", async () => {
    const root = astroProject({
      "astro.config.mjs": CONFIG,
      "src/components/Card.astro": CARD,
      // Named like the site's 404 page, so the site's page table renders it.
      "src/pages/not-found.astro":
        `---\nimport Card from "../components/Card.astro";\n---\n` +
        `<html><body>\n  <Card n={1} />\n</body></html>\n`,
    });
    projects.push(root);
    const opts = { siteRoot: root, modules: ["not-found.astro"], cacheDir: join(root, ".compiled") };
    const render = async (compiled: Awaited<ReturnType<typeof compilePages>>) =>
      (await createPageRenderer(compiled).render({ page: "not-found" }))[0]!.text;

    const first = await compilePages(opts);
    expect(first.compiled).toBe(true);
    // compressHTML from the project's astro.config.mjs, as astro build applies it.
    expect(await render(first)).toBe('<!DOCTYPE html><html><body> <p class="card">Card 1</p> </body></html>');
    const again = await compilePages(opts);
    expect(again).toEqual({ ...first, compiled: false });
    // A page the copy does not hold is named, not imported from nowhere.
    await expect(
      createPageRenderer(first).render({ page: "index", kind: "week", props: { periods: null as never } }),
    ).rejects.toThrow(/^src\/pages\/period-index\.astro was not compiled/);

    // A component the page imports (not the page itself) changes: its page is compiled again.
    writeFileSync(join(root, "src/components/Card.astro"), CARD.replace("Card {", "Card no. {"));
    const changed = await compilePages(opts);
    expect(changed.compiled).toBe(true);
    expect(changed.key).not.toBe(first.key);
    expect(await render(changed)).toContain("Card no. 1");

    // Back to the first sources: the first copy is still good.
    writeFileSync(join(root, "src/components/Card.astro"), CARD);
    expect(await compilePages(opts)).toEqual({ ...first, compiled: false });
  }, 60_000);

  it("refuses a component with its own <style>: the page would go out without it", async () => {
    const root = astroProject({
      "astro.config.mjs": CONFIG,
      "src/components/Card.astro": `${CARD}<style>.card { color: red }</style>\n`,
      "src/pages/index.astro":
        `---\nimport Card from "../components/Card.astro";\n---\n` +
        `<html><body><Card n={1} /></body></html>\n`,
    });
    projects.push(root);
    await expect(
      compilePages({ siteRoot: root, modules: ["index.astro"], cacheDir: join(root, ".compiled") }),
    ).rejects.toThrow(/src\/components\/Card\.astro.*put styles into site\/src\/lib\/css\.ts/);
  }, 60_000);
});
