/**
 * Device local time without a date library: UTC offsets from Intl, cached per hour (offsets only
 * change on whole hours or half hours in practice, and every zone we care about changes on the hour).
 */

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    // Throws RangeError for an unknown zone, which the CLI reports with the option name.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** UTC offset of `tz` at instant `tMs`, in ms (Berlin winter: +3 600 000). */
export function offsetMs(tz: string, tMs: number): number {
  const parts = formatter(tz).formatToParts(new Date(tMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(tMs / 1000) * 1000;
}

/** Offset lookups cached per UTC hour: the model asks every 10 s. */
export function createOffsetCache(tz: string): (tMs: number) => number {
  let hour = NaN;
  let offset = 0;
  return (tMs: number) => {
    const h = Math.floor(tMs / HOUR_MS);
    if (h !== hour) {
      hour = h;
      offset = offsetMs(tz, h * HOUR_MS);
    }
    return offset;
  };
}

/** `YYYY-MM-DD` -> [year, month (1-12), day], or throws naming the value. */
export function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`expected a date like 2026-01-31, got ${JSON.stringify(date)}`);
  }
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** UTC instant of local midnight starting `date` (`YYYY-MM-DD`) in `tz`. */
export function localMidnightMs(date: string, tz: string): number {
  const [y, mo, d] = parseDate(date);
  const guess = Date.UTC(y, mo - 1, d);
  let t = guess - offsetMs(tz, guess);
  // A second pass settles the offset when a DST change lies between the guess and the answer.
  t = guess - offsetMs(tz, t);
  return t;
}

/** `YYYY-MM-DD` shifted by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, mo, d] = parseDate(date);
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
}

/** Local calendar date (`YYYY-MM-DD`) of instant `tMs` in `tz`. */
export function localDate(tz: string, tMs: number): string {
  return new Date(tMs + offsetMs(tz, tMs)).toISOString().slice(0, 10);
}
