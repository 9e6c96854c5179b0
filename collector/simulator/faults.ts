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
}

export const DEFAULT_FAULTS: FaultSettings = {
  deviceOffline: false,
  gatewayOffline: false,
  failRate: 0,
  failNext: 0,
  latencyMs: 0,
  shellyDown: false,
};

export class Faults implements FaultSettings {
  deviceOffline = false;
  gatewayOffline = false;
  failRate = 0;
  failNext = 0;
  latencyMs = 0;
  shellyDown = false;

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
    }
    Object.assign(this, patch);
  }

  settings(): FaultSettings {
    const { deviceOffline, gatewayOffline, failRate, failNext, latencyMs, shellyDown } = this;
    return { deviceOffline, gatewayOffline, failRate, failNext, latencyMs, shellyDown };
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
