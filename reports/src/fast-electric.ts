/**
 * A fast path for the one hot line shape: `electric` lines as the collector and the simulator write
 * them (no escapes, no strings). Years of 10 s data are millions of such lines and a report needs
 * only three of their twelve fields, so these bytes are scanned for `power_w`, `energy_wh` and
 * `energy_ret_wh` directly.
 * Anything unusual (a backslash, a quote, an integer suffix, an exponent) returns null and the caller
 * falls back to parseLine, the reference parser; a test checks both agree on simulated history.
 */
const POWER = Buffer.from("power_w");
const ENERGY = Buffer.from("energy_wh");
const RETURNED = Buffer.from("energy_ret_wh");
const PREFIX = Buffer.from("electric");

/** Decimal number in buf[a..b) (digits, sign, point), exactly as Number() reads it; NaN otherwise. */
function decimal(buf: Buffer, a: number, b: number): number {
  let i = a;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  let mant = 0;
  let scale = 0;
  let digits = 0;
  let dot = false;
  for (; i < b; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (dot) scale++;
    } else if (c === 46 && !dot) dot = true;
    else return Number.NaN;
  }
  // Beyond 15 significant digits or 22 decimals the division is no longer exact: use Number().
  if (digits === 0 || digits > 15 || scale > 22) return Number.NaN;
  const v = scale === 0 ? mant : mant / 10 ** scale;
  return neg ? -v : v;
}

/** [power_w, energy_wh, energy_ret_wh] (NaN when absent) of an `electric` line, or null to use parseLine. */
export function fastElectric(buf: Buffer, from: number, to: number): [number, number, number] | null {
  if (buf.compare(PREFIX, 0, PREFIX.length, from, from + PREFIX.length) !== 0) return null;
  let fieldsStart = -1;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === 92 || c === 34) return null; // backslash or quote: not our simple shape
    if (c === 32 && fieldsStart < 0) fieldsStart = i + 1;
  }
  if (fieldsStart < 0) return null;
  let fieldsEnd = buf.indexOf(32, fieldsStart);
  if (fieldsEnd < 0 || fieldsEnd > to) fieldsEnd = to;
  let power = Number.NaN;
  let energy = Number.NaN;
  let returned = Number.NaN;
  let k = fieldsStart;
  while (k < fieldsEnd) {
    let comma = buf.indexOf(44, k);
    if (comma < 0 || comma > fieldsEnd) comma = fieldsEnd;
    const eq = buf.indexOf(61, k);
    if (eq < 0 || eq > comma) return null;
    const keyLen = eq - k;
    if (keyLen === POWER.length && buf.compare(POWER, 0, keyLen, k, eq) === 0) {
      power = decimal(buf, eq + 1, comma);
      if (Number.isNaN(power)) return null;
    } else if (keyLen === ENERGY.length && buf.compare(ENERGY, 0, keyLen, k, eq) === 0) {
      energy = decimal(buf, eq + 1, comma);
      if (Number.isNaN(energy)) return null;
    } else if (keyLen === RETURNED.length && buf.compare(RETURNED, 0, keyLen, k, eq) === 0) {
      returned = decimal(buf, eq + 1, comma);
      if (Number.isNaN(returned)) return null;
    }
    k = comma + 1;
  }
  return [power, energy, returned];
}
