/**
 * Absolute times in the report zone, for what a page says about "when" (a page is read long after
 * it was built, so an age like "4 s ago" would stay on it, wrong, for as long as nothing rebuilds it):
 * `13:42:10` for a time on the day of `refMs`, `28 Mar 13:42:10` for another day of the same year,
 * `28 Mar 2025 13:42:10` else.
 */
import { dayOf } from "../../../core/src/time.ts";

const formats = new Map<string, Intl.DateTimeFormat>();

function format(tz: string, withDay: boolean, withYear: boolean): Intl.DateTimeFormat {
  const key = `${tz}|${withDay}|${withYear}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: tz,
      hourCycle: "h23",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      ...(withDay ? { day: "numeric", month: "short" } : {}),
      ...(withYear ? { year: "numeric" } : {}),
    });
    formats.set(key, f);
  }
  return f;
}

export function localTime(ms: number, tz: string, refMs: number): string {
  const day = dayOf(tz, ms);
  const ref = dayOf(tz, refMs);
  const text = format(tz, day !== ref, day.slice(0, 4) !== ref.slice(0, 4)).format(new Date(ms));
  // en-GB writes `28 Mar 2025, 13:42:10`; the comma adds nothing.
  return text.replace(",", "");
}
