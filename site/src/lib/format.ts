/**
 * Formatting numbers, dates and ages for pages and chart tables. A null (a value that could not be
 * computed) is shown as an en dash, never as 0.
 */
import { MINUS, minusSign } from "../../../reports/src/output/number-text.ts";
import { remembered } from "../../../core/src/remembered.ts";

export const NONE = "–";

/**
 * Intl formatters, made once per set of options: making one costs about as much as a thousand
 * uses of it, and a season page or the calendar formats thousands of figures.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(digits: number): Intl.NumberFormat {
  const key = `n${digits}`;
  let f = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f;
}

function dateFormat(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(opts);
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", opts);
    formatters.set(key, f);
  }
  return f;
}

/**
 * Figures already written, by number of decimals: a season page writes its closed days' figures
 * again every cycle (thousands of them, each a call into Intl); -0 and 0 share a key and a text. At
 * most 10,000 per number of decimals: a first build's day pages, each its own, would otherwise fill
 * the memory of every render worker.
 */
const writers = new Map<number, (v: number) => string>();

/** `1234.5` -> `1,234.5` with `digits` decimals, `−3.5` with a minus sign; null -> en dash. */
export function num(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  let write = writers.get(digits);
  if (!write) {
    const format = numberFormat(digits);
    writers.set(digits, (write = remembered((x: number) => minusSign(format.format(x)), 10_000)));
  }
  return write(v);
}

/** Number with a unit (`12.3 kWh`); the unit is dropped when the value is missing. */
export function withUnit(v: number | null | undefined, unit: string, digits = 1): string {
  const s = num(v, digits);
  return s === NONE ? s : `${s} ${unit}`;
}

export function pct(v: number | null | undefined, digits = 0): string {
  return withUnit(v, "%", digits).replace(" %", " %");
}

/** Energy in kWh: one decimal below 100 kWh, whole numbers above (a season is thousands). */
export function kwh(v: number | null | undefined): string {
  return withUnit(v, "kWh", v !== null && v !== undefined && Math.abs(v) >= 100 ? 0 : 1);
}

/** Signed difference of two temperatures in kelvin (`+1.5 K`): a relative change of °C means nothing. */
export function diffK(now: number | null, before: number | null): string {
  if (now === null || before === null) return NONE;
  const d = now - before;
  return `${d > 0 ? "+" : d < 0 ? MINUS : "±"}${Math.abs(d).toFixed(1)} K`;
}

/** Signed relative change `+12 %` between a value and the one it is compared with. */
export function change(now: number | null, before: number | null): string {
  if (now === null || before === null || before === 0) return NONE;
  const r = ((now - before) / Math.abs(before)) * 100;
  return `${r > 0 ? "+" : r < 0 ? MINUS : "±"}${Math.abs(r).toFixed(0)} %`;
}

/** `29 Mar 2026, 14:05` in the report zone. */
export function dateTime(ms: number, tz: string): string {
  return dateFormat({
    timeZone: tz,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(ms));
}

/**
 * Day string `2026-03-29` -> `Sun 29 Mar` (calendar arithmetic only: the string is already local).
 * Remembered: the calendar names every day of the history on every build.
 */
export const shortDay = remembered((day: string): string =>
  dateFormat({ timeZone: "UTC", weekday: "short", day: "numeric", month: "short" }).format(
    new Date(`${day}T12:00:00Z`),
  ),
);

/** Day string `2026-10-05` -> `5 October 2026` (calendar arithmetic only: the string is already local). */
export function longDay(day: string): string {
  return dateFormat({ timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

/** Month id `2026-03` -> `Mar` or `March 2026`. */
export function monthName(month: string, style: "short" | "long" = "short"): string {
  const d = new Date(`${month}-15T12:00:00Z`);
  return dateFormat({
    timeZone: "UTC",
    month: style,
    ...(style === "long" ? { year: "numeric" } : {}),
  }).format(d);
}

/** Age in words: `40 s`, `12 min`, `3 h`, `2 days`. */
export function age(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "never";
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/** Season id `2025-26` -> `2025/26`. */
export function seasonName(id: string): string {
  return id.replace("-", "/");
}
