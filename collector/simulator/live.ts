/**
 * The live model behind `serve`: simulated time runs `speed` times faster than the real clock, and
 * the model is stepped (10 s steps) up to the simulated now whenever someone reads it.
 */
import { newReading, readMeter, type MeterProfile, type MeterReading } from "./meter.ts";
import { Model } from "./model.ts";
import { createRng, type Rng } from "./random.ts";
import { addDays, dayOf, dayStartMs } from "../../core/src/time.ts";

interface LiveOptions {
  seed: number;
  tz: string;
  profile: MeterProfile;
  /** Time acceleration (1 = real time). */
  speed: number;
  /** Simulated instant at start, UTC ms (default: the real now). */
  startMs?: number;
  /**
   * Whole local days simulated before the start day (default 8, so the day/week arrays are filled).
   * The model starts at local midnight `warmupDays` days before the start day: with the seed and
   * zone of a history of N days ending yesterday, warmupDays = N continues that history exactly.
   */
  warmupDays?: number;
  /** Real clock, ms (tests inject one). */
  now?: () => number;
}

const STEP_S = 10;

export class LiveModel {
  readonly model: Model;
  readonly profile: MeterProfile;
  readonly speed: number;
  private readonly rng: Rng;
  private readonly realStartMs: number;
  private readonly simStartMs: number;
  private readonly now: () => number;
  private readonly reading: MeterReading = newReading();

  constructor(o: LiveOptions) {
    this.now = o.now ?? (() => Date.now());
    this.realStartMs = this.now();
    this.simStartMs = o.startMs ?? this.realStartMs;
    this.speed = o.speed;
    this.profile = o.profile;
    this.rng = createRng(o.seed ^ 0x5e7e);
    // Start at a local midnight some days back, on the 10 s grid, and run up to the start.
    const first = addDays(dayOf(o.tz, this.simStartMs), -(o.warmupDays ?? 8));
    this.model = new Model({ seed: o.seed, tz: o.tz, startMs: dayStartMs(o.tz, first) });
    this.sync();
  }

  /** Simulated now, UTC ms. */
  simNow(): number {
    return this.simStartMs + (this.now() - this.realStartMs) * this.speed;
  }

  /** Real seconds since start times speed: the simulated uptime. */
  uptimeS(): number {
    return Math.floor((this.simNow() - this.simStartMs) / 1000);
  }

  /** Steps the model up to the simulated now and returns it. */
  sync(): Model {
    this.model.advanceTo(this.simNow() + 1, STEP_S);
    return this.model;
  }

  /** A fresh noisy meter reading of the current state. */
  meter(): MeterReading {
    this.sync();
    return readMeter(this.model, this.rng, this.profile, this.reading);
  }
}
