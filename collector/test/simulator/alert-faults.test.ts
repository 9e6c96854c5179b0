/**
 * The simulator's switches for the demo's alerts (POST /_sim/faults): a device fault code in the
 * features answer, a silent meter, a short-cycling compressor.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createShellyClient } from "../../src/sources/shelly/client.ts";
import { exchangeCode, authorizeUrl, createPkce } from "../../src/sources/viessmann/oauth.ts";
import { indexFeatures, parseFeaturesBody } from "../../src/sources/viessmann/parse.ts";
import { messageFields } from "../../src/sources/viessmann/messages.ts";
import { Model, SHORT_PAUSE_MS, SHORT_RUN_MS } from "../../simulator/model.ts";
import { startSimulator, type Simulator } from "../../simulator/serve.ts";
import { VIESSMANN_IDS } from "../../simulator/viessmann-server.ts";

const START = Date.parse("2026-01-15T06:00:00Z");
const realMs = 1_000_000;
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const featuresPath =
  `/iot/v2/features/installations/${VIESSMANN_IDS.installationId}` +
  `/gateways/${VIESSMANN_IDS.gatewaySerial}/devices/${VIESSMANN_IDS.deviceId}/features`;
const setFaults = (s: Simulator, body: unknown) =>
  fetch(`${s.viessmannApiUrl}/_sim/faults`, { method: "POST", body: JSON.stringify(body) });

async function token(s: Simulator): Promise<string> {
  const cfg = {
    clientId: s.env.VIESSMANN_CLIENT_ID!,
    authUrl: s.viessmannAuthUrl,
    redirectUri: "http://localhost:4200/",
  };
  const pkce = createPkce();
  const res = await fetch(authorizeUrl(cfg, pkce.challenge, "st"), { redirect: "manual" });
  const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
  return (await exchangeCode(cfg, code, pkce.verifier)).access_token;
}

describe("the simulator's alert faults", () => {
  it("a device fault code shows in device.messages.errors.raw, as the collector reads it, until cleared", async () => {
    sim = await startSimulator({ seed: 5, startMs: START, now: () => realMs });
    const auth = { authorization: `Bearer ${await token(sim)}` };
    const messages = async () =>
      messageFields(
        indexFeatures(
          parseFeaturesBody(
            await (await fetch(`${sim!.viessmannApiUrl}${featuresPath}`, { headers: auth })).json(),
          ),
        ),
      );
    expect(await messages()).toMatchObject({ errors_reported: 1, error_count: 0, error_codes: "" });
    expect((await setFaults(sim, { deviceFault: "F.454" })).status).toBe(200);
    const m = sim.live.model;
    expect(await messages()).toMatchObject({
      error_count: 1,
      critical_count: 1,
      error_codes: "F.454",
      errors: `F.454 (criticalError, since ${new Date(m.t).toISOString()})`,
    });
    const bad = await setFaults(sim, { deviceFault: "oops" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'Expected `deviceFault` to be an error code like "F.454", or "" for none',
    });
    await setFaults(sim, { deviceFault: "" });
    expect(await messages()).toMatchObject({ error_count: 0 });
  });

  it("a silent meter answers nothing; the switch back brings its readings", async () => {
    sim = await startSimulator({ seed: 5, startMs: START, now: () => realMs, faults: { meterSilent: true } });
    const client = createShellyClient({
      url: sim.shellyUrl,
      password: undefined,
      clock: { now: () => realMs },
    });
    try {
      await expect(client.call("Shelly.GetStatus")).rejects.toMatchObject({ kind: "unreachable" });
      await setFaults(sim, { meterSilent: false });
      expect(await client.call("Shelly.GetStatus")).toHaveProperty("em:0");
    } finally {
      client.close();
    }
  });

  it("short cycling starts the compressor every 10 minutes, whatever the house needs", async () => {
    const m = new Model({ seed: 5, startMs: START });
    m.advanceTo(START + 3_600_000, 10);
    m.shortCycling = true;
    const before = m.compressorStarts;
    m.advanceTo(START + 3 * 3_600_000, 10);
    // Two hours of 4 min runs and 6 min pauses: 12 starts (one more if it was stopped long enough).
    expect(m.compressorStarts - before).toBeGreaterThanOrEqual(12);
    expect(m.compressorStarts - before).toBeLessThanOrEqual(13);
    expect(SHORT_RUN_MS + SHORT_PAUSE_MS).toBe(600_000);
    // The switch reaches the live model through POST /_sim/faults.
    sim = await startSimulator({ seed: 5, startMs: START, now: () => realMs });
    expect(sim.live.model.shortCycling).toBe(false);
    await setFaults(sim, { shortCycling: true });
    expect(sim.live.model.shortCycling).toBe(true);
  });
});
