/**
 * What the plan stage says about the published history (kept-history.ts): how many days the engine
 * answered from it because the store lost their data (said once, again only when that changes), and
 * what a `--rebuild` is about to replace.
 */
import type { Logger } from "../../core/src/effects.ts";
import { storeHasLess } from "../../reports/src/engine/published-rows.ts";
import type { DailyRow, Reports } from "../../reports/src/types.ts";
import { readSiteHistory } from "./kept-history.ts";

/** "3 days (2026-02-20 to 2026-02-22)", "1 day (2026-02-20)". */
const daysText = (days: readonly string[]) =>
  `${days.length} day${days.length === 1 ? "" : "s"} ` +
  `(${days.length === 1 ? days[0]! : `${days[0]!} to ${days.at(-1)!}`})`;

/** What each engine last said about its kept days (`n|first|last`; "" for none). */
const said = new WeakMap<Reports, string>();

/** One line when the days kept from the published history change (the first build: when there are any). */
export function sayKept(reports: Reports, kept: readonly string[], logger: Logger): void {
  const note = kept.length ? `${kept.length}|${kept[0]}|${kept.at(-1)}` : "";
  const before = said.get(reports) ?? "";
  if (note === before) return;
  said.set(reports, note);
  if (kept.length)
    logger.info(
      `kept the published figures of ${daysText(kept)} the store now holds less data for: its points ` +
        "there are gone (InfluxDB's retention, deleted journal files); the site keeps what it published " +
        '(README, "The site"). Only `npm run build:site -- --rebuild` recomputes them from the store',
    );
  else logger.info("the store holds every published day again: no published figures are kept");
}

/**
 * `--rebuild` recomputes every day from the store as it is now: first a warning naming the published
 * days the store holds less data for, whose figures this build replaces.
 */
export function warnRebuild(
  rows: readonly DailyRow[],
  where: { siteOut: string; archiveDir: string; tz: string },
  logger: Logger,
): void {
  const published = readSiteHistory(where.siteOut, where.archiveDir, where.tz);
  const store = new Map(rows.map((r) => [r.day, r]));
  const lacking = [...published.rows.values()]
    .filter((p) => {
      const s = store.get(p.day);
      return !s || storeHasLess(s, p);
    })
    .map((p) => p.day)
    .sort();
  if (lacking.length === 0) return;
  logger.warn(
    `--rebuild: the store holds less data than the published site for ${daysText(lacking)}; ` +
      "this build replaces their published figures with what the store holds now",
  );
}
