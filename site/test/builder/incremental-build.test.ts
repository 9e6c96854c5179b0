/**
 * An incremental build publishes what a build from nothing would, file for file, after each kind of
 * change to the store: late points for a closed day (a journal draining after an outage: a new
 * segment in the local journal, late writes to InfluxDB), a local file replaced by a fuller copy of
 * the same name, a file edited in place with the same size. The history is the store-parity one
 * (support/parity-history.ts: six days to 2026-03-31, now 18:00 local on the last one).
 *
 * The late points are those of 2026-03-28 16:00-18:00 local (15:00-17:00Z): that day is closed, its
 * week (2026-W13) too, and the next day (2026-03-29) compares itself with it.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InfluxStandIn, startInfluxStandIn } from "../../../reports/test/helpers/flux-stand-in/index.ts";
import { createSiteRenderer, type SiteRenderer } from "../../builder/render/site-renderer.ts";
import { writeParityHistory } from "../support/parity-history.ts";
import {
  editedOutsideTemperatures,
  expectSameTree,
  SiteUnderTest,
  splitLines,
  type StoreEnv,
} from "../support/incremental-site.ts";

const LATE_FROM = Date.parse("2026-03-28T15:00:00Z");
const LATE_TO = Date.parse("2026-03-28T17:00:00Z");

describe("an incremental build equals a build from nothing", () => {
  let dir: string;
  let full: string;
  let renderer: SiteRenderer;
  let standIn: InfluxStandIn;
  /** The lines of 2026-03-28 16:00-18:00 local, and the others. */
  let late: string[];
  let early: string[];
  const sites: SiteUnderTest[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "incremental-build-"));
    const history = join(dir, "history.lp");
    await writeParityHistory(history);
    full = readFileSync(history, "utf8");
    ({ inside: late, outside: early } = splitLines(full, LATE_FROM, LATE_TO));
    renderer = await createSiteRenderer();
    standIn = await startInfluxStandIn({ org: "home", bucket: "heatpump" });
  }, 300_000);
  afterAll(async () => {
    for (const s of sites) await s.close();
    await standIn?.close();
  });

  /** A site over `store` in a new DATA_DIR under the test's folder. */
  const site = (store: StoreEnv, name: string) => {
    const s = new SiteUnderTest(store, join(dir, name), renderer);
    sites.push(s);
    return s;
  };

  /** Builds a site from nothing over `store` and compares the incremental sites with it. */
  async function expectFresh(store: StoreEnv, name: string, incremental: SiteUnderTest[]): Promise<void> {
    const fresh = site(store, name);
    await fresh.build();
    for (const s of incremental) expectSameTree(s.config.siteOut, fresh.config.siteOut);
  }

  it("late points for a closed day in the local journal (a new segment)", async () => {
    // Two hours of 10 s electric readings of two meters (heat pump and backup heater: 2 x 720) and
    // 5 min heat pump readings (and the collector's own lines).
    expect(late.filter((l) => l.startsWith("electric"))).toHaveLength(1440);
    expect(late.filter((l) => l.startsWith("heatpump"))).toHaveLength(24);
    const journal = join(dir, "journal");
    mkdirSync(journal);
    writeFileSync(join(journal, "2026-03-31T08-00-00.000Z.lp"), early.join("\n") + "\n");
    const store = { LOCAL_SOURCE: journal };
    // The long-running builder (one engine) and `npm run build:site` (an engine per build).
    const builder = site(store, "journal-builder");
    const once = site(store, "journal-once");
    await builder.build();
    await once.build();
    writeFileSync(join(journal, "2026-03-31T15-00-00.000Z.lp"), late.join("\n") + "\n");
    await builder.build();
    await once.build({ restart: true });
    await expectFresh(store, "journal-fresh", [builder, once]);
  }, 300_000);

  it("late points for a closed day written to InfluxDB", async () => {
    standIn.createBucket("late");
    standIn.load(early.join("\n"), { bucket: "late" });
    const store = {
      INFLUX_URL: standIn.url,
      INFLUX_TOKEN: standIn.token,
      INFLUX_ORG: "home",
      INFLUX_BUCKET: "late",
    };
    const builder = site(store, "influx-builder");
    await builder.build();
    standIn.load(late.join("\n"), { bucket: "late" });
    await builder.build();
    await expectFresh(store, "influx-fresh", [builder]);
  }, 300_000);

  it("a local file replaced by a fuller copy of the same name", async () => {
    const file = join(dir, "export.lp");
    writeFileSync(file, early.join("\n") + "\n");
    const store = { LOCAL_SOURCE: file };
    const builder = site(store, "copy-builder");
    const once = site(store, "copy-once");
    await builder.build();
    await once.build();
    const inode = statSync(file).ino;
    // Written over in place (`cp fuller.lp export.lp`): the same file, the two hours now in it.
    writeFileSync(file, full);
    expect(statSync(file).ino).toBe(inode);
    await builder.build();
    await once.build({ restart: true });
    await expectFresh(store, "copy-fresh", [builder, once]);
  }, 300_000);

  it("a local file edited in place with the same size", async () => {
    const file = join(dir, "edited.lp");
    writeFileSync(file, full);
    const store = { LOCAL_SOURCE: file };
    const builder = site(store, "edit-builder");
    const once = site(store, "edit-once");
    await builder.build();
    await once.build();
    const edited = editedOutsideTemperatures(full, LATE_FROM, LATE_TO);
    expect(edited).not.toBe(full);
    expect(edited.length).toBe(full.length);
    writeFileSync(file, edited);
    expect(statSync(file).size).toBe(Buffer.byteLength(full));
    await builder.build();
    await once.build({ restart: true });
    await expectFresh(store, "edit-fresh", [builder, once]);
  }, 300_000);
});
