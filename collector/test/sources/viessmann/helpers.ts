import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ViessmannConfig } from "../../../src/config.ts";
import { memoryLogger } from "../../../../core/src/effects.ts";
import { tokenFilePath, writeTokenFile } from "../../../src/sources/viessmann/token-store.ts";
import type { FakeViessmann } from "../../fakes/viessmann-api.ts";

export const tmpDataDir = (): string => mkdtempSync(join(tmpdir(), "viessmann-test-"));

/** A clock the test moves by hand. */
export function fakeClock(startMs: number): {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
} {
  let t = startMs;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export function testConfig(fake: FakeViessmann, over: Partial<ViessmannConfig> = {}): ViessmannConfig {
  return {
    clientId: "test-client",
    intervalMs: 300_000,
    dailyBudget: 1400,
    apiUrl: fake.url,
    authUrl: fake.url,
    redirectUri: "http://localhost:4200/",
    installationId: undefined,
    gatewaySerial: undefined,
    deviceId: undefined,
    ...over,
  };
}

/** Seeds DATA_DIR/viessmann-token.json as a finished `npm run login` would. */
export function seedTokens(fake: FakeViessmann, dataDir: string, nowMs: number): void {
  const t = fake.grantTokens();
  writeTokenFile(tokenFilePath(dataDir), {
    refresh_token: t.refresh_token,
    access_token: t.access_token,
    access_expires_at_ms: nowMs + t.expires_in * 1000,
    client_id: "test-client",
    refreshed_at_ms: nowMs,
  });
}

export { memoryLogger };
