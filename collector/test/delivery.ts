/**
 * The collector's promise after any fault, as one assertion: every line it collected reaches
 * InfluxDB, and InfluxDB never gets two different values for one series and timestamp (a re-sent
 * point is the same line again, which InfluxDB overwrites with itself).
 */
import { expect } from "vitest";
import { parseLine } from "../../core/src/data/line-protocol.ts";

/** `measurement {tags} <ns timestamp>`: what InfluxDB treats as one point. */
function seriesAndTime(line: string): string {
  const p = parseLine(line)!;
  const tags = Object.entries(p.tags).sort(([a], [b]) => (a < b ? -1 : 1));
  return `${p.measurement} ${JSON.stringify(tags)} ${line.slice(line.lastIndexOf(" ") + 1)}`;
}

/** Lines of `received` that disagree with another line of the same series and timestamp. */
export function conflictingPoints(received: readonly string[]): string[][] {
  const seen = new Map<string, Set<string>>();
  for (const l of received) seen.set(seriesAndTime(l), (seen.get(seriesAndTime(l)) ?? new Set()).add(l));
  return [...seen.values()].filter((s) => s.size > 1).map((s) => [...s]);
}

export function expectDelivered(collected: readonly string[], received: readonly string[]): void {
  const got = new Set(received);
  expect(collected.filter((l) => !got.has(l))).toEqual([]);
  expect(conflictingPoints(received)).toEqual([]);
}
