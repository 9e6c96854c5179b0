import { afterEach, describe, expect, it } from "vitest";
import { HEATPUMP_FIELDS } from "../../../core/src/data/catalogue.ts";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../simulator/serve.ts";
import { historyChunks } from "../../simulator/history.ts";
import { VIESSMANN_IDS } from "../../simulator/viessmann-server.ts";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import { createShellyClient } from "../../src/sources/shelly/client.ts";
import { parseDeviceInfo, parseStatus } from "../../src/sources/shelly/parse.ts";
import { authorizeUrl, createPkce, exchangeCode, refreshTokens } from "../../src/sources/viessmann/oauth.ts";
import { mapHeatpump, parseFeaturesBody } from "../../src/sources/viessmann/parse.ts";

// Pinned clocks: the simulated start and a hand-driven "real" clock (speed 1 unless set).
const START = Date.parse("2026-01-15T06:00:00Z");
let realMs = 1_000_000;
const now = () => realMs;
let sim: Simulator | undefined;

async function start(opts: SimulatorOptions = {}): Promise<Simulator> {
  realMs = 1_000_000;
  sim = await startSimulator({ seed: 5, startMs: START, now, ...opts });
  return sim;
}

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const featuresPath =
  `/iot/v2/features/installations/${VIESSMANN_IDS.installationId}` +
  `/gateways/${VIESSMANN_IDS.gatewaySerial}/devices/${VIESSMANN_IDS.deviceId}/features`;

async function login(s: Simulator, redirectUri = "http://localhost:4200/") {
  const cfg = { clientId: s.env.VIESSMANN_CLIENT_ID!, authUrl: s.viessmannAuthUrl, redirectUri };
  const pkce = createPkce();
  const res = await fetch(authorizeUrl(cfg, pkce.challenge, "st-1"), { redirect: "manual" });
  expect(res.status).toBe(302);
  const to = new URL(res.headers.get("location")!);
  expect(to.origin + to.pathname).toBe(redirectUri);
  expect(to.searchParams.get("state")).toBe("st-1");
  return { cfg, pkce, code: to.searchParams.get("code")! };
}

describe("simulated Shelly Pro 3EM", () => {
  it("answers the collector's client and parser, and its counter follows simulated time", async () => {
    const s = await start({ speed: 60 });
    const client = createShellyClient({ url: s.shellyUrl, password: undefined, clock: { now } });
    try {
      const info = parseDeviceInfo(await client.call("Shelly.GetDeviceInfo"));
      expect(info).toMatchObject({ id: "shellypro3em-sim000000", profile: "triphase", authEnabled: false });
      const first = parseStatus(await client.call("Shelly.GetStatus"));
      expect(first.notes).toEqual([]);
      for (const k of [
        "power_w",
        "power_a_w",
        "voltage_c_v",
        "current_b_a",
        "energy_wh",
        "energy_ret_wh",
      ] as const)
        expect(first.fields[k]).toBeTypeOf("number");
      expect(first.fields.voltage_a_v).toBeGreaterThan(220);
      expect(first.fields.voltage_a_v).toBeLessThan(240);
      realMs += 60_000; // one real minute = one simulated hour at 60x
      const later = parseStatus(await client.call("Shelly.GetStatus"));
      const used = later.fields.energy_wh! - first.fields.energy_wh!;
      // A January hour: between standby and full power.
      expect(used).toBeGreaterThan(10);
      expect(used).toBeLessThan(5000);
      // The meter's counter is the model's, rounded to 0.01 Wh as the device reports it.
      expect(later.fields.energy_wh).toBeCloseTo(s.live.model.energyWh, 1);
    } finally {
      client.close();
    }
  });

  it("asks for SHA-256 digest auth when a password is set and accepts the right one", async () => {
    const s = await start({ shellyPassword: "s3cret" });
    expect(s.env.SHELLY_PASSWORD).toBe("s3cret");
    const open = await fetch(`${s.shellyUrl}/rpc/Shelly.GetStatus`);
    expect(open.status).toBe(401);
    expect(open.headers.get("www-authenticate")).toMatch(
      /^Digest qop="auth", realm="shellypro3em-sim000000", nonce="[^"]+", algorithm=SHA-256$/,
    );
    const info = (await (await fetch(`${s.shellyUrl}/rpc/Shelly.GetDeviceInfo`)).json()) as {
      auth_en: boolean;
    };
    expect(info.auth_en).toBe(true);
    const good = createShellyClient({ url: s.shellyUrl, password: "s3cret", clock: { now } });
    const bad = createShellyClient({ url: s.shellyUrl, password: "wrong", clock: { now } });
    try {
      // Two calls: the second reuses the nonce with a higher nc.
      expect(parseStatus(await good.call("Shelly.GetStatus")).fields.power_w).toBeTypeOf("number");
      expect(parseStatus(await good.call("Shelly.GetStatus")).fields.energy_wh).toBeGreaterThan(0);
      await expect(bad.call("Shelly.GetStatus")).rejects.toMatchObject({ kind: "auth" });
    } finally {
      good.close();
      bad.close();
    }
  });

  it("speaks the monophase profile (EM1 ids 0..2) and the RPC error shapes", async () => {
    const s = await start({ profile: "monophase" });
    const get = async (path: string) => {
      const r = await fetch(`${s.shellyUrl}${path}`);
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    expect((await get("/rpc/Shelly.GetDeviceInfo")).body.profile).toBe("monophase");
    const st = parseStatus((await get("/rpc/Shelly.GetStatus")).body);
    expect(st.fields.power_b_w).toBe(0);
    expect(st.fields.power_a_w).toBeGreaterThan(0);
    expect((await get("/rpc/EM1.GetStatus?id=2")).body).toMatchObject({
      id: 2,
      act_power: 0,
      calibration: "factory",
    });
    expect((await get("/rpc/EM1Data.GetStatus?id=0")).body.total_act_energy).toBeGreaterThan(1000);
    expect(await get("/rpc/EM1.GetStatus?id=7")).toEqual({
      status: 500,
      body: { code: -105, message: "Argument 'id', value 7 not found!" },
    });
    expect(await get("/rpc/EM.GetStatus?id=0")).toEqual({
      status: 404,
      body: { code: 404, message: "No handler for EM.GetStatus" },
    });
    const frame = await fetch(`${s.shellyUrl}/rpc`, {
      method: "POST",
      body: JSON.stringify({ id: 9, method: "EM1Data.GetStatus", params: { id: 1 } }),
    });
    expect(await frame.json()).toMatchObject({ id: 9, src: "shellypro3em-sim000000", result: { id: 1 } });
  });
});

describe("simulated Viessmann cloud", () => {
  it(
    "logs in with PKCE, rotates refresh tokens and serves features " +
      "the collector's parser maps completely",
    async () => {
      const s = await start();
      const { cfg, code } = await login(s);
      await expect(exchangeCode(cfg, code, "not-the-verifier")).rejects.toMatchObject({ kind: "auth" });
      const { code: code2 } = await login(s);
      const tokens = await exchangeCode(cfg, code2, createPkce().verifier).catch((e: unknown) => e);
      expect(tokens).toMatchObject({ kind: "auth" }); // the verifier of another login
      const { pkce: p3, code: code3 } = await login(s);
      const t1 = await exchangeCode(cfg, code3, p3.verifier);
      expect(t1.expires_in).toBe(3600);
      const t2 = await refreshTokens(cfg, t1.refresh_token!);
      expect(t2.refresh_token).not.toBe(t1.refresh_token);
      await expect(refreshTokens(cfg, t1.refresh_token!)).rejects.toMatchObject({ kind: "auth" }); // spent

      const auth = { authorization: `Bearer ${t2.access_token}` };
      const inst = (await (
        await fetch(`${s.viessmannApiUrl}/iot/v2/equipment/installations?includeGateways=true`, {
          headers: auth,
        })
      ).json()) as {
        data: { gateways: { devices: { id: string; roles: string[] }[] }[] }[];
      };
      expect(inst.data[0]!.gateways[0]!.devices.find((d) => d.id === "0")!.roles).toContain("type:heatpump");

      const body = await (await fetch(`${s.viessmannApiUrl}${featuresPath}`, { headers: auth })).json();
      const reading = mapHeatpump(parseFeaturesBody(body));
      expect(Object.keys(reading).sort()).toEqual(Object.keys(HEATPUMP_FIELDS).sort());
      const m = s.live.model;
      expect(reading.outside_c).toBeCloseTo(m.outsideC, 0);
      expect(reading.compressor_starts).toBe(m.compressorStarts);
      expect(reading.curve_slope).toBe(m.house.curveSlope);
      // January 15th, 07:00 local: the day counter holds the night's heat.
      expect(reading.heat_heating_day_kwh).toBeGreaterThan(5);
      expect(reading.heat_heating_day_kwh).toBeCloseTo(m.counters.today.heatHeatingWh / 1000, 0);

      const one = (await (
        await fetch(`${s.viessmannApiUrl}${featuresPath}/heating.power.consumption.total`, { headers: auth })
      ).json()) as {
        data: { properties: { day: { value: number[] }; week: { value: number[] } } };
      };
      const day = one.data.properties.day.value;
      expect(day).toHaveLength(8);
      // Warm-up filled a week of January days, each with real consumption.
      for (const v of day.slice(1)) expect(v).toBeGreaterThan(5);
    },
  );

  it("rejects unknown clients and expired tokens with the real bodies", async () => {
    const s = await start({ clientId: "my-client" });
    const bad = await fetch(
      `${s.viessmannAuthUrl}/idp/v3/authorize?client_id=other&redirect_uri=http://x/` +
        "&response_type=code&code_challenge=a&code_challenge_method=S256",
      { redirect: "manual" },
    );
    expect(await bad.json()).toMatchObject({ error_description: "Client not registered." });
    const { cfg, pkce, code } = await login(s);
    const t = await exchangeCode(cfg, code, pkce.verifier);
    realMs += 3601_000;
    const r = await fetch(`${s.viessmannApiUrl}${featuresPath}`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ errorType: "UNAUTHORIZED", error: "EXPIRED TOKEN" });
  });

  it("enforces the daily limit with the real 429 body and injects offline, 5xx and latency", async () => {
    const s = await start({ dailyLimit: 4 });
    const { cfg, pkce, code } = await login(s);
    const t = await exchangeCode(cfg, code, pkce.verifier);
    const get = async () => {
      const r = await fetch(`${s.viessmannApiUrl}${featuresPath}`, {
        headers: { authorization: `Bearer ${t.access_token}` },
      });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    expect((await get()).status).toBe(200);
    const set = (patch: object) =>
      fetch(`${s.viessmannApiUrl}/_sim/faults`, { method: "POST", body: JSON.stringify(patch) });
    await set({ deviceOffline: true });
    expect(await get()).toMatchObject({
      status: 400,
      body: { errorType: "DEVICE_COMMUNICATION_ERROR", extendedPayload: { reason: "DEVICE_OFFLINE" } },
    });
    await set({ deviceOffline: false, failNext: 1 });
    expect((await get()).status).toBe(502);
    expect((await set({ latencyMs: "slow" })).status).toBe(400);
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      errorType: "RATE_LIMIT_EXCEEDED",
      statusCode: 429,
      message: "API calls rate limit has been exceeded. Please wait until your limit will renew.",
      extendedPayload: { name: "ViCare day limit", requestCountLimit: 4 },
    });
    const reset = (limited.body.extendedPayload as { limitReset: number }).limitReset;
    expect(reset % 86_400_000).toBe(4_000);
    expect(reset).toBeGreaterThan(realMs);
    realMs = reset; // next UTC day; the access token has expired meanwhile
    const fresh = await refreshTokens(cfg, t.refresh_token!);
    const r = await fetch(`${s.viessmannApiUrl}${featuresPath}`, {
      headers: { authorization: `Bearer ${fresh.access_token}` },
    });
    expect(r.status).toBe(200);
  });
});

describe("live model and history", () => {
  it("continue each other exactly: same seed, zone and start midnight give the same counters", async () => {
    // History of 3 days ending Jan 14 + the day of Jan 15; the live model starts at Jan 15 00:00 local.
    const midnight = Date.parse("2026-01-14T23:00:00Z");
    const s = await start({ startMs: midnight, warmupDays: 3, tz: "Europe/Berlin" });
    let seam: Record<string, unknown> | undefined;
    let backupSeam: Record<string, unknown> | undefined;
    let heat: Record<string, unknown> | undefined;
    for (const chunk of historyChunks({ days: 4, end: "2026-01-15", seed: 5, tz: "Europe/Berlin" })) {
      for (const l of chunk.split("\n")) {
        const p = parseLine(l);
        if (p?.timeMs !== midnight) continue;
        // The heat pump's meter (stored without a role before roles) and the backup heater's.
        if (p.measurement === "electric" && (p.tags.role ?? "heatpump") === "heatpump") seam = p.fields;
        if (p.measurement === "electric" && p.tags.role === "backup") backupSeam = p.fields;
        if (p.measurement === "heatpump") heat = p.fields;
      }
    }
    const m = s.live.model;
    expect(m.t).toBe(midnight);
    expect(seam!.energy_wh).toBe(Math.round(m.energyWh * 100) / 100);
    // The backup meter's counter too, where the history writes one.
    if (backupSeam) expect(backupSeam.energy_wh).toBe(Math.round(m.backupEnergyWh * 100) / 100);
    expect(heat!.compressor_starts).toBe(m.compressorStarts);
    expect(heat!.dhw_c).toBe(Math.round(m.tankC * 10) / 10);
    // And the live Viessmann side carries the history's device tag.
    expect(`${VIESSMANN_IDS.gatewaySerial}-${VIESSMANN_IDS.deviceId}`).toBe("7633100000000001-0");
  });
});
