/**
 * Raw samples as columns, the one shape both sources hand to the metric code. Times are ms since the
 * epoch, sorted ascending; a field missing from a point is NaN (a gap, never a zero).
 */
import type { COLLECTOR_FIELDS } from "../../collector/src/catalogue.ts";
import { HEATPUMP_FIELDS, MEASUREMENT, type HeatpumpField } from "../../collector/src/catalogue.ts";
import type { FieldValue } from "../../collector/src/store/line-protocol.ts";

export const HP_FIELDS = Object.keys(HEATPUMP_FIELDS) as HeatpumpField[];
export const CALLS_FIELD: keyof typeof COLLECTOR_FIELDS = "calls_today";

export interface ElecSamples {
  t: number[];
  /** W */
  power: number[];
  /** Wh counter of imported energy (`energy_wh`) */
  energy: number[];
  /** Wh counter of returned (exported) energy (`energy_ret_wh`); NaN where the meter has none */
  ret: number[];
}

export interface HpSamples {
  t: number[];
  f: Record<HeatpumpField, number[]>;
}

export interface Samples {
  elec: ElecSamples;
  hp: HpSamples;
  /** Viessmann calls used today (collector measurement, source viessmann). */
  calls: { t: number[]; v: number[] };
  /** Times of the readings judged outliers and left out (counters.ts), sorted; one per reading. */
  outliers: number[];
}

const num = (v: FieldValue | undefined): number =>
  typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : Number.NaN;

/** Collects points in any order; `finish()` sorts by time and merges points sharing a timestamp. */
export class SampleBuilder {
  private elec: { t: number; p: number; e: number; r: number }[] = [];
  private hp: { t: number; f: Record<string, FieldValue> }[] = [];
  private calls: { t: number; v: number }[] = [];

  add(
    measurement: string,
    tags: Record<string, string>,
    fields: Record<string, FieldValue>,
    t: number,
  ): void {
    if (measurement === MEASUREMENT.electric) {
      this.addElectric(t, num(fields.power_w), num(fields.energy_wh), num(fields.energy_ret_wh));
    } else if (measurement === MEASUREMENT.heatpump) {
      this.hp.push({ t, f: fields });
    } else if (measurement === MEASUREMENT.collector) {
      if (tags.source !== undefined && tags.source !== "viessmann") return;
      const v = num(fields[CALLS_FIELD]);
      if (!Number.isNaN(v)) this.calls.push({ t, v });
    }
  }

  /** An `electric` point reduced to the three fields the metrics use (NaN when absent). */
  addElectric(t: number, powerW: number, energyWh: number, retWh = Number.NaN): void {
    if (!Number.isNaN(powerW) || !Number.isNaN(energyWh) || !Number.isNaN(retWh))
      this.elec.push({ t, p: powerW, e: energyWh, r: retWh });
  }

  finish(): Samples {
    const byT = <T extends { t: number }>(a: T[]) => {
      for (let i = 1; i < a.length; i++)
        if (a[i]!.t < a[i - 1]!.t) {
          a.sort((x, y) => x.t - y.t);
          break;
        }
      return a;
    };
    const elec: ElecSamples = { t: [], power: [], energy: [], ret: [] };
    for (const s of byT(this.elec)) {
      const n = elec.t.length;
      if (n > 0 && elec.t[n - 1] === s.t) {
        // Same series and time: InfluxDB keeps the later write, field by field.
        if (!Number.isNaN(s.p)) elec.power[n - 1] = s.p;
        if (!Number.isNaN(s.e)) elec.energy[n - 1] = s.e;
        if (!Number.isNaN(s.r)) elec.ret[n - 1] = s.r;
        continue;
      }
      elec.t.push(s.t);
      elec.power.push(s.p);
      elec.energy.push(s.e);
      elec.ret.push(s.r);
    }
    const hp: HpSamples = { t: [], f: emptyHp() };
    for (const s of byT(this.hp)) {
      let n = hp.t.length;
      if (n === 0 || hp.t[n - 1] !== s.t) {
        hp.t.push(s.t);
        for (const k of HP_FIELDS) hp.f[k].push(Number.NaN);
        n++;
      }
      for (const k of HP_FIELDS) {
        const v = num(s.f[k]);
        if (!Number.isNaN(v)) hp.f[k][n - 1] = v;
      }
    }
    const calls = { t: [] as number[], v: [] as number[] };
    for (const s of byT(this.calls)) {
      calls.t.push(s.t);
      calls.v.push(s.v);
    }
    return { elec, hp, calls, outliers: [] };
  }
}

export function emptyHp(): Record<HeatpumpField, number[]> {
  return Object.fromEntries(HP_FIELDS.map((k) => [k, [] as number[]])) as unknown as Record<
    HeatpumpField,
    number[]
  >;
}

export const emptySamples = (): Samples => new SampleBuilder().finish();

/** The samples of [startMs, stopMs) (copies of the columns' parts). */
export function sliceSamples(s: Samples, startMs: number, stopMs: number): Samples {
  const part = (t: readonly number[]) => [lowerBound(t, startMs), lowerBound(t, stopMs)] as const;
  const [e0, e1] = part(s.elec.t);
  const [h0, h1] = part(s.hp.t);
  const [c0, c1] = part(s.calls.t);
  const f = emptyHp();
  for (const k of HP_FIELDS) f[k] = s.hp.f[k].slice(h0, h1);
  return {
    elec: {
      t: s.elec.t.slice(e0, e1),
      power: s.elec.power.slice(e0, e1),
      energy: s.elec.energy.slice(e0, e1),
      ret: s.elec.ret.slice(e0, e1),
    },
    hp: { t: s.hp.t.slice(h0, h1), f },
    calls: { t: s.calls.t.slice(c0, c1), v: s.calls.v.slice(c0, c1) },
    outliers: s.outliers.slice(lowerBound(s.outliers, startMs), lowerBound(s.outliers, stopMs)),
  };
}

/** First index with t[i] >= x (binary search). */
export function lowerBound(t: readonly number[], x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
