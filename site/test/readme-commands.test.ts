/**
 * README.md's commands work as written. Every line of its ```sh blocks runs, in README order, in a
 * copy of the project (the sources and node_modules linked, package.json and .npmrc copied) whose
 * data folder holds simulated history, the way a user's shell runs it: `sh -c`, the system's PATH
 * (its Node may be 20; npm scripts and `npx node` bring the project's Node 24), the machine's zone
 * in TZ, no REPORT_TZ. Lines that need Docker, a device, InfluxDB, a browser or that run until
 * stopped are skipped by the reasons below; a README command that does not work fails here.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultZone, writeHistory } from "../../collector/simulator/history.ts";
import { machineZone } from "../../reports/src/config.ts";
import { backfill } from "../dev/demo-history.ts";
import { dayOf } from "../../core/src/time.ts";

const ROOT = join(import.meta.dirname, "../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
/** The zone of the user's machine in this test. */
const TZ = "Europe/Berlin";

interface ReadmeCommand {
  /** The command as a shell runs it (continuation lines joined, the comment dropped). */
  text: string;
  /** Its first line in README.md (1-based). */
  line: number;
}

/** A `#` that starts a comment: at the start or after a blank, outside quotes. */
function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** The commands of the ```sh blocks of `markdown`. */
function shCommands(markdown: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  const lines = markdown.split("\n");
  let inSh = false;
  let pending: ReadmeCommand | null = null;
  lines.forEach((raw, i) => {
    if (/^```/.test(raw)) {
      inSh = !inSh && raw.trim() === "```sh";
      return;
    }
    if (!inSh) return;
    const text = withoutComment(raw).trim();
    if (pending) pending.text += " " + text;
    else if (text !== "") pending = { text, line: i + 1 };
    if (!pending) return;
    if (pending.text.endsWith("\\")) pending.text = pending.text.slice(0, -1).trim();
    else {
      out.push(pending);
      pending = null;
    }
  });
  return out;
}

/** Why a README command is not run here; everything else is. */
const NOT_RUN: [RegExp, string][] = [
  [/\bdocker\b/, "needs Docker"],
  [/^cp \.env\.example \.env\b/, "the Docker set-up (its .env would give every later command its devices)"],
  [/^npm ci\b/, "installs the project: the copy here links the installed node_modules"],
  [/^npm test\b/, "the test suite itself (a run of one file is checked below)"],
  [/^npm run demo\b/, "serves the demo until stopped (site/test/dev/demo.test.ts runs it)"],
  [/^npm run collect\b/, "needs a Shelly or the Viessmann API (the plain one runs until stopped)"],
  [/^npm run login\b/, "needs a browser and the Viessmann login"],
  [/^npm run builder\b/, "rebuilds until stopped"],
  [/\bsimulate -- serve\b/, "serves simulated devices until stopped"],
  [/\bINFLUX_URL=/, "needs an InfluxDB"],
  [/\bMQTT_URL=|\bmosquitto/, "needs an MQTT broker"],
];

const notRun = (c: ReadmeCommand) => NOT_RUN.find(([re]) => re.test(c.text))?.[1];

const commands = shCommands(README);
const runnable = commands.filter((c) => !notRun(c));

/** The user's PATH: the system's, without this project's node_modules/.bin (npm adds that itself). */
const userPath = (process.env.PATH ?? "")
  .split(":")
  .filter((p) => !p.includes("node_modules"))
  .join(":");

describe("README.md's commands", () => {
  let copy: string;

  beforeAll(() => {
    // The project as cloned and installed: sources and node_modules linked, the top-level files
    // copied, no data/ folder yet.
    copy = mkdtempSync(join(tmpdir(), "readme-commands-"));
    for (const dir of ["core", "collector", "reports", "site", "node_modules"])
      symlinkSync(join(ROOT, dir), join(copy, dir));
    for (const file of ["package.json", ".npmrc", ".node-guard.cjs", ".env.example"])
      copyFileSync(join(ROOT, file), join(copy, file));
  });

  /**
   * Before the first command that reads them: what the collector would have journaled in March 2026
   * (the README's example dates) and the demo's data up to now, both in the machine's zone.
   */
  let seeded: Promise<void> | undefined;
  const seed = async () => {
    const journal = join(copy, "data", "journal");
    mkdirSync(journal, { recursive: true });
    await writeHistory({ days: 31, end: "2026-03-31", seed: 1, tz: TZ, out: join(journal, "history.lp") });
    const demoJournal = join(copy, "data", "demo", "journal");
    mkdirSync(demoJournal, { recursive: true });
    await backfill({ journalDir: demoJournal, days: 1, seed: 1, tz: TZ, nowMs: Date.now() });
  };

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("are found: the sh blocks' commands, each run here or skipped for a named reason", () => {
    const texts = runnable.map((c) => c.text);
    // The ones a newcomer runs first are among those run.
    for (const expected of [
      /^mkdir -p data && npm run simulate -- history /,
      /^npm run report -- --day 2026-03-29$/,
      /^npm run report -- --season 2025-26$/,
      /^DATA_DIR=data\/demo npm run report$/,
      /^LOCAL_SOURCE=data\/sim\.lp npm run report /,
      /^npm run build:site$/,
    ])
      expect(
        texts.some((t) => expected.test(t)),
        String(expected),
      ).toBe(true);
    expect(commands.length - runnable.length).toBeGreaterThanOrEqual(8);
  });

  it("call no `node` directly: the system's may be Node 20 (`npx node` or npm scripts run Node 24)", () => {
    const direct = [...README.matchAll(/`(node [^`]*\.ts\b[^`]*)`/g)].map((m) => m[1]);
    expect(direct).toEqual([]);
    for (const c of commands)
      if (!/\bdocker\b/.test(c.text)) expect(c.text).not.toMatch(/(^|[;&|]\s*)node\s/);
  });

  it("install with a progress display and without warnings to interpret", () => {
    // .npmrc keeps npm quiet for the scripts (their --json output is piped); the install overrides it.
    expect(readFileSync(join(ROOT, ".npmrc"), "utf8")).toMatch(/^loglevel=silent$/m);
    const installs = commands.filter((c) => /^npm ci\b/.test(c.text)).map((c) => c.text);
    expect(installs.length).toBeGreaterThan(0);
    for (const i of installs) expect(i).toBe("npm ci --loglevel=error");
  });

  for (const c of runnable)
    it(`line ${c.line}: ${c.text}`, async () => {
      if (/npm run (report|build:site)\b/.test(c.text)) await (seeded ??= seed());
      const r = spawnSync("sh", ["-c", c.text], {
        cwd: copy,
        encoding: "utf8",
        env: { PATH: userPath, HOME: process.env.HOME, TZ },
        timeout: 240_000,
      });
      const said = `${r.stdout}\n${r.stderr}`.slice(-3000);
      expect(r.status, said).toBe(0);
      if (/npm run report\b/.test(c.text)) {
        // The report names what it read; --json is pure JSON.
        expect(r.stderr).toMatch(/^read (the collector's journal in|LOCAL_SOURCE) .*: data from /m);
        if (c.text.includes("--json")) expect(JSON.parse(r.stdout)).toMatchObject({ tz: TZ });
        else expect(r.stdout).toMatch(/\(Europe\/Berlin\)/);
      }
      if (c.text === "DATA_DIR=data/demo npm run report")
        expect(r.stdout.split("\n")[0]).toMatch(/ \(Europe\/Berlin\), so far: /);
    }, 240_000);
});

describe("one zone rule", () => {
  it("the simulator's history, the demo and the reports pick the same zone: REPORT_TZ, else the machine's", () => {
    for (const env of [
      {},
      { TZ: "Asia/Tokyo" },
      { TZ: ":America/New_York" },
      { REPORT_TZ: "Europe/Berlin", TZ: "UTC" },
    ])
      expect(defaultZone(env), JSON.stringify(env)).toBe(
        (env as { REPORT_TZ?: string }).REPORT_TZ ?? machineZone(env),
      );
    expect(defaultZone({ TZ: "Asia/Tokyo" })).toBe("Asia/Tokyo");
    expect(defaultZone({})).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    // Days in that zone: 1 December 2026 starts at 23:00 UTC the day before in Berlin.
    expect(dayOf(defaultZone({ REPORT_TZ: "Europe/Berlin" }), Date.parse("2026-11-30T23:00:00Z"))).toBe(
      "2026-12-01",
    );
  });
});

describe("npm test", () => {
  it("ends with the count, no tip after it", () => {
    const r = spawnSync("npm", ["test", "--", "core/test/remembered.test.ts"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: userPath, HOME: process.env.HOME },
      timeout: 120_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("1 passed, 0 failed");
    expect(r.stdout).not.toMatch(/isolate: false|fsModuleCache/);
  }, 120_000);
});
