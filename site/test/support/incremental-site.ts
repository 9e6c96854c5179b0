/**
 * An incremental build against a build from nothing (incremental-build.test.ts): a site built from a
 * store, the store changed, built again (as the long-running builder does: the same engine and
 * renderer, or as `npm run build:site` does: a new engine over the same DATA_DIR); then a site built
 * from the changed store into a new DATA_DIR. Both run with the same clock, so no build time tells
 * them apart: the two SITE_OUT trees must be equal byte for byte, the manifest included.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { createReports, type ReportsEngine } from "../../../reports/src/index.ts";
import { buildSite, type BuildResult } from "../../builder/build.ts";
import { loadSiteConfig } from "../../builder/config.ts";
import { listFiles } from "../../builder/publish.ts";
import type { SiteRenderer } from "../../builder/render/site-renderer.ts";
import { PARITY_NOW, PARITY_TZ } from "./parity-history.ts";

export type StoreEnv = Record<string, string>;

/** A site over one DATA_DIR: build it (again) with the engine it holds, or with a new one. */
export class SiteUnderTest {
  readonly config: ReturnType<typeof loadSiteConfig>;
  private engine: ReportsEngine;
  private readonly store: StoreEnv;
  private readonly renderer: SiteRenderer;

  constructor(store: StoreEnv, dataDir: string, renderer: SiteRenderer) {
    this.store = store;
    this.renderer = renderer;
    this.config = loadSiteConfig({ DATA_DIR: dataDir });
    this.engine = this.newEngine();
  }

  private newEngine(): ReportsEngine {
    return createReports({
      env: { ...this.store, DATA_DIR: this.config.dataDir, REPORT_TZ: PARITY_TZ },
      now: () => PARITY_NOW,
    });
  }

  /** One build; `restart`: with a new engine first (a new `npm run build:site` process). */
  async build(opts: { restart?: boolean } = {}): Promise<BuildResult> {
    if (opts.restart) {
      await this.engine.close();
      this.engine = this.newEngine();
    }
    return buildSite({
      reports: this.engine,
      config: this.config,
      clock: { now: () => PARITY_NOW },
      logger: memoryLogger(),
      secrets: [],
      renderer: this.renderer,
    });
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

/** Every file of a published site, by path (relative), as bytes. */
export function siteTree(siteOut: string): Map<string, Buffer> {
  return new Map(listFiles(siteOut).map((rel) => [rel, readFileSync(join(siteOut, rel))]));
}

/** The two sites hold the same files with the same bytes; a difference names its file. */
export function expectSameTree(incremental: string, fresh: string): void {
  const a = siteTree(incremental);
  const b = siteTree(fresh);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  const differing = [...a].filter(([rel, bytes]) => !bytes.equals(b.get(rel)!)).map(([rel]) => rel);
  expect(differing).toEqual([]);
}

const timeOf = (line: string) => Number(line.slice(line.lastIndexOf(" ") + 1, -6));

/** The lines of `text` stamped in [fromMs, toMs), and the others. */
export function splitLines(
  text: string,
  fromMs: number,
  toMs: number,
): { inside: string[]; outside: string[] } {
  const inside: string[] = [];
  const outside: string[] = [];
  for (const l of text.trimEnd().split("\n")) {
    const t = timeOf(l);
    (t >= fromMs && t < toMs ? inside : outside).push(l);
  }
  return { inside, outside };
}

/**
 * `text` with the outside temperature of the heat pump lines in [fromMs, toMs) changed, each to a
 * number of the same length (its last digit moved by 5): a file edited in place, same size.
 */
export function editedOutsideTemperatures(text: string, fromMs: number, toMs: number): string {
  return text
    .split("\n")
    .map((l) => {
      if (!l.startsWith("heatpump")) return l;
      const t = timeOf(l);
      if (!(t >= fromMs && t < toMs)) return l;
      return l.replace(/outside_c=(-?[0-9.]*)([0-9])(?=[, ])/, (_m, head: string, d: string) => {
        return `outside_c=${head}${(Number(d) + 5) % 10}`;
      });
    })
    .join("\n");
}
