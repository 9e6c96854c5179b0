/**
 * What `npm run report` says about the data it read (on stderr, so `--json | jq` reads pure JSON):
 * which store, where, the days it holds, and what to do when it holds none. A report of no data is
 * a row of dashes that looks like a broken meter; naming the place read is what tells a wrong
 * DATA_DIR from an empty journal.
 */
import type { ReportSource } from "../config.ts";
import type { PeriodReport } from "../types.ts";

/** The store and where it is: `the collector's journal in /srv/hp/data/journal`. */
export function sourceName(source: ReportSource, fromLocalSource: boolean): string {
  if (source.kind === "influx")
    return `InfluxDB at ${source.url}, bucket ${source.bucket} (org ${source.org})`;
  return fromLocalSource ? `LOCAL_SOURCE ${source.path}` : `the collector's journal in ${source.path}`;
}

/** Why there is nothing, and what to set instead. */
export function noDataHint(source: ReportSource, fromLocalSource: boolean, dataDir: string): string {
  const where = sourceName(source, fromLocalSource);
  if (source.kind === "influx")
    return (
      `no data in ${where}: check INFLUX_BUCKET and INFLUX_ORG against the collector's, ` +
      `and that the collector's log says it is writing there`
    );
  if (fromLocalSource)
    return (
      `no data in ${where}: point LOCAL_SOURCE at a line-protocol file or a folder of .lp files ` +
      `(npm run simulate -- history writes one)`
    );
  return (
    `no data in ${where} (DATA_DIR ${dataDir}): record some with npm run collect, or point DATA_DIR ` +
    `at a folder that has a journal (the demo's: DATA_DIR=data/demo), or LOCAL_SOURCE at a line-protocol file`
  );
}

/** `read …: data from 2026-03-01 to 2026-03-31 (Europe/Berlin); 2026-W13: 7 of 7 days with data`. */
export function readNote(where: string, extent: { first: string; last: string }, r: PeriodReport): string {
  return (
    `read ${where}: data from ${extent.first} to ${extent.last} (${r.tz}); ` +
    `${r.id}: ${r.days_with_data} of ${r.days} days with data`
  );
}
