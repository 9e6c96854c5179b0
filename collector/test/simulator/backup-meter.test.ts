/**
 * The simulator's backup-heater meter, read by the collector's own Shelly source as SHELLY_METERS
 * configures it: a Pro EM (channel 1) or a Plus 1PM, whose power and counter are the model's backup
 * heater (Model.backupW, Model.backupEnergyWh), rounded as the devices round them.
 */
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { loadConfig } from "../../src/config.ts";
import { createShellySource } from "../../src/sources/shelly/index.ts";
import type { Source } from "../../src/sources/source.ts";
import { backupMeterOption, startSimulator, type Simulator } from "../../simulator/serve.ts";

const START = Date.parse("2026-01-15T06:00:00Z");
let realMs = 1_000_000;
const now = () => realMs;
let sim: Simulator | undefined;
let sources: Source[] = [];
afterEach(async () => {
  await Promise.all(sources.map((s) => s.close?.()));
  sources = [];
  await sim?.close();
  sim = undefined;
});

/** The simulator with a backup meter, and one collector source per meter of the env it prints. */
async function setup(backupMeter: "proem" | "plus1pm") {
  realMs = 1_000_000;
  sim = await startSimulator({ seed: 5, startMs: START, now, speed: 60, backupMeter });
  const config = loadConfig(sim.env, "/");
  sources = config.meters.map((m) =>
    createShellySource(m, { clock: { now }, logger: memoryLogger(), dataDir: "/nonexistent" }),
  );
  return { s: sim, config, sources };
}

describe("the simulated backup meter", () => {
  it.each([
    ["proem", "#em1:1", "shellyproem50-sim000001", 100],
    ["plus1pm", "#switch:0", "shellyplus1pm-sim000002", 1000],
  ] as const)(
    "%s: SHELLY_METERS names it, the collector reads the model's backup heater",
    async (kind, channel, id, per) => {
      const { s, config, sources } = await setup(kind);
      expect(s.env.SHELLY_URL).toBeUndefined();
      expect(s.env.SHELLY_METERS).toBe(`heatpump=${s.shellyUrl},backup=${s.backupUrl}${channel}`);
      expect(config.meters.map((m) => m.role)).toEqual(["heatpump", "backup"]);
      const backup = sources[1]!;
      expect(await backup.start(START)).toContain(id);
      const m = s.live.model;
      // The physics may leave the heater off at this hour; switch it on (the real clock stands
      // still, so the model takes no step that would recompute it): 2345.67 W reads as 2345.7 W.
      m.backupW = 2345.67;
      const [p] = await backup.poll(START);
      expect(p!.tags).toEqual({ device: id, role: "backup" });
      // Power as the device rounds it (0.1 W); the counter to 0.01 Wh (Pro EM) or 0.001 Wh (1PM).
      expect(p!.fields.power_w).toBe(2345.7);
      expect(p!.fields.current_a_a).toBe(10.199); // 2345.67 W / 230 V = 10.19857 A, to 0.001 A
      expect(p!.fields.energy_wh).toBe(Math.round(m.backupEnergyWh * per) / per);
      expect(p!.fields.voltage_a_v).toBe(230);
      // The heat pump's own meter is untouched by it: its Pro 3EM, read whole.
      const [hp] = await sources[0]!.poll(START);
      expect(hp!.tags).toEqual({ device: "shellypro3em-sim000000", role: "heatpump" });
    },
  );

  it("--backup-meter takes proem or 1pm and names anything else", () => {
    expect(backupMeterOption(undefined)).toBeUndefined();
    expect(backupMeterOption("proem")).toBe("proem");
    expect(backupMeterOption("1pm")).toBe("plus1pm");
    expect(() => backupMeterOption("3em")).toThrow('--backup-meter must be proem or 1pm, got "3em"');
  });

  it("the Pro EM answers EM1 ids 0 and 1 and the error of a real device for id 2", async () => {
    const { s } = await setup("proem");
    const get = async (path: string) => {
      const r = await fetch(`${s.backupUrl}${path}`);
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    expect((await get("/rpc/Shelly.GetDeviceInfo")).body).toMatchObject({
      app: "ProEM",
      model: "SPEM-002CEBEU50",
    });
    expect((await get("/rpc/EM1.GetStatus?id=0")).body).toMatchObject({ id: 0, act_power: 0 });
    expect((await get("/rpc/EM1Data.GetStatus?id=1")).body).toMatchObject({ id: 1, total_act_ret_energy: 0 });
    expect(await get("/rpc/EM1.GetStatus?id=2")).toEqual({
      status: 500,
      body: { code: -105, message: "Argument 'id', value 2 not found!" },
    });
    expect((await get("/rpc/EM.GetStatus?id=0")).status).toBe(404);
  });
});
