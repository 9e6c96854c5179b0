/** End to end through the collector's own entry point: `npm run collect -- --once` against the fake API. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../../src/main.ts";
import { type FakeViessmann, startFakeViessmann } from "../../fakes/viessmann-api.ts";
import { seedTokens, tmpDataDir } from "./helpers.ts";

let fake: FakeViessmann | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function collectOnce(dataDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  // The collector's log lines, kept for the assertions instead of going to the test output.
  const log: string[] = [];
  const code = await main(["--once"], {
    env: {
      VIESSMANN_CLIENT_ID: "test-client",
      VIESSMANN_API_URL: fake!.url,
      VIESSMANN_AUTH_URL: fake!.url,
      DATA_DIR: dataDir,
    },
    cwd: dataDir,
    print: (t) => out.push(t),
    printError: (t) => err.push(t),
    writeLog: (_level, line) => log.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n"), log: log.join("\n") };
}

const journalText = (dataDir: string): string => {
  const dir = join(dataDir, "journal");
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => !f.endsWith(".tmp"))
    .map((f) => {
      try {
        return readFileSync(join(dir, f), "utf8");
      } catch {
        return "";
      }
    })
    .join("");
};

describe("collect --once with the Viessmann source", () => {
  it("discovers, polls once, prints the heat pump reading and journals it with the budget", async () => {
    fake = await startFakeViessmann();
    const dataDir = tmpDataDir();
    seedTokens(fake, dataDir, Date.now());
    const r = await collectOnce(dataDir);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/heatpump device=7633107093013212-0/);
    expect(r.out).toMatch(/flow_lph\s+970 l\/h/);
    expect(r.out).toMatch(/viessmann_feature: \d+ raw feature points/);
    expect(r.log).toMatch(
      /info {2}viessmann: chose heat pump installation 2012616, gateway 7633107093013212, device 0/,
    );
    const journal = journalText(dataDir);
    expect(journal).toMatch(/^heatpump,device=7633107093013212-0,home=home .*outside_c=3.3/m);
    expect(journal).toMatch(/^collector,home=home,source=viessmann .*budget=1400/m);
    expect(journal).toMatch(/^collector,home=home,source=viessmann .*calls_today=2/m);
    expect(fake.calls.total).toBe(2);
  });

  it("without a login it fails naming npm run login, and exits 1", async () => {
    fake = await startFakeViessmann();
    const r = await collectOnce(tmpDataDir());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/viessmann: FAILED: .*npm run login/);
    expect(r.log).toMatch(
      /error viessmann: no Viessmann login yet \(.*viessmann-token\.json missing\); run `npm run login`/,
    );
    expect(fake.calls.total).toBe(0);
  });
});
