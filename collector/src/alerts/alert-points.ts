/**
 * The collector's judgments as `alert` points (core/src/data/catalogue.ts), so the site builder can
 * show them and name the reason of a heat pump silence: a condition's point is written at the first
 * check, whenever it opens, resolves or changes (its `key`), and every five minutes while open. The
 * builder reads the newest point of each condition; one older than its limit counts as unknown (the
 * collector may be gone: the builder's own silences tell that).
 */
import { MEASUREMENT, TAG, type AlertField } from "../../../core/src/data/catalogue.ts";
import type { Point } from "../../../core/src/data/line-protocol.ts";
import type { ConditionName, Severity } from "../../../core/src/alerts/conditions.ts";

/** While a condition is open its point is written again this often, ms. */
const ALERT_POINT_EVERY_MS = 5 * 60_000;

export interface AlertPointInput {
  readonly condition: ConditionName;
  readonly open: boolean;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly openedMs: number | undefined;
  /** What makes it the same: a new key is written at once (the message alone may tick, a duration). */
  readonly key: string;
}

function alertPoint(a: AlertPointInput, timeMs: number): Point {
  const fields: Partial<Record<AlertField, number | string>> = {
    open: a.open ? 1 : 0,
    severity: a.severity,
    title: a.title,
    message: a.message,
    ...(a.open && a.openedMs !== undefined ? { opened_ms: a.openedMs } : {}),
  };
  return {
    measurement: MEASUREMENT.alert,
    tags: { [TAG.program]: "collector", [TAG.condition]: a.condition },
    fields,
    timeMs,
  };
}

/** Decides which conditions' points are due; remembers what it wrote. */
export function alertPointSchedule(): (inputs: readonly AlertPointInput[], nowMs: number) => Point[] {
  const last = new Map<ConditionName, { open: boolean; key: string; atMs: number }>();
  return (inputs, nowMs) => {
    const due: Point[] = [];
    for (const a of inputs) {
      const was = last.get(a.condition);
      const changed = !was || was.open !== a.open || was.key !== a.key;
      if (!changed && !(a.open && nowMs - was.atMs >= ALERT_POINT_EVERY_MS)) continue;
      last.set(a.condition, { open: a.open, key: a.key, atMs: nowMs });
      due.push(alertPoint(a, nowMs));
    }
    return due;
  };
}
