/**
 * The status: the newest values from the source, today's COP from today's row, and the COP now from
 * the samples of the newest heat pump interval (those already read for today where they cover it).
 */
import type { Status } from "../types.ts";
import type { RawSource } from "../store/raw-source.ts";
import { emptySamples, sliceSamples, type Samples } from "../store/samples.ts";
import { buildStatus, STATUS_FIELDS } from "../metrics/status.ts";
import { dayOf } from "../../../core/src/time.ts";
import type { Cycle } from "./cycle.ts";
import type { Days } from "./days.ts";
import type { Reads } from "./reads.ts";

interface StatusOptions {
  tz: string;
  thresholdW: number;
  elecIntervalMs: number;
  hpIntervalMs: number;
}

export function createStatus(
  raw: RawSource,
  o: StatusOptions,
  current: () => Cycle,
  reads: Reads,
  dailyRows: Days["dailyRows"],
): (nowMs: number) => Promise<Status> {
  return async function status(nowMs: number): Promise<Status> {
    const c = current();
    const latest = await reads.latestValues(nowMs, STATUS_FIELDS);
    const today = dayOf(o.tz, nowMs);
    const [row] = await dailyRows(today, today);
    // COP now needs the samples of the newest heat pump interval: from today's, read this cycle.
    const hpT = latest.get("heatpump.flow_c")?.t ?? latest.get("heatpump.outside_c")?.t;
    let recent: Samples;
    if (hpT === undefined) recent = emptySamples();
    else {
      const from = hpT - 3 * o.hpIntervalMs;
      const open = c.open.get(today);
      recent =
        open && open.fromMs <= from && open.toMs > hpT
          ? sliceSamples(open.samples, from, hpT + 1)
          : await reads.samples(c, from, hpT + 1);
    }
    const lastElec = latest.get("electric.power_w")?.t ?? null;
    const problems = raw.problems?.() ?? [];
    const status = buildStatus({
      nowMs,
      tz: o.tz,
      latest,
      recent,
      copToday: row?.cop ?? null,
      copTodayMs: lastElec,
      elecIntervalMs: o.elecIntervalMs,
      hpIntervalMs: o.hpIntervalMs,
      thresholdW: o.thresholdW,
    });
    return problems.length > 0 ? { ...status, file_problems: problems } : status;
  };
}
