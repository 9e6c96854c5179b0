/**
 * UTC offsets of an IANA time zone from Intl alone (no date library), shared by the simulator
 * (device local time: day counters roll over at the device's midnight) and the report engine
 * (local days in REPORT_TZ). One cached formatter per zone: creating one costs far more than using it.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    // Throws RangeError for an unknown zone; callers report it with the variable or option name.
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

/** UTC offset of `tz` at instant `tMs`, in ms (Berlin winter: +3 600 000, summer: +7 200 000). */
export function offsetMs(tz: string, tMs: number): number {
  const whole = Math.floor(tMs / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(whole))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - whole;
}

/** Local calendar date (`YYYY-MM-DD`) of instant `tMs` in `tz`. */
export function localDate(tz: string, tMs: number): string {
  return new Date(tMs + offsetMs(tz, tMs)).toISOString().slice(0, 10);
}
