/**
 * Numbers written for people (pages, `npm run report` tables): negative numbers with the
 * typographic minus sign (U+2212, "−3.5 °C", as Plot's axes write them), never an ASCII hyphen, and
 * no sign on a figure that rounds to zero ("-0.0" reads as "0.0"). JSON and CSV keep plain numbers.
 */
export const MINUS = "\u2212";

/** `formatted` (from toFixed or toLocaleString) with its sign written for people. */
export function minusSign(formatted: string): string {
  if (!formatted.startsWith("-")) return formatted;
  return /[1-9]/.test(formatted) ? MINUS + formatted.slice(1) : formatted.slice(1);
}
