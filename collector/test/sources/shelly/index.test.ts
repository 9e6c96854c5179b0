/**
 * The Shelly source against the fake Pro 3EM on loopback (../../fakes/shelly-server.ts): profiles,
 * digest auth (nonce reuse, stale, pre-2.0 nonces, wrong password, 429) and every fault turning into
 * the right ExpectedError and no point.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../../core/src/effects.ts";
import type { ExpectedErrorKind } from "../../../../core/src/errors.ts";
import type { Source } from "../../../src/sources/source.ts";
import {
  createShellySource,
  type ShellyMeter,
  type ShellySourceOptions,
} from "../../../src/sources/shelly/index.ts";
import { parseStatus } from "../../../src/sources/shelly/parse.ts";
import { type FakeShelly, type FakeShellyOptions, startFakeShelly } from "../../fakes/shelly-server.ts";
import { rejection } from "../../../../core/test/expected-error.ts";

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const PASSWORD = "s3cret-Pr0-3EM";
const ha = JSON.parse(
  readFileSync(new URL("../../fixtures/shelly/raw/ha_core_pro_3em_fw1.6.1.json", import.meta.url), "utf8"),
) as { status: unknown };

let devices: FakeShelly[] = [];
let sources: Source[] = [];
afterEach(async () => {
  await Promise.all(sources.map((s) => s.close?.()));
  await Promise.all(devices.map((d) => d.close()));
  devices = [];
  sources = [];
});

/** Starts a fake device and a source for it; the source's password defaults to the device's. */
async function setup(fake: FakeShellyOptions = {}, opts: ShellySourceOptions & { password?: string } = {}) {
  const password = "password" in opts ? opts.password : fake.password;
  const dev = await startFakeShelly(fake);
  devices.push(dev);
  let now = T0;
  const clock = { now: () => now };
  const logger = memoryLogger();
  const source = createShellySource(
    { url: dev.url, password, intervalMs: 10_000 },
    { clock, logger, dataDir: "/nonexistent" },
    { timeoutMs: 1000, ...opts },
  );
  sources.push(source);
  return { dev, source, logger, clock, setNow: (t: number) => (now = t) };
}

describe("Shelly source without password", () => {
  it("triphase: describes the device and writes one electric point per poll at the poll time", async () => {
    const { dev, source } = await setup();
    const desc = await source.start(T0);
    expect(desc).toBe(
      `SPEM-003CEBEU shellypro3em-aabbccddeeff (firmware 1.6.1, triphase, password off) at ${dev.url}`,
    );
    const [p, ...more] = await source.poll(T0 + 10_000);
    expect(more).toEqual([]);
    expect(p).toEqual({
      measurement: "electric",
      tags: { device: "shellypro3em-aabbccddeeff", role: "heatpump" },
      fields: parseStatus(ha.status).fields,
      timeMs: T0 + 10_000,
    });
    expect(dev.calls.map((c) => c.path)).toEqual(["/rpc/Shelly.GetDeviceInfo", "/rpc/Shelly.GetStatus"]);
  });

  it("follows the counters the device advances", async () => {
    const { dev, source } = await setup();
    await source.start(T0);
    const [before] = await source.poll(T0);
    dev.advance(3_600_000); // one hour at 2166.2 + 3.6 + 244.0 W
    const [after] = await source.poll(T0 + 3_600_000);
    const rise = Number(after!.fields.energy_wh) - Number(before!.fields.energy_wh);
    expect(rise).toBeCloseTo(2413.8, 1);
  });

  it("monophase: phases from em1:0..2 and summed counters", async () => {
    const { source } = await setup({ profile: "monophase" });
    expect(await source.start(T0)).toContain(
      "shellypro3em-c8f09e878a5c (firmware 1.4.4, monophase, password off)",
    );
    const [p] = await source.poll(T0);
    expect(p!.tags).toEqual({ device: "shellypro3em-c8f09e878a5c", role: "heatpump" });
    expect(p!.fields).toMatchObject({
      power_w: 364.8,
      power_b_w: 364.8,
      energy_wh: 324.68,
      energy_ret_wh: 0.31,
    });
  });

  it("poll() identifies the device itself when start() was not called", async () => {
    const { source, dev } = await setup();
    const [p] = await source.poll(T0);
    expect(p!.tags.device).toBe("shellypro3em-aabbccddeeff");
    expect(dev.requests).toBe(2);
  });

  it("nextPollAt: now before the first poll, then every interval", async () => {
    const { source } = await setup();
    expect(source.nextPollAt(undefined, T0)).toBe(T0);
    expect(source.nextPollAt(T0, T0 + 1)).toBe(T0 + 10_000);
  });
});

describe("Shelly source with password (SHA-256 digest)", () => {
  it("reuses one nonce with increasing nc across polls", async () => {
    const { dev, source } = await setup({ password: PASSWORD });
    expect(await source.start(T0)).toContain("password on");
    for (let i = 0; i < 5; i++) await source.poll(T0 + i * 10_000);
    expect(dev.stats.challenges).toBe(1);
    const authed = dev.calls.filter((c) => c.nonce !== undefined);
    expect(authed.map((c) => c.nc)).toEqual(["00000001", "00000002", "00000003", "00000004", "00000005"]);
    expect(new Set(authed.map((c) => c.nonce)).size).toBe(1);
    expect(authed[0]!.nonce).toMatch(/=$/); // Base64 nonce with padding survived the header split
    expect(authed.every((c) => c.status === 200)).toBe(true);
    expect(dev.requests).toBe(1 + 1 + 5); // GetDeviceInfo, the first 401, five polls
  });

  it("re-challenges on 401 stale=true without calling it a wrong password", async () => {
    const { dev, source } = await setup({ password: PASSWORD });
    await source.poll(T0);
    dev.expireNonces();
    const [p] = await source.poll(T0 + 10_000);
    expect(p!.fields.power_w).toBe(2413.825);
    const last = dev.calls.slice(-2);
    expect(last.map((c) => [c.status, c.nc])).toEqual([
      [401, "00000002"],
      [200, "00000001"],
    ]);
    expect(last[0]!.nonce).not.toBe(last[1]!.nonce);
    expect(dev.stats.authFailures).toBe(0);
  });

  it("works with pre-2.0 firmware that refuses a reused nonce (fresh challenge each request)", async () => {
    const { dev, source } = await setup({ password: PASSWORD, nonceMaxUses: 1 });
    for (let i = 0; i < 3; i++) expect(await source.poll(T0 + i * 10_000)).toHaveLength(1);
    expect(dev.stats.authFailures).toBe(0);
  });

  it("a wrong password is an auth error naming SHELLY_PASSWORD, and the password appears nowhere", async () => {
    const { dev, source, logger } = await setup({ password: "the-right-one" }, { password: PASSWORD });
    await source.start(T0); // GetDeviceInfo needs no auth
    const e = await rejection(source.poll(T0));
    expect(e.kind).toBe("auth");
    expect(e.message).toContain("SHELLY_PASSWORD");
    expect(e.message).toContain(dev.url);
    // The next poll offers the nonce it was just given: one request, same verdict.
    const before = dev.requests;
    const e2 = await rejection(source.poll(T0 + 10_000));
    expect(e2.kind).toBe("auth");
    expect(dev.requests - before).toBe(1);
    const everything = [e.message, e2.message, String(e.stack), ...logger.lines].join("\n");
    expect(everything).not.toContain(PASSWORD);
  });

  it("repeated wrong passwords exhaust the nonce slots: 429 becomes rate-limited with back-off", async () => {
    const { source } = await setup({ password: "the-right-one", nonceSlots: 3 }, { password: PASSWORD });
    const kinds: ExpectedErrorKind[] = [];
    for (let i = 0; i < 5; i++) kinds.push((await rejection(source.poll(T0 + i))).kind);
    expect(kinds).toContain("auth");
    expect(kinds.at(-1)).toBe("rate-limited");
  });

  it("a device with auth on and no SHELLY_PASSWORD stops at start with an auth error", async () => {
    const { source } = await setup({ password: PASSWORD }, { password: undefined });
    const e = await rejection(source.start(T0));
    expect(e.kind).toBe("auth");
    expect(e.message).toMatch(/authentication on; set SHELLY_PASSWORD/);
  });

  it("429: rate-limited with retryAtMs >= now + 2 s, no request before then, recovery after", async () => {
    const { dev, source, setNow } = await setup({ password: PASSWORD });
    await source.poll(T0);
    await dev.setFault("throttle");
    setNow(T0 + 10_000);
    const e = await rejection(source.poll(T0 + 10_000));
    expect(e.kind).toBe("rate-limited");
    expect(e.retryAtMs).toBeGreaterThanOrEqual(T0 + 12_000);
    expect(source.nextPollAt(T0 + 10_000, T0 + 10_000)).toBeGreaterThanOrEqual(e.retryAtMs!);
    await dev.setFault(undefined);
    const requests = dev.requests;
    setNow(T0 + 11_000);
    expect((await rejection(source.poll(T0 + 11_000))).kind).toBe("rate-limited");
    expect(dev.requests).toBe(requests); // backed off: the device was not called
    setNow(e.retryAtMs!);
    expect(await source.poll(e.retryAtMs!)).toHaveLength(1);
  });
});

describe("Shelly source faults: an ExpectedError and no point, then recovery", () => {
  const cases: [
    FakeShellyOptions["profile"],
    Parameters<FakeShelly["setFault"]>[0],
    ExpectedErrorKind,
    RegExp,
  ][] = [
    ["triphase", "down", "unreachable", /refused the connection; check SHELLY_URL/],
    ["triphase", "reset", "unreachable", /closed the connection/],
    ["triphase", "slow", "unreachable", /did not answer Shelly.GetStatus within 0.3 s/],
    ["triphase", "non-json", "payload", /not JSON \("<html><body>Shelly/],
    ["triphase", "html-500", "server", /HTTP 500/],
    ["triphase", "rpc-error", "payload", /RPC error -114 "Method Shelly.GetStatus failed: Unavailable"/],
    ["triphase", "em-errors", "payload", /em:0 reports errors \[power_meter_failure\]/],
    ["triphase", "emdata-errors", "payload", /emdata:0 reports errors \[database_error\]/],
    ["monophase", "em-errors", "payload", /em1:0 reports errors \[power_meter_failure\]/],
    ["monophase", "emdata-errors", "payload", /em1data:0 reports errors \[database_error\]/],
  ];
  it.each(cases)("%s %s -> %s", async (profile, fault, kind, message) => {
    const { dev, source } = await setup({ profile, password: PASSWORD }, { timeoutMs: 300 });
    await source.start(T0);
    await dev.setFault(fault);
    const e = await rejection(source.poll(T0 + 10_000));
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(message);
    expect(e.message).toContain(dev.url);
    expect(e.message).not.toContain(PASSWORD);
    expect(e.message).not.toMatch(/^Error/);
    await dev.setFault(undefined);
    expect(await source.poll(T0 + 20_000)).toHaveLength(1);
  });

  it.each([false, true])(
    "an answer over 1 MB is refused unread (Content-Length announced: %s), then recovery",
    async (announced) => {
      const { dev, source } = await setup(
        { password: PASSWORD, oversizeContentLength: announced },
        { timeoutMs: 5000 },
      );
      await source.start(T0);
      await dev.setFault("oversized"); // 50 MiB of JSON
      const e = await rejection(source.poll(T0 + 10_000));
      expect(e.kind).toBe("payload");
      expect(e.message).toBe(
        `Shelly at ${dev.url} answered Shelly.GetStatus with more than 1 MB${announced ? " (50 MB announced)" : ""}, ` +
          "far more than a Shelly meter sends; the answer was not read. " +
          "Check that SHELLY_URL is the address of the meter",
      );
      // The request stopped at the limit: what the server got out is the limit plus the socket
      // buffers in between, not the 50 MB body.
      await new Promise((r) => setTimeout(r, 200));
      expect(dev.bytesSent).toBeLessThan(10 * 1024 * 1024);
      await dev.setFault(undefined);
      expect(await source.poll(T0 + 20_000)).toHaveLength(1);
    },
  );

  it("start() against a device that is down is an unreachable error", async () => {
    const { dev, source } = await setup();
    await dev.setFault("down");
    expect((await rejection(source.start(T0))).kind).toBe("unreachable");
  });

  it.each(["triphase", "monophase"] as const)(
    "%s phase out of range: the field is left out, the rest written, one log line per change",
    async (profile) => {
      const { dev, source, logger } = await setup({ profile });
      await source.start(T0);
      await dev.setFault("phase-out-of-range");
      const [p1] = await source.poll(T0);
      const [p2] = await source.poll(T0 + 10_000);
      expect(p1!.fields).not.toHaveProperty("voltage_a_v");
      expect(p2!.fields).toHaveProperty("current_a_a");
      expect(p2!.fields).toHaveProperty("energy_wh");
      await dev.setFault(undefined);
      const [p3] = await source.poll(T0 + 20_000);
      expect(p3!.fields).toHaveProperty("voltage_a_v");
      const lines = logger.lines.filter((l) => l.includes("shelly:"));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/warn .*out of range: voltage/);
      expect(lines[1]).toMatch(/info .*complete again/);
    },
  );
});

describe("meters other than the Pro 3EM, each with its role", () => {
  /** A source for one meter of SHELLY_METERS against a fake device. */
  async function meter(fake: FakeShellyOptions, m: Partial<ShellyMeter>) {
    const dev = await startFakeShelly(fake);
    devices.push(dev);
    const logger = memoryLogger();
    const source = createShellySource(
      { url: dev.url, password: undefined, intervalMs: 10_000, ...m },
      { clock: { now: () => T0 }, logger, dataDir: "/nonexistent" },
      { timeoutMs: 1000 },
    );
    sources.push(source);
    return { dev, source, logger };
  }

  it("a Pro EM's channel 1 as the backup meter: role tag, its own label and health tags", async () => {
    const { dev, source } = await meter(
      { profile: "proem" },
      { role: "backup", channel: { component: "em1", id: 1 }, setting: "SHELLY_METERS (backup)" },
    );
    expect(source.label).toBe("shelly backup");
    expect(source.tags).toEqual({ role: "backup" });
    expect(await source.start(T0)).toBe(
      `SPEM-002CEBEU50 shellyproem50-08f9e0e7a170 (firmware 1.4.4, ProEM, password off), channel em1:1 at ${dev.url}`,
    );
    expect(await source.poll(T0)).toEqual([
      {
        measurement: "electric",
        tags: { device: "shellyproem50-08f9e0e7a170", role: "backup" },
        // em1:1 and em1data:1 of the capture (evcc #12252).
        fields: {
          power_w: 6769.3,
          voltage_a_v: 221.4,
          current_a_a: 30.665,
          energy_wh: 9671.54,
          energy_ret_wh: 2595.26,
        },
        timeMs: T0,
      },
    ]);
    // One call per poll, as with the Pro 3EM: GetDeviceInfo at start, then GetStatus.
    expect(dev.calls.map((c) => c.path)).toEqual(["/rpc/Shelly.GetDeviceInfo", "/rpc/Shelly.GetStatus"]);
    dev.advance(3_600_000); // an hour at 6769.3 W: 9671.54 + 6769.3 = 16440.84 Wh
    const [p] = await source.poll(T0 + 3_600_000);
    expect(p!.fields.energy_wh).toBe(16440.84);
  });

  it("a channel the device does not have: a payload error naming the URL, the channel and the fix", async () => {
    const { dev, source } = await meter(
      { profile: "proem" },
      { role: "backup", channel: { component: "em1", id: 2 }, setting: "SHELLY_METERS (backup)" },
    );
    const e = await rejection(source.poll(T0));
    expect(e.kind).toBe("payload");
    expect(e.message).toBe(
      `Shelly at ${dev.url}: shellyproem50-08f9e0e7a170 (ProEM): there is no em1:2 on this device, ` +
        "it has em1:0, em1:1; name one of them after the URL in SHELLY_METERS, e.g. #em1:0",
    );
  });

  it("a Plus 1PM without a channel: its switch:0, energy from aenergy.total", async () => {
    const { dev, source } = await meter({ profile: "plus1pm" }, { role: "backup" });
    await source.start(T0);
    dev.setStatus({ "switch:0": { apower: 3000, output: true } });
    const [p0] = await source.poll(T0);
    expect(p0).toEqual({
      measurement: "electric",
      tags: { device: "shellyplus1pm-aabbccddeeff", role: "backup" },
      fields: { power_w: 3000, voltage_a_v: 232.8, current_a_a: 0, energy_wh: 110.046 },
      timeMs: T0,
    });
    dev.advance(1_800_000); // half an hour at 3000 W: 110.046 + 1500 = 1610.046 Wh
    const [p1] = await source.poll(T0 + 1_800_000);
    expect(p1!.fields.energy_wh).toBe(1610.046);
  });

  it("messages name the meter's setting, not SHELLY_URL", async () => {
    const { dev, source } = await meter(
      { profile: "plus1pm" },
      { role: "pumps", setting: "SHELLY_METERS (pumps)" },
    );
    await dev.setFault("down");
    expect((await rejection(source.start(T0))).message).toBe(
      `Shelly at ${dev.url} refused the connection; check SHELLY_METERS (pumps) (host and port) ` +
        "and that the meter is powered",
    );
  });
});
