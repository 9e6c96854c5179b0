/**
 * The heat pump's own energy counters, in the device's calendar: "currentDay" values that reset at
 * local midnight, and the day/week/month/year arrays of the features API (index 0 = the current,
 * still growing period; weeks start Monday). Energies are kept in Wh and reported in kWh.
 */
import { addDays, dayStartMs, parseDay } from "../../core/src/time.ts";

export interface EnergySplit {
  heatHeatingWh: number;
  heatDhwWh: number;
  elecHeatingWh: number;
  elecDhwWh: number;
  /** Heat taken out of the house in cooling, and the compressor's electricity for it. */
  coolingWh: number;
  elecCoolingWh: number;
  /** The heating rod's electricity for space heating (the device counts its rod apart from the compressor). */
  rodHeatingWh: number;
}

export type EnergyKey = keyof EnergySplit;

interface ClosedDay extends EnergySplit {
  readonly date: string;
}

const zero = (): EnergySplit => ({
  heatHeatingWh: 0,
  heatDhwWh: 0,
  elecHeatingWh: 0,
  elecDhwWh: 0,
  coolingWh: 0,
  elecCoolingWh: 0,
  rodHeatingWh: 0,
});
/** Days kept for the arrays: 13 months and last year's total need about 800. */
const KEEP_DAYS = 800;

export class DeviceCounters {
  readonly tz: string;
  /** Local date of the current day. */
  date: string;
  /** UTC ms of the next local midnight. */
  nextMidnightMs: number;
  today: EnergySplit = zero();
  readonly closed: ClosedDay[] = [];

  constructor(tz: string, date: string) {
    this.tz = tz;
    this.date = date;
    this.nextMidnightMs = dayStartMs(tz, addDays(date, 1));
  }

  /** Closes days up to instant `tMs` (call before reading or adding). */
  roll(tMs: number): void {
    while (tMs >= this.nextMidnightMs) {
      this.closed.push({ date: this.date, ...this.today });
      if (this.closed.length > KEEP_DAYS) this.closed.shift();
      this.today = zero();
      this.date = addDays(this.date, 1);
      this.nextMidnightMs = dayStartMs(this.tz, addDays(this.date, 1));
    }
  }

  /** Sum of `key` over closed days matching `pred`, plus today when `pred(today)` holds, kWh. */
  private sum(key: EnergyKey, pred: (date: string) => boolean): number {
    let wh = pred(this.date) ? this.today[key] : 0;
    for (let i = this.closed.length - 1; i >= 0; i--) {
      const d = this.closed[i]!;
      if (pred(d.date)) wh += d[key];
    }
    return wh / 1000;
  }

  /** `day` array (8 values, kWh), index 0 = today. */
  days(key: EnergyKey, n = 8): number[] {
    const out: number[] = [this.today[key] / 1000];
    for (let i = 1; i < n; i++) {
      const d = this.closed[this.closed.length - i];
      out.push(d ? d[key] / 1000 : 0);
    }
    return out;
  }

  /** `week` array (kWh), index 0 = the ISO week (Monday start) containing today. */
  weeks(key: EnergyKey, n = 6): number[] {
    const [y, m, d] = parseDay(this.date);
    const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // 0 = Monday
    const monday = addDays(this.date, -dow);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const from = addDays(monday, -7 * i);
      const to = addDays(from, 7);
      out.push(this.sum(key, (date) => date >= from && date < to));
    }
    return out;
  }

  /** `month` array (13 values, kWh), index 0 = this calendar month. */
  months(key: EnergyKey, n = 13): number[] {
    const [y, m] = parseDay(this.date);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const first = new Date(Date.UTC(y, m - 1 - i, 1)).toISOString().slice(0, 7);
      out.push(this.sum(key, (date) => date.startsWith(first)));
    }
    return out;
  }

  /** `year` array (2 values, kWh), index 0 = this calendar year. */
  years(key: EnergyKey): number[] {
    const y = Number(this.date.slice(0, 4));
    return [0, 1].map((i) => this.sum(key, (date) => date.startsWith(String(y - i))));
  }
}
