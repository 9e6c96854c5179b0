import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MEASUREMENT } from "../../../../core/src/data/catalogue.ts";
import { createViessmannSource } from "../../../src/sources/viessmann/index.ts";
import { tokenFilePath } from "../../../src/sources/viessmann/token-store.ts";
import type { Source } from "../../../src/sources/source.ts";
import { FAKE_IDS, type FakeViessmann, startFakeViessmann } from "../../fakes/viessmann-api.ts";
import { fakeClock, memoryLogger, seedTokens, testConfig, tmpDataDir } from "./helpers.ts";
import { rejection } from "../../../../core/test/expected-error.ts";

const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
const NO_BURST = { limit: 1_000_000, intervalMs: 1000 };

let fake: FakeViessmann | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(
  opts: { seed?: boolean; config?: Parameters<typeof testConfig>[1]; timeoutMs?: number } = {},
) {
  const clock = fakeClock(T0);
  fake = await startFakeViessmann({ clock });
  const dataDir = tmpDataDir();
  if (opts.seed !== false) seedTokens(fake, dataDir, clock.now());
  const logger = memoryLogger();
  const make = () =>
    createViessmannSource(
      testConfig(fake!, opts.config),
      { clock, logger, dataDir },
      { burst: NO_BURST, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) },
    );
  return { clock, fake, dataDir, logger, make, source: make() };
}

const diskRefreshToken = (dataDir: string) =>
  (JSON.parse(readFileSync(tokenFilePath(dataDir), "utf8")) as { refresh_token: string }).refresh_token;

describe("start: discovery", () => {
  it("chooses the heat pump, logs the other devices, remembers the ids for the next start", async () => {
    const { fake, dataDir, logger, make, source, clock } = await setup();
    const line = await source.start(clock.now());
    expect(line).toContain("E3_Vitocal_16");
    expect(fake.calls.installations).toBe(1);
    const saved = JSON.parse(readFileSync(join(dataDir, "viessmann-device.json"), "utf8"));
    expect(saved).toEqual({ ...FAKE_IDS, modelId: "E3_Vitocal_16" });
    expect(logger.lines.join("\n")).toMatch(
      /chose heat pump installation 2012616, gateway 7633107093013212, device 0/,
    );
    expect(logger.lines.join("\n")).toMatch(
      /other devices on the account: .*device gateway .*device RoomControl-1/,
    );

    await make().start(clock.now()); // restart: no second installations call
    expect(fake.calls.installations).toBe(1);
  });

  it("with all three VIESSMANN_* ids set it makes no discovery call", async () => {
    const { fake, source, clock } = await setup({
      config: { installationId: "2012616", gatewaySerial: "7633107093013212", deviceId: "0" },
    });
    await source.start(clock.now());
    expect(fake.calls.installations).toBe(0);
    expect((await source.poll(clock.now())).length).toBeGreaterThan(100);
  });

  it("a token file others can read is made 0600 when the collector starts, with a log line", async () => {
    const { dataDir, make, logger } = await setup();
    const path = tokenFilePath(dataDir);
    chmodSync(path, 0o644); // e.g. restored from a backup
    make(); // the source is created at start; its first poll may be minutes away
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(logger.lines.join("\n")).toContain(
      `${path} was readable by other users (mode 0644); made it 0600`,
    );
    make(); // already private: nothing to say
    expect(logger.lines.filter((l) => l.includes("made it 0600"))).toHaveLength(1);
  });

  it("without a login, start stops the source and says to run npm run login", async () => {
    const { source, clock, fake } = await setup({ seed: false });
    const e = await rejection(source.start(clock.now()));
    expect(e.kind).toBe("auth");
    expect(e.fatalForSource).toBe(true);
    expect(e.message).toContain("npm run login");
    expect(fake.calls.total).toBe(0);
  });
});

describe("poll", () => {
  it("one features call per poll: heatpump point + raw features at the poll time, every call counted", async () => {
    const { fake, source, clock } = await setup();
    await source.start(clock.now());
    clock.advance(1000);
    const points = await source.poll(clock.now());
    expect(fake.calls.features).toBe(1);
    const hp = points.find((p) => p.measurement === MEASUREMENT.heatpump)!;
    expect(hp.tags).toEqual({ device: "7633107093013212-0" });
    expect(hp.fields).toMatchObject({
      flow_c: 43.2,
      return_c: 39.3,
      flow_lph: 970,
      inverter_w: 1508,
      dhw_active: 1,
    });
    expect(points.every((p) => p.timeMs === T0 + 1000)).toBe(true);
    expect(source.health!(clock.now())).toEqual({ calls_today: 2, budget: 1400 });
  });

  it("EXPIRED TOKEN: refreshes once, retries once, and the rotated refresh token is on disk (0600)", async () => {
    const { fake, dataDir, source, clock } = await setup();
    await source.start(clock.now());
    const before = diskRefreshToken(dataDir);
    fake.expireAccessTokens();
    await source.poll(clock.now());
    expect(fake.calls.token).toBe(1);
    expect(fake.calls.features).toBe(2); // the 401 and the retry
    expect(diskRefreshToken(dataDir)).not.toBe(before);
    expect(diskRefreshToken(dataDir)).toBe(fake.validRefreshToken());
    expect(statSync(tokenFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect(source.health!(clock.now()).calls_today).toBe(4); // installations, 401, token, retry
  });

  it("an EXPIRED TOKEN twice in a row is an auth error, not a loop", async () => {
    const { fake, source, clock } = await setup();
    await source.start(clock.now());
    fake.script.push("expired-token", "expired-token", "ok");
    const e = await rejection(source.poll(clock.now()));
    expect(e.kind).toBe("auth");
    expect(fake.calls.features).toBe(2);
    expect(fake.calls.token).toBe(1);
  });

  it("refreshes shortly before expiry and writes every rotated refresh token to disk at once", async () => {
    const { fake, dataDir, source, clock } = await setup();
    await source.start(clock.now());
    for (let i = 0; i < 12; i++) {
      clock.advance(30 * 60_000); // 30 min per poll: a refresh every second poll
      await source.poll(clock.now());
      expect(diskRefreshToken(dataDir)).toBe(fake.validRefreshToken());
    }
    expect(fake.calls.token).toBe(6);
    // No request ever reached the API with an expired token: the refresh came first.
    expect(fake.calls.features).toBe(12);
    expect(new Set(fake.issuedRefreshTokens).size).toBe(7);
  });

  it("invalid_grant stops the source with a login hint and makes no further calls", async () => {
    const { fake, source, clock } = await setup();
    await source.start(clock.now());
    fake.revokeRefreshToken();
    clock.advance(2 * 3600_000); // access token expired: a refresh is needed
    const e = await rejection(source.poll(clock.now()));
    expect(e).toMatchObject({ kind: "auth", fatalForSource: true });
    expect(e.message).toContain("npm run login");
    const calls = fake.calls.total;
    const again = await rejection(source.poll(clock.now()));
    expect(again.fatalForSource).toBe(true);
    expect(fake.calls.total).toBe(calls);
  });

  it("429: rate-limited until limitReset, no call before it, also after a restart", async () => {
    const { fake, source, make, clock } = await setup();
    await source.start(clock.now());
    fake.script.push("rate-limit");
    const e = await rejection(source.poll(clock.now()));
    const reset = Date.UTC(2026, 10, 21, 0, 0, 4);
    expect(e).toMatchObject({ kind: "rate-limited", retryAtMs: reset });
    expect(source.nextPollAt(clock.now(), clock.now())).toBe(reset);
    const calls = fake.calls.total;
    clock.advance(3600_000);
    expect((await rejection(source.poll(clock.now()))).kind).toBe("rate-limited");
    const restarted = make();
    await restarted.start(clock.now()); // ids remembered: no call
    expect(restarted.nextPollAt(undefined, clock.now())).toBe(reset);
    expect((await rejection(restarted.poll(clock.now()))).retryAtMs).toBe(reset);
    expect(fake.calls.total).toBe(calls);
    clock.set(reset);
    expect((await restarted.poll(clock.now())).length).toBeGreaterThan(0);
  });

  it.each([
    ["device-offline", "offline", /DEVICE_OFFLINE/],
    ["gateway-offline", "offline", /GATEWAY_OFFLINE/],
    ["html-502", "server", /HTTP 502/],
    ["internal-500", "server", /HTTP 500.*INTERNAL_ERROR/],
  ] as const)("%s -> %s, a gap, and the next poll works", async (mode, kind, text) => {
    const { fake, source, clock } = await setup();
    await source.start(clock.now());
    fake.script.push(mode);
    const e = await rejection(source.poll(clock.now()));
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(text);
    expect((await source.poll(clock.now())).length).toBeGreaterThan(0);
    expect(source.health!(clock.now()).calls_today).toBe(3); // failed calls count
  });

  it("a hanging API is 'unreachable' after the timeout", async () => {
    const { fake, source, clock } = await setup({ timeoutMs: 300 });
    await source.start(clock.now());
    fake.script.push("hang");
    const e = await rejection(source.poll(clock.now()));
    expect(e.kind).toBe("unreachable");
    expect(e.message).toMatch(/unreachable/);
  });

  it("an answer over 10 MB is refused unread: a payload gap, then the next poll works", async () => {
    const { fake, source, clock } = await setup();
    await source.start(clock.now());
    fake.script.push("oversized"); // 11 MiB, chunked
    const e = await rejection(source.poll(clock.now()));
    expect(e.kind).toBe("payload");
    expect(e.message).toBe(
      `Viessmann ${new URL(fake.url).host} sent an answer larger than 10 MB; it was not read`,
    );
    expect((await source.poll(clock.now())).length).toBeGreaterThan(100);
  });

  it("no token value in any log line or error message", async () => {
    const { fake, source, logger, clock, dataDir } = await setup();
    const messages: string[] = [];
    await source.start(clock.now());
    for (const mode of ["expired-token", "html-502", "device-offline", "rate-limit"] as const) {
      fake.script.push(mode);
      try {
        await source.poll(clock.now());
      } catch (e) {
        messages.push(String(e), (e as Error).message, JSON.stringify(e));
      }
    }
    fake.revokeRefreshToken();
    clock.advance(2 * 86_400_000);
    try {
      await source.poll(clock.now());
    } catch (e) {
      messages.push(String(e), (e as Error).message);
    }
    const text = messages.join("\n") + logger.lines.join("\n");
    const tokens = [...fake.issuedRefreshTokens, ...fake.bearers];
    expect(tokens.length).toBeGreaterThan(2);
    for (const t of tokens) expect(text).not.toContain(t);
    expect(existsSync(tokenFilePath(dataDir))).toBe(true);
  });
});

describe("nextPollAt", () => {
  it("uses the wanted interval while the budget allows it, stretches it when it does not", async () => {
    const { source, clock } = await setup({ config: { intervalMs: 300_000, dailyBudget: 1400 } });
    const now = clock.now();
    expect(source.nextPollAt(undefined, now)).toBe(now);
    expect(source.nextPollAt(now, now)).toBe(now + 300_000);

    const tight = (await setup({ config: { intervalMs: 60_000, dailyBudget: 100 } })).source as Source;
    // 14 h left in the UTC day, 100 calls minus 16 token refreshes: about one poll per 10 min.
    const next = tight.nextPollAt(now, now) - now;
    expect(next).toBeGreaterThan(9 * 60_000);
    expect(next).toBeLessThan(11 * 60_000);
  });

  it("says once a day when the budget is spent and polling stops, and when it resumes", async () => {
    const { make, clock, dataDir, logger } = await setup({ config: { dailyBudget: 40 } });
    // 10:00 UTC: 14 h left, a refresh every 55 min, so ceil(840 / 55) = 16 calls kept for refreshes.
    writeFileSync(join(dataDir, "viessmann-budget.json"), JSON.stringify({ day: "2026-11-20", calls: 24 }));
    const source = make(); // reads the budget file
    const midnight = Date.UTC(2026, 10, 21);
    expect(source.nextPollAt(clock.now() - 300_000, clock.now())).toBe(midnight); // 40 - 24 - 16 = 0 left
    clock.advance(60_000);
    expect(source.nextPollAt(clock.now() - 300_000, clock.now())).toBe(midnight);
    const spent = () => logger.lines.filter((l) => l.includes("budget spent"));
    expect(spent()).toEqual([
      "1970-01-01T00:00:00.000Z warn  viessmann: budget spent: 24 calls used today of VIESSMANN_DAILY_BUDGET=40, " +
        "the last 16 kept for token refreshes; polling resumes at 2026-11-21T00:00:00.000Z (00:00 UTC, when the " +
        "budget resets). If this happens every day, raise VIESSMANN_DAILY_BUDGET or VIESSMANN_INTERVAL (other " +
        "apps on the same client count too)",
    ]);
    clock.set(midnight); // a new UTC day: 40 calls, 27 kept, 13 polls spread over it
    expect(source.nextPollAt(midnight - 300_000, midnight)).toBe(
      midnight - 300_000 + Math.ceil(86_400_000 / 13),
    );
    expect(spent()).toHaveLength(1);
  });

  it("after a restart the first poll waits for the interval since the last recorded poll", async () => {
    const { source, make, clock, fake, logger } = await setup({ config: { intervalMs: 300_000 } });
    await source.start(clock.now());
    const polledAt = clock.now();
    await source.poll(polledAt);
    clock.advance(60_000); // restarted a minute later
    const restarted = make();
    expect(restarted.nextPollAt(undefined, clock.now())).toBe(polledAt + 300_000);
    expect(logger.lines.join("\n")).toContain(
      `last polled at ${new Date(polledAt).toISOString()}; ` +
        "the next poll waits for VIESSMANN_INTERVAL (300 s) since then",
    );
    clock.advance(240_000);
    await restarted.start(clock.now());
    await restarted.poll(clock.now());
    expect(fake.calls.features).toBe(2);
    // A clock set back behind the recorded poll does not stall polling.
    clock.set(polledAt - 3_600_000);
    expect(make().nextPollAt(undefined, clock.now())).toBe(clock.now());
  });
});
