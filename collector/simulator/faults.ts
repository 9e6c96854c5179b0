/**
 * Switches for failure injection, shared by both simulated devices. Set from CLI flags at start
 * and at run time through `POST /_sim/faults` on the Viessmann server (JSON body with any of the
 * fields below); `GET /_sim/faults` shows them.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface FaultSettings {
  /** Viessmann answers the features call with DEVICE_COMMUNICATION_ERROR / DEVICE_OFFLINE. */
  deviceOffline: boolean;
  /** Viessmann answers with GATEWAY_OFFLINE. */
  gatewayOffline: boolean;
  /** Share (0..1) of Viessmann API calls answered with a 5xx error. */
  failRate: number;
  /** The next N Viessmann API calls are answered with a 5xx error. */
  failNext: number;
  /** Extra latency on every request of both devices, ms. */
  latencyMs: number;
  /** The Shelly answers 503 (as a rebooting meter's web server would). */
  shellyDown: boolean;
  /**
   * The Shelly does not answer at all (every connection is dropped): a meter without power or
   * network, whose silence the builder's `meter_silent` alert tells.
   */
  meterSilent: boolean;
  /**
   * An active error code the heat pump reports in `device.messages.errors.raw` (e.g. `F.454`), or ""
   * for none: the builder's `device_fault` alert.
   */
  deviceFault: string;
  /** The compressor starts every 10 minutes and runs 4 (6 starts an hour): the `short_cycling` alert. */
  shortCycling: boolean;
}

const DEFAULT_FAULTS: FaultSettings = {
  deviceOffline: false,
  gatewayOffline: false,
  failRate: 0,
  failNext: 0,
  latencyMs: 0,
  shellyDown: false,
  meterSilent: false,
  deviceFault: "",
  shortCycling: false,
};

/** What a device's error code looks like: a letter, a dot, digits (F.1100, A.11). */
const ERROR_CODE = /^([A-Z]\.\d{1,5})?$/;

export class Faults implements FaultSettings {
  deviceOffline = false;
  gatewayOffline = false;
  failRate = 0;
  failNext = 0;
  latencyMs = 0;
  shellyDown = false;
  meterSilent = false;
  deviceFault = "";
  shortCycling = false;
  /** Called after every change (the live model follows `shortCycling`). */
  onChange: ((s: FaultSettings) => void) | undefined;

  constructor(initial: Partial<FaultSettings> = {}) {
    this.apply(initial);
  }

  /** Applies a patch; throws RangeError naming the first bad field. */
  apply(patch: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(patch)) {
      if (!(k in DEFAULT_FAULTS))
        throw new RangeError(`unknown fault \`${k}\` (known: ${Object.keys(DEFAULT_FAULTS).join(", ")})`);
      const want = typeof DEFAULT_FAULTS[k as keyof FaultSettings];
      if (typeof v !== want)
        throw new RangeError(`Expected \`${k}\` to be a ${want}, got ${JSON.stringify(v)}`);
      if (k === "failRate" && ((v as number) < 0 || (v as number) > 1))
        throw new RangeError("Expected `failRate` between 0 and 1");
      if (want === "number" && ((v as number) < 0 || !Number.isFinite(v)))
        throw new RangeError(`Expected \`${k}\` >= 0`);
      if (k === "deviceFault" && !ERROR_CODE.test(v as string))
        throw new RangeError(`Expected \`deviceFault\` to be an error code like "F.454", or "" for none`);
    }
    Object.assign(this, patch);
    this.onChange?.(this.settings());
  }

  settings(): FaultSettings {
    const { deviceOffline, gatewayOffline, failRate, failNext, latencyMs, shellyDown } = this;
    const { meterSilent, deviceFault, shortCycling } = this;
    return {
      deviceOffline,
      gatewayOffline,
      failRate,
      failNext,
      latencyMs,
      shellyDown,
      meterSilent,
      deviceFault,
      shortCycling,
    };
  }

  /** Waits the injected latency. */
  async delay(): Promise<void> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
  }

  /** Whether this Viessmann API call should fail with a 5xx (consumes `failNext`). */
  serverError(): boolean {
    if (this.failNext > 0) {
      this.failNext--;
      return true;
    }
    return this.failRate > 0 && Math.random() < this.failRate;
  }
}
