/**
 * The Viessmann heat pump source: discovery once, then one features call per poll, inside the
 * daily call budget. State in DATA_DIR: viessmann-token.json (0600), viessmann-budget.json,
 * viessmann-device.json.
 */
import type { ViessmannConfig } from "../../config.ts";
import { ExpectedError } from "../../../../core/src/errors.ts";
import { withoutControlChars } from "../../../../core/src/effects.ts";
import type { Point } from "../../../../core/src/data/line-protocol.ts";
import type { Source, SourceDeps } from "../source.ts";
import { budgetFilePath, createBudget, nextUtcMidnight, utcDay } from "./budget.ts";
import { createApiClient, createGate } from "./client.ts";
import { discover } from "./discovery.ts";
import { parseFeaturesBody, toPoints } from "./parse.ts";
import { LOGIN_HINT, readTokenFile, restrictTokenFile, tokenFilePath } from "./token-store.ts";
import { refreshReserve } from "./refresh-reserve.ts";
import { createTokenManager } from "./tokens.ts";
import type { DeviceIds } from "./types.ts";

/** Knobs for tests only (real time limits make no sense on a fake clock). */
interface ViessmannInternals {
  /** p-throttle burst limit; default 110 calls per 600 000 ms. */
  readonly burst?: { readonly limit: number; readonly intervalMs: number };
  /** API request timeout, ms; default 30 000. */
  readonly timeoutMs?: number;
}

const featuresPath = (ids: DeviceIds): string =>
  `/iot/v2/features/installations/${encodeURIComponent(ids.installationId)}` +
  `/gateways/${encodeURIComponent(ids.gatewaySerial)}` +
  `/devices/${encodeURIComponent(ids.deviceId)}/features`;

/** The `device` tag of heatpump and viessmann_feature points: `{gatewaySerial}-{deviceId}`. */
const deviceTag = (ids: DeviceIds): string => `${ids.gatewaySerial}-${ids.deviceId}`;

export function createViessmannSource(
  config: ViessmannConfig,
  deps: SourceDeps,
  internals: ViessmannInternals = {},
): Source {
  const { clock, dataDir } = deps;
  const logger = deps.logger.child("viessmann");
  const budget = createBudget({ path: budgetFilePath(dataDir), daily: config.dailyBudget });
  const gate = createGate(budget, clock, internals.burst);
  const tokenPath = tokenFilePath(dataDir);
  // At start, not at the next refresh: a token file others can read is a leak for as long as it lasts.
  try {
    const was = restrictTokenFile(tokenPath);
    if (was !== undefined)
      logger.warn(`${tokenPath} was readable by other users (mode 0${was.toString(8)}); made it 0600`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    logger.warn(`cannot make ${tokenPath} private (${code}); run: chmod 600 ${tokenPath}`);
  }
  const tokens = createTokenManager({ config, path: tokenPath, logger, gate });
  const client = createApiClient({
    apiUrl: config.apiUrl,
    tokens,
    gate,
    clock,
    budget,
    ...(internals.timeoutMs ? { timeoutMs: internals.timeoutMs } : {}),
  });
  let ids: DeviceIds | undefined;

  const lastPoll = budget.lastPollAt(clock.now());
  if (lastPoll !== undefined && lastPoll + config.intervalMs > clock.now())
    logger.info(
      `last polled at ${new Date(lastPoll).toISOString()}; ` +
        `the next poll waits for VIESSMANN_INTERVAL (${config.intervalMs / 1000} s) since then`,
    );

  /** The UTC day whose spent budget was logged: once a day, not at every look at the schedule. */
  let spentLogged: string | undefined;
  /** Says once a day that polls stop for the rest of it, and until when: else the gap is silent. */
  const tellWhenSpent = (nowMs: number, reserve: number) => {
    const used = budget.callsToday(nowMs);
    if (config.dailyBudget - used - reserve > 0 || budget.blockedUntil(nowMs) !== undefined) return;
    if (spentLogged === utcDay(nowMs)) return;
    spentLogged = utcDay(nowMs);
    const reset = nextUtcMidnight(nowMs);
    const kept = config.dailyBudget - used;
    logger.warn(
      `budget spent: ${used} calls used today of VIESSMANN_DAILY_BUDGET=${config.dailyBudget}` +
        `${kept > 0 ? `, the last ${kept} kept for token refreshes` : ""}; polling resumes at ` +
        `${new Date(reset).toISOString()} (00:00 UTC, when the budget resets). If this happens every day, ` +
        "raise VIESSMANN_DAILY_BUDGET or VIESSMANN_INTERVAL (other apps on the same client count too)",
    );
  };

  return {
    name: "viessmann",
    async start(nowMs) {
      if (!readTokenFile(tokenPath))
        throw new ExpectedError("auth", `no Viessmann login yet (${tokenPath} missing); ${LOGIN_HINT}`, {
          fatalForSource: true,
        });
      ids = await discover({ config, dataDir, client, logger });
      const used = budget.callsToday(nowMs);
      const model = withoutControlChars(ids.modelId ?? "heat pump");
      return (
        `Viessmann ${model} (device tag ${withoutControlChars(deviceTag(ids))}), ` +
        `budget ${config.dailyBudget} calls per UTC day, ${used} used today`
      );
    },
    nextPollAt(lastMs, nowMs) {
      // Before this run's first poll, the last one recorded (by an earlier run) counts.
      const last = lastMs ?? budget.lastPollAt(nowMs);
      const reserve = refreshReserve(nowMs);
      tellWhenSpent(nowMs, reserve);
      return budget.nextPollAt(last, nowMs, config.intervalMs, reserve);
    },
    async poll(nowMs): Promise<Point[]> {
      if (!ids) throw new Error("Viessmann source polled before start() succeeded");
      budget.recordPoll(nowMs);
      const body = await client.getJson(featuresPath(ids));
      return toPoints(parseFeaturesBody(body), deviceTag(ids), nowMs);
    },
    health(nowMs) {
      return { calls_today: budget.callsToday(nowMs), budget: config.dailyBudget };
    },
    device: () =>
      ids && {
        serial: withoutControlChars(deviceTag(ids)),
        manufacturer: "Viessmann",
        model: withoutControlChars(ids.modelId ?? "heat pump"),
      },
    async close() {},
  };
}
