/**
 * The compose demo profile without Docker: collector/docker/demo-simulator.ts (the `simulator`
 * service) and collector/docker/start.mjs (the collector's entry point, running the production
 * bundle) as two processes sharing a data folder and a settings folder like the two volumes.
 * The collector, started first without a device, waits, then collects from the simulators
 * through the forwarded ports; the simulator removes its settings file when stopped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCollector } from "../../collector/build/bundle.ts";
import { freePort } from "./nginx-server.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(script: string, env: NodeJS.ProcessEnv) {
  const p = spawn(process.execPath, [join(ROOT, script)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { text: "" };
  p.stdout!.on("data", (d: Buffer) => (out.text += d.toString()));
  p.stderr!.on("data", (d: Buffer) => (out.text += d.toString()));
  const exited = new Promise<number | null>((r) => p.once("exit", (c) => r(c)));
  return { p, out, exited };
}

async function until(what: string, ok: () => boolean, ms = 30_000) {
  for (let t = 0; t < ms && !ok(); t += 100) await sleep(100);
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

describe("docker compose --profile demo, as processes", () => {
  const dir = mkdtempSync(join(tmpdir(), "demo-profile-"));
  const children: ChildProcess[] = [];
  // The container runs the bundle, so this test does too.
  beforeAll(async () => {
    await bundleCollector();
  }, 60_000);
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("feeds the waiting collector from the simulator, and cleans up its settings on SIGTERM", async () => {
    const data = join(dir, "data");
    const settings = join(dir, "run-demo");
    mkdirSync(data);
    mkdirSync(settings);
    const envFile = join(settings, "collector.env");
    const base = { PATH: process.env.PATH, TZ: "UTC", DATA_DIR: data, DEMO_ENV_FILE: envFile };

    const collector = run("collector/docker/start.mjs", { ...base, SHELLY_URL: "", VIESSMANN_CLIENT_ID: "" });
    children.push(collector.p);
    await until("the collector's waiting message", () => collector.out.text.includes("no device configured"));

    const sim = run("collector/docker/demo-simulator.ts", {
      ...base,
      SIM_HOSTNAME: "127.0.0.1",
      SIM_SHELLY_PORT: String(await freePort()),
      SIM_VIESSMANN_PORT: String(await freePort()),
      SIM_BACKUP_PORT: String(await freePort()),
    });
    children.push(sim.p);
    await until("the settings file", () => existsSync(envFile));
    // The heat pump's Pro 3EM and the backup heater's Pro EM (its second channel).
    expect(readFileSync(envFile, "utf8")).toMatch(
      /^SHELLY_METERS=heatpump=http:\/\/127\.0\.0\.1:\d+,backup=http:\/\/127\.0\.0\.1:\d+#em1:1$/m,
    );
    expect(readFileSync(join(data, "viessmann-token.json"), "utf8")).toContain("refresh_token");

    // Both sources identified, readings journaled.
    await until("both sources", () => /shelly: .*shellypro3em-sim000000/.test(collector.out.text));
    await until("the heat pump", () => /viessmann: .*E3_Vitocal/.test(collector.out.text));
    await until("the backup heater's meter", () =>
      /shelly backup: .*shellyproem50-sim000001/.test(collector.out.text),
    );
    await until("a journal segment", () => readdirSync(join(data, "journal")).some((n) => n.endsWith(".lp")));
    expect(collector.out.text).toContain("demo mode");

    collector.p.kill("SIGTERM");
    expect(await collector.exited).toBe(0);
    sim.p.kill("SIGTERM");
    expect(await sim.exited).toBe(0);
    expect(existsSync(envFile)).toBe(false);
    const journal = readdirSync(join(data, "journal")).filter((n) => n.endsWith(".lp"));
    const lines = journal.flatMap((n) =>
      readFileSync(join(data, "journal", n), "utf8")
        .trim()
        .split("\n"),
    );
    expect(lines.some((l) => l.startsWith("electric,"))).toBe(true);
    expect(lines.some((l) => l.startsWith("heatpump,"))).toBe(true);
  }, 90_000);
});
