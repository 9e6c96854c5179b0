/**
 * One Shelly meter with its role, a source of its own (polled on its own, failing on its own):
 * `Shelly.GetDeviceInfo` once at start (no auth needed: device id = the `device` tag and the digest
 * realm, model, firmware, profile, app), then one `Shelly.GetStatus` per poll, written as one
 * `electric` point tagged with the device and the role, stamped with the poll time. What is read
 * out of the status (the whole Pro 3EM, or one channel: `em1:1`, `switch:0`) is decided at the first
 * poll from the configured channel and the device (channel.ts). Every failure throws ExpectedError
 * (a gap); the poll loop logs it. Tolerated oddities (a phase out of range, phase sequence, a
 * switch's protection) are logged here, once per change.
 */
import { type MeterRole, MEASUREMENT, TAG } from "../../../../core/src/data/catalogue.ts";
import type { ShellyConfig } from "../../config.ts";
import { ExpectedError, isExpected } from "../../../../core/src/errors.ts";
import type { Point } from "../../../../core/src/data/line-protocol.ts";
import type { Source, SourceDeps } from "../source.ts";
import { createShellyClient } from "./client.ts";
import { parseDeviceInfo, type ShellyDevice } from "./parse.ts";
import { deviceApp, type MeterLayout, parseLayout, resolveLayout } from "./channel.ts";
import { channelText, type MeterChannel } from "./meters.ts";

/** A meter: where it is, and what it meters (default: the heat pump, the device decides the channel). */
export interface ShellyMeter extends ShellyConfig {
  readonly role?: MeterRole;
  readonly channel?: MeterChannel | undefined;
  /** Where its URL was set, for messages (default `SHELLY_URL`). */
  readonly setting?: string;
}

export interface ShellySourceOptions {
  /** Whole-request timeout, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Least back-off after HTTP 429, ms. Default 2000. */
  readonly rateLimitBackoffMs?: number;
  /** Digest cnonce generator, for tests. */
  readonly cnonce?: () => string;
}

/** A Shelly meter's source. `opts` exists for tests; the collector passes config and deps only. */
export function createShellySource(
  config: ShellyMeter,
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
    setting: config.setting,
  });
  const role = config.role ?? "heatpump";
  // The heat pump's meter logs as `shelly`, as before roles; the others as `shelly backup`, ….
  const label = role === "heatpump" ? "shelly" : `shelly ${role}`;
  const log = deps.logger.child(label);
  const where = `Shelly at ${client.displayUrl}`;
  let device: ShellyDevice | undefined;
  let app: string | undefined;
  /** Decided at the first poll after start (channel.ts); undefined again when the device changed. */
  let layout: MeterLayout | undefined;
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
    app = deviceApp(raw);
    layout = undefined;
    const password = d.authEnabled ? "on" : "off";
    // A Pro 3EM says its profile, as before roles; other devices their app (ProEM, Plus1PM, …).
    const profile = app === undefined || app === "Pro3EM" ? d.profile : app;
    const channel = config.channel ? `, channel ${channelText(config.channel)}` : "";
    return (
      `${d.model} ${d.id} (firmware ${d.firmware}, ${profile}, password ${password})${channel} ` +
      `at ${client.displayUrl}`
    );
  }

  function read(raw: unknown) {
    const who = `${device!.id} (${app ?? device!.model})`;
    layout ??= resolveLayout(raw, app, config.channel, who);
    try {
      return parseLayout(raw, layout);
    } catch (e) {
      // A channel gone (a profile changed in the web UI): decided again at the next poll.
      if (layout !== "whole") layout = undefined;
      throw e;
    }
  }

  return {
    name: "shelly",
    label,
    tags: { [TAG.role]: role },
    start: () => start(),
    nextPollAt(lastMs, nowMs) {
      const due = lastMs === undefined ? nowMs : lastMs + config.intervalMs;
      return Math.max(due, client.blockedUntilMs);
    },
    async poll(nowMs): Promise<Point[]> {
      if (!device) await start();
      const raw = await client.call("Shelly.GetStatus");
      const reading = withUrl(() => read(raw));
      const notes = reading.notes.join("; ");
      if (notes !== lastNotes) {
        if (notes) log.warn(`${device!.id}: ${notes}; affected fields are left out, the rest is written`);
        else log.info(`${device!.id}: readings are complete again`);
        lastNotes = notes;
      }
      return [
        {
          measurement: MEASUREMENT.electric,
          tags: { [TAG.device]: device!.id, [TAG.role]: role },
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
