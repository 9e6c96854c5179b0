/**
 * Raw samples as columns, the one shape both sources hand to the metric code. Times are ms since the
 * epoch, sorted ascending; a field missing from a point is NaN (a gap, never a zero).
 */
import type { COLLECTOR_FIELDS } from "../../../core/src/data/catalogue.ts";
import {
  DEFAULT_METER_ROLE,
  HEATPUMP_FIELDS,
  MEASUREMENT,
  METER_ROLES,
  TAG,
  type HeatpumpField,
  type MeterRole,
} from "../../../core/src/data/catalogue.ts";
import type { FieldValue } from "../../../core/src/data/line-protocol.ts";
import { lowerBound } from "../../../core/src/sorted.ts";
import { meterIndex } from "./home-filter.ts";

/** How far before a period we look for the sample its first counter step starts from (ms). */
export const LOOKBACK_MS = 6 * 3_600_000;

/**
 * How far past a day's end its samples reach (ms): the heat pump interval that spans midnight gives
 * the day's last minutes their heat, and a counter reading just before midnight is judged by the
 * readings after it (counters.ts). A day is computed from [start - LOOKBACK_MS, end + LOOKAHEAD_MS)
 * and nothing else, however many days are read at once.
 */
export const LOOKAHEAD_MS = 3_600_000;

export const HP_FIELDS = Object.keys(HEATPUMP_FIELDS) as HeatpumpField[];
const CALLS_FIELD: keyof typeof COLLECTOR_FIELDS = "calls_today";

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

/** The roles of the meters beside the heat pump's own (catalogue METER_ROLES). */
export type AuxRole = Exclude<MeterRole, "heatpump">;
export const AUX_ROLES: readonly AuxRole[] = METER_ROLES.filter((r): r is AuxRole => r !== "heatpump");

export interface Samples {
  /** The heat pump's meter (role `heatpump`, or no role tag: a store from before roles). */
  elec: ElecSamples;
  /**
   * The other meters by role (backup heater, pumps, house), each its own series so that counters of
   * different meters never interleave; a role appears only when the samples hold a point of it.
   */
  meters: Partial<Record<AuxRole, ElecSamples>>;
  hp: HpSamples;
  /** Viessmann calls used today (collector measurement, source viessmann). */
  calls: { t: number[]; v: number[] };
  /** Times of the readings judged outliers and left out (counters.ts), sorted; one per reading. */
  outliers: number[];
}

const num = (v: FieldValue | undefined): number =>
  typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : Number.NaN;

/** One meter's points as they come: time, power, energy, returned energy. */
interface ElecColumns {
  t: number[];
  p: number[];
  e: number[];
  r: number[];
}
const elecColumns = (): ElecColumns => ({ t: [], p: [], e: [], r: [] });

/** Index of the heat pump's own meter in METER_ROLES (Samples.elec). */
const HEATPUMP_METER = meterIndex(DEFAULT_METER_ROLE);

/**
 * Collects points in any order; `finish()` sorts by time and merges points sharing a timestamp (the
 * later write wins, field by field, as in InfluxDB). Points are kept in flat number arrays, not an
 * object each: years of 10 s data are millions of points. Each meter (the `role` tag of an
 * `electric` point) has its own columns, so counters of different meters never meet.
 */
export class SampleBuilder {
  /** One per METER_ROLES entry. */
  private readonly el: ElecColumns[] = METER_ROLES.map(elecColumns);
  private readonly ht: number[] = [];
  /** HP_FIELDS.length values per heat pump point, in HP_FIELDS order. */
  private readonly hv: number[] = [];
  private readonly ct: number[] = [];
  private readonly cv: number[] = [];

  add(
    measurement: string,
    tags: Record<string, string>,
    fields: Record<string, FieldValue>,
    t: number,
  ): void {
    if (measurement === MEASUREMENT.electric) {
      const meter = meterIndex(tags[TAG.role]);
      if (meter < 0) return;
      this.addElectric(t, num(fields.power_w), num(fields.energy_wh), num(fields.energy_ret_wh), meter);
    } else if (measurement === MEASUREMENT.heatpump) {
      this.addHeatpump(
        t,
        HP_FIELDS.map((k) => num(fields[k])),
      );
    } else if (measurement === MEASUREMENT.collector) {
      if (tags.source !== undefined && tags.source !== "viessmann") return;
      const v = num(fields[CALLS_FIELD]);
      if (!Number.isNaN(v)) {
        this.ct.push(t);
        this.cv.push(v);
      }
    }
  }

  /**
   * An `electric` point reduced to the three fields the metrics use (NaN when absent), of the meter
   * at `meter` in METER_ROLES (meterIndex; default the heat pump's).
   */
  addElectric(t: number, powerW: number, energyWh: number, retWh = Number.NaN, meter = HEATPUMP_METER): void {
    if (Number.isNaN(powerW) && Number.isNaN(energyWh) && Number.isNaN(retWh)) return;
    const c = this.el[meter]!;
    c.t.push(t);
    c.p.push(powerW);
    c.e.push(energyWh);
    c.r.push(retWh);
  }

  /** A `heatpump` point: its values in HP_FIELDS order (NaN where absent). */
  addHeatpump(t: number, values: ArrayLike<number>): void {
    this.ht.push(t);
    for (let i = 0; i < HP_FIELDS.length; i++) this.hv.push(values[i]!);
  }

  finish(): Samples {
    const elecOf = (c: ElecColumns): ElecSamples => {
      const [t, power, energy, ret] = merged(c.t, [c.p, c.e, c.r], 1);
      return { t: t!, power: power!, energy: energy!, ret: ret! };
    };
    const meters: Partial<Record<AuxRole, ElecSamples>> = {};
    for (const role of AUX_ROLES) {
      const c = this.el[meterIndex(role)]!;
      if (c.t.length > 0) meters[role] = elecOf(c);
    }
    const [ht, hv] = merged(this.ht, [this.hv], HP_FIELDS.length);
    const f = emptyHp();
    const w = HP_FIELDS.length;
    HP_FIELDS.forEach((k, j) => {
      const col = new Array<number>(ht!.length);
      for (let i = 0; i < col.length; i++) col[i] = hv![i * w + j]!;
      f[k] = col;
    });
    const [ct, cv] = merged(this.ct, [this.cv], 1, true);
    return {
      elec: elecOf(this.el[HEATPUMP_METER]!),
      hp: { t: ht!, f },
      meters,
      calls: { t: ct!, v: cv! },
      outliers: [],
    };
  }
}

/**
 * Times sorted ascending with their columns (`width` values per point in each), points sharing a
 * time merged field by field (the later one wins where it has a value), unless `keepAll`.
 */
function merged(t: number[], cols: number[][], width: number, keepAll = false): number[][] {
  // A shortcut for points already in order; the general path below gives the same columns.
  // Stryker disable all: equivalent, see above
  let inOrder = true;
  for (let i = 1; i < t.length && inOrder; i++) if (!(t[i]! > t[i - 1]!)) inOrder = false;
  if (inOrder) return [t, ...cols];
  // Stryker restore all
  // A stable sort of the indexes keeps the writes of one time in the order they came.
  const order = Array.from(t, (_, i) => i).sort((a, b) => t[a]! - t[b]!);
  const outT: number[] = [];
  const out = cols.map(() => [] as number[]);
  for (const i of order) {
    const n = outT.length;
    // n > 0 only keeps outT[-1] from being read, and undefined never equals a time.
    // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, see above
    if (!keepAll && n > 0 && outT[n - 1] === t[i]) {
      for (let c = 0; c < cols.length; c++)
        for (let j = 0; j < width; j++) {
          const v = cols[c]![i * width + j]!;
          if (!Number.isNaN(v)) out[c]![(n - 1) * width + j] = v;
        }
      continue;
    }
    outT.push(t[i]!);
    for (let c = 0; c < cols.length; c++)
      for (let j = 0; j < width; j++) out[c]!.push(cols[c]![i * width + j]!);
  }
  return [outT, ...out];
}

function emptyHp(): Record<HeatpumpField, number[]> {
  return Object.fromEntries(HP_FIELDS.map((k) => [k, [] as number[]])) as unknown as Record<
    HeatpumpField,
    number[]
  >;
}

export const emptySamples = (): Samples => new SampleBuilder().finish();

/** The samples of [startMs, stopMs) (copies of the columns' parts). */
export function sliceSamples(s: Samples, startMs: number, stopMs: number): Samples {
  const part = (t: readonly number[]) => [lowerBound(t, startMs), lowerBound(t, stopMs)] as const;
  const sliceElec = (e: ElecSamples): ElecSamples => {
    const [e0, e1] = part(e.t);
    return {
      t: e.t.slice(e0, e1),
      power: e.power.slice(e0, e1),
      energy: e.energy.slice(e0, e1),
      ret: e.ret.slice(e0, e1),
    };
  };
  const [h0, h1] = part(s.hp.t);
  const [c0, c1] = part(s.calls.t);
  const f = emptyHp();
  for (const k of HP_FIELDS) f[k] = s.hp.f[k].slice(h0, h1);
  // As finish(): a meter only where the slice holds a point of it, so that a day sliced from a
  // longer read equals the day read alone.
  const meters: Partial<Record<AuxRole, ElecSamples>> = {};
  for (const role of AUX_ROLES) {
    const m = s.meters[role] && sliceElec(s.meters[role]);
    if (m && m.t.length > 0) meters[role] = m;
  }
  return {
    elec: sliceElec(s.elec),
    hp: { t: s.hp.t.slice(h0, h1), f },
    meters,
    calls: { t: s.calls.t.slice(c0, c1), v: s.calls.v.slice(c0, c1) },
    outliers: s.outliers.slice(lowerBound(s.outliers, startMs), lowerBound(s.outliers, stopMs)),
  };
}
