import type { Point } from "../../../core/src/data/line-protocol.ts";
import type { Clock, Logger } from "../../../core/src/effects.ts";

/**
 * What the collector needs from a device source. One folder per source:
 * `sources/shelly/`, `sources/viessmann/`, each exporting a factory that returns this.
 */
export interface Source {
  /** The `source` tag of its `collector` health points. */
  readonly name: "shelly" | "viessmann";
  /** How its log lines and messages name it when several share a name (`shelly backup`); default `name`. */
  readonly label?: string;
  /** Tags of its `collector` health points besides `source` (a Shelly meter's `role`). */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Called once before the first poll: identifies the device (Shelly.GetDeviceInfo, Viessmann
   * discovery) and returns a one-line description for the log. Throws ExpectedError when the device
   * cannot be reached; the collector retries start() on the next due poll.
   */
  start(nowMs: number): Promise<string>;
  /**
   * Time (ms since epoch) at which the next poll is due, given the last poll started at `lastMs`
   * (undefined before the first). The Viessmann source stretches this to stay inside its budget.
   */
  nextPollAt(lastMs: number | undefined, nowMs: number): number;
  /**
   * One poll: the points to journal, timestamped `nowMs`. A failed read throws ExpectedError and
   * writes nothing (a gap, never a zero).
   */
  poll(nowMs: number): Promise<Point[]>;
  /**
   * The device as start() identified it (undefined before), for Home Assistant's device registry
   * (MQTT discovery).
   */
  device?(): DeviceInfo | undefined;
  /** Extra fields for this source's `collector` point (e.g. `calls_today`, `budget`). */
  health?(nowMs: number): Record<string, number>;
  close?(): Promise<void>;
}

/** A device as its source identified it, without control characters. */
export interface DeviceInfo {
  /** The `device` tag of its points: the Shelly's id, the heat pump's `<gateway serial>-<device id>`. */
  readonly serial: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware?: string;
}

/** Effects and places every source factory receives. */
export interface SourceDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Absolute data directory: where a source keeps its state files (ids, budget, tokens). */
  readonly dataDir: string;
}
