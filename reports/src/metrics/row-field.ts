/**
 * A daily row's number field as the roll-ups and the metering statement read it: a row from before
 * the field existed (one cached or published by an earlier version) lacks it, and reads it as
 * unknown, never as 0.
 */
import type { DailyRow } from "../types.ts";

export const rowNumber =
  <K extends keyof DailyRow>(k: K) =>
  (r: DailyRow): number | null =>
    (r[k] as number | null | undefined) ?? null;
