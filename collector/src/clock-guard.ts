/**
 * Readings are stamped with the wall clock, and the wall clock can be stepped: by NTP after a boot
 * without a real-time clock, by a person, by a faulty time server. The monotonic clock cannot be
 * stepped, so the two together tell a step from time passing: each poll's wall time is compared
 * with the last good wall time plus the monotonic time elapsed since.
 *
 * - Within STEP_TOLERANCE_MS (a minute) the wall time is good: NTP slews of a few ms a second, or a
 *   correction of seconds, never cost a reading.
 * - Beyond it the step is logged once and readings are held back (a gap; polling goes on) until the
 *   wall clock has agreed with the monotonic clock for STEADY_MS (two minutes) on its new time. Then
 *   the new time is accepted: a correction by NTP is real. A clock that was wrong for eight seconds
 *   stamps nothing, so no reading lands on tomorrow.
 *
 * Quirk: CLOCK_MONOTONIC stands still while the machine is suspended, so a resume looks like a step
 * forward by the time asleep and costs two minutes of readings.
 */
import type { Logger } from "../../core/src/effects.ts";

/** Largest disagreement between wall and monotonic time that is not a step, ms. */
const STEP_TOLERANCE_MS = 60_000;
/** How long the wall clock must agree with the monotonic clock after a step before it is trusted, ms. */
const STEADY_MS = 120_000;

export interface ClockGuard {
  /**
   * Whether a reading taken now may be stamped with the wall time `wallMs`, read together with the
   * monotonic time `monotonicMs`. Calls come in monotonic order (one guard serves every source).
   */
  trust(wallMs: number, monotonicMs: number): boolean;
}

interface Reading {
  readonly wall: number;
  readonly mono: number;
}

/** `90 s`, `1.5 h`, `1 d`: the size of a step, for the log. */
export function spanText(ms: number): string {
  const a = Math.abs(ms);
  const r = (x: number) => Math.round(x * 10) / 10;
  // The unit is chosen by the rounded figure: a step measured at 59.99 min says `1 h`, not `60 min`.
  if (r(a / 3_600_000) >= 24) return `${r(a / 86_400_000)} d`;
  if (r(a / 60_000) >= 60) return `${r(a / 3_600_000)} h`;
  if (r(a / 1000) >= 120) return `${r(a / 60_000)} min`;
  return `${r(a / 1000)} s`;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createClockGuard(logger: Logger): ClockGuard {
  /** The last reading whose wall time was trusted. */
  let good: Reading | undefined;
  /** While held back: the first reading on the wall clock's new time, which must stay steady. */
  let watched: Reading | undefined;
  let heldBack = 0;

  /** How far `now` is from where `base` and the monotonic time elapsed since put the wall clock. */
  const offset = (base: Reading, now: Reading) => now.wall - (base.wall + (now.mono - base.mono));

  const stepped = (base: Reading, now: Reading, off: number) => {
    logger.warn(
      `clock: the wall clock stepped ${off > 0 ? "forward" : "back"} by ${spanText(off)} ` +
        `(it says ${iso(now.wall)}; by the monotonic clock it is ${iso(base.wall + (now.mono - base.mono))}); ` +
        `readings are held back (a gap, polling goes on) until it has been steady for ${spanText(STEADY_MS)}`,
    );
    watched = now;
    heldBack++;
    return false;
  };

  return {
    trust(wall, mono) {
      const now = { wall, mono };
      if (!good) {
        good = now; // the first reading has nothing to be checked against
        return true;
      }
      if (!watched) {
        const off = offset(good, now);
        if (Math.abs(off) > STEP_TOLERANCE_MS) return stepped(good, now, off);
        good = now; // following slow slews: each reading is checked against the one before
        return true;
      }
      const off = offset(watched, now);
      if (Math.abs(off) > STEP_TOLERANCE_MS) return stepped(watched, now, off);
      if (mono - watched.mono < STEADY_MS) {
        heldBack++;
        return false;
      }
      logger.info(
        `clock: the wall clock has been steady for ${spanText(STEADY_MS)}; its time is accepted and readings ` +
          `are stamped again from ${iso(wall)} (${heldBack} poll${heldBack === 1 ? "" : "s"} held back)`,
      );
      good = now;
      watched = undefined;
      heldBack = 0;
      return true;
    },
  };
}
