/**
 * ELECTRICITY_PRICES_FILE: electricity prices over time, for dated price changes and dynamic
 * (hourly or quarter-hourly day-ahead) tariffs. A CSV file with the header `start,price`: `start`
 * an ISO 8601 time with its offset (`2026-10-01T00:00:00+02:00`, or `Z`), `price` in CURRENCY per
 * kWh (negative allowed: dynamic tariffs have negative hours); each row's price holds until the
 * next row's start, the last one from then on.
 *
 * The report engine keeps electricity per local clock hour (metrics/hourly.ts), so each hour is
 * priced at the time-weighted mean of the prices in force during it: quarter-hour prices cost the
 * hour's electricity as if it were spread evenly over the hour. Before the first row the base
 * prices (ELECTRICITY_PRICE or ELECTRICITY_PRICE_SCHEDULE, by clock hour) apply; an hour with
 * electricity and no price at all has an unknown cost.
 */
import { dayList, dayOf, dayRange } from "../../../core/src/time.ts";
import { localHour } from "../metrics/hourly.ts";

const HOUR_MS = 3_600_000;
const EXAMPLE_START = "2026-10-01T00:00:00+02:00";
/** Date, time to the minute or finer, and an offset: `Z` or `±HH:MM`. */
const START = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** A row of the file: `price` from `startMs` on. */
interface PriceChange {
  startMs: number;
  price: number;
  /** The start as written, and its line in the file (1-based). */
  start: string;
  line: number;
}

/** A prices file that cannot be used; the message names the file, the line and the fix. */
export class PricesFileError extends Error {}

/** The instant of a start, or the reason it is not one. */
function parseStart(text: string): number | string {
  const m = START.exec(text);
  if (!m) {
    if (LOCAL_TIME.test(text))
      return `the start "${text}" has no offset: write it with its offset to UTC, e.g. ${EXAMPLE_START}`;
    return `the start "${text}" is not an ISO 8601 time: write e.g. ${EXAMPLE_START}`;
  }
  const [, y, mo, d, h, mi, s = "0", fraction = "", , sign = "+", oh = "0", om = "0"] = m;
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s);
  const date = new Date(wall);
  const real =
    date.getUTCFullYear() === +y! &&
    date.getUTCMonth() === +mo! - 1 &&
    date.getUTCDate() === +d! &&
    +h! < 24 &&
    +mi! < 60 &&
    +s < 60 &&
    +oh! <= 18 &&
    +om! < 60;
  if (!real) return `the start "${text}" is not a real time: write e.g. ${EXAMPLE_START}`;
  const offsetMs = (sign === "-" ? -1 : 1) * (+oh! * 60 + +om!) * 60_000;
  return wall + Math.round(Number(`0${fraction}`) * 1000) - offsetMs;
}

/** Parses the file's text; throws PricesFileError naming `file`, the line and the fix. */
export function parsePricesFile(text: string, file: string): PriceChange[] {
  const fail = (line: number, problem: string): never => {
    throw new PricesFileError(`${file} line ${line}: ${problem}`);
  };
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = lines.findIndex((l) => l.trim() !== "");
  if (header < 0) fail(1, `the file is empty: write the header start,price, then one row per price`);
  const names = lines[header]!.split(",").map((c) => c.trim().toLowerCase());
  if (names.join(",") !== "start,price")
    fail(header + 1, `the header is "${lines[header]!.trim()}": the first line must be start,price`);
  const out: PriceChange[] = [];
  for (let i = header + 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    const line = i + 1;
    const cells = raw.split(",").map((c) => c.trim());
    if (cells.length !== 2)
      fail(line, `"${raw}" has ${cells.length} columns: write start,price, e.g. ${EXAMPLE_START},0.30`);
    const [start, priceText] = cells as [string, string];
    const startMs = parseStart(start);
    if (typeof startMs === "string") fail(line, startMs);
    const price = priceText === "" ? Number.NaN : Number(priceText);
    if (!Number.isFinite(price))
      fail(
        line,
        `the price "${priceText}" is not a number: write it in CURRENCY per kWh with a point, e.g. 0.30`,
      );
    const before = out.at(-1);
    if (before && !((startMs as number) > before.startMs))
      fail(
        line,
        `the start ${start} is not after the start ${before.start} of line ${before.line}: ` +
          `sort the rows by start, one row per start`,
      );
    out.push({ startMs: startMs as number, price, start, line });
  }
  if (out.length === 0)
    fail(
      lines.length,
      "the file holds no price: add one row per price under the header, e.g. " + EXAMPLE_START + ",0.30",
    );
  return out;
}

/** The price of an hour of a day, null where none is set. */
export type HourPrice = (day: string, hour: number) => number | null;

/**
 * The price of each local clock hour in `tz`: the base prices (24, by clock hour; null for none)
 * before the file's first start, the file's from then on, each hour at the time-weighted mean of
 * the prices in force during it (both halves of the hour that repeats when the clocks go back).
 * Worked out once for the days the file's starts fall on; after the last one its price holds.
 */
export function pricesByHour(
  changes: readonly PriceChange[],
  tz: string,
  base: readonly number[] | null,
): HourPrice {
  const first = changes[0]!;
  const last = changes.at(-1)!;
  const firstDay = dayOf(tz, first.startMs);
  const lastDay = dayOf(tz, last.startMs);
  const baseAt = (h: number) => (base ? (base[h] ?? null) : null);
  const table = new Map<string, (number | null)[]>();
  let j = 0; // the change in force at the cursor (the days are walked in order)
  for (const day of dayList(firstDay, lastDay)) {
    const { startMs, endMs } = dayRange(tz, day);
    const sums = new Array<number>(24).fill(0);
    const spans = new Array<number>(24).fill(0);
    const unknown = new Array<boolean>(24).fill(false);
    for (let from = startMs; from < endMs; from += HOUR_MS) {
      const to = Math.min(endMs, from + HOUR_MS);
      const h = localHour(tz, from);
      spans[h]! += to - from;
      let t = from;
      if (t < first.startMs) {
        const until = Math.min(to, first.startMs);
        const p = baseAt(h);
        if (p === null) unknown[h] = true;
        else sums[h]! += p * (until - t);
        t = until;
      }
      while (t < to) {
        while (j + 1 < changes.length && changes[j + 1]!.startMs <= t) j++;
        const until = Math.min(to, changes[j + 1]?.startMs ?? Infinity);
        sums[h]! += changes[j]!.price * (until - t);
        t = until;
      }
    }
    table.set(
      day,
      sums.map((s, h) => (unknown[h] || spans[h] === 0 ? null : s / spans[h]!)),
    );
  }
  return (day, hour) => {
    const known = table.get(day);
    if (known) return known[hour] ?? null;
    return day > lastDay ? last.price : baseAt(hour);
  };
}
