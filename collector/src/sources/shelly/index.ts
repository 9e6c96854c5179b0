/**
 * The Shelly Pro 3EM source: `Shelly.GetDeviceInfo` once at start (no auth needed: device id = the
 * `device` tag and the digest realm, model, firmware, profile), then one `Shelly.GetStatus` per poll,
 * which carries `em:0` + `emdata:0` (triphase) or `em1:0..2` + `em1data:0..2` (monophase), written as one
 * `electric` point stamped with the poll time. Every failure throws ExpectedError (a gap); the poll
 * loop logs it. Tolerated oddities (a phase out of range, phase sequence) are logged here, once per change.
 */
import { MEASUREMENT, TAG } from "../../../../core/src/data/catalogue.ts";
import type { ShellyConfig } from "../../config.ts";
import { ExpectedError, isExpected } from "../../../../core/src/errors.ts";
import type { Point } from "../../../../core/src/data/line-protocol.ts";
import type { Source, SourceDeps } from "../source.ts";
import { createShellyClient } from "./client.ts";
import { parseDeviceInfo, parseStatus, type ShellyDevice } from "./parse.ts";

export interface ShellySourceOptions {
  /** Whole-request timeout, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Least back-off after HTTP 429, ms. Default 2000. */
  readonly rateLimitBackoffMs?: number;
  /** Digest cnonce generator, for tests. */
  readonly cnonce?: () => string;
}

/** The Shelly Pro 3EM source. `opts` exists for tests; the collector passes config and deps only. */
export function createShellySource(
  config: ShellyConfig,
  deps: SourceDeps,
  opts: ShellySourceOptions = {},
): Source {
  const client = createShellyClient({
    url: config.url,
    password: config.password,
    clock: deps.clock,
    timeoutMs: opts.timeoutMs,
    rateLimitBackoffMs: opts.rateLimitBackoffMs,
    cnonce: opts.cnonce,
  });
  const log = deps.logger.child("shelly");
  const where = `Shelly at ${client.displayUrl}`;
  let device: ShellyDevice | undefined;
  let lastNotes = "";

  /** Parser errors carry no URL (they are pure); add it here. */
  const withUrl = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (isExpected(e)) throw new ExpectedError(e.kind, `${where}: ${e.message}`, { cause: e });
      throw e;
    }
  };

  async function start(): Promise<string> {
    const raw = await client.call("Shelly.GetDeviceInfo");
    const d = withUrl(() => parseDeviceInfo(raw));
    if (d.authEnabled && config.password === undefined)
      throw new ExpectedError(
        "auth",
        `${where} (${d.id}) has authentication on; set SHELLY_PASSWORD to the password set in its web UI`,
      );
    device = d;
    const password = d.authEnabled ? "on" : "off";
    return `${d.model} ${d.id} (firmware ${d.firmware}, ${d.profile}, password ${password}) at ${client.displayUrl}`;
  }

  return {
    name: "shelly",
    start: () => start(),
    nextPollAt(lastMs, nowMs) {
      const due = lastMs === undefined ? nowMs : lastMs + config.intervalMs;
      return Math.max(due, client.blockedUntilMs);
    },
    async poll(nowMs): Promise<Point[]> {
      if (!device) await start();
      const raw = await client.call("Shelly.GetStatus");
      const reading = withUrl(() => parseStatus(raw));
      const notes = reading.notes.join("; ");
      if (notes !== lastNotes) {
        if (notes) log.warn(`${device!.id}: ${notes}; affected fields are left out, the rest is written`);
        else log.info(`${device!.id}: readings are complete again`);
        lastNotes = notes;
      }
      return [
        {
          measurement: MEASUREMENT.electric,
          tags: { [TAG.device]: device!.id },
          fields: reading.fields,
          timeMs: nowMs,
        },
      ];
    },
    device: () =>
      device && { serial: device.id, manufacturer: "Shelly", model: device.model, firmware: device.firmware },
    async close() {
      client.close();
    },
  };
}
