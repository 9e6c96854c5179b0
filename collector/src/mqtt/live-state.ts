/**
 * The live values the collector publishes over MQTT, from the points each poll journals (README,
 * "Home Assistant and MQTT"). Pure: points in, states out (text as Home Assistant reads it, `None`
 * for a value that cannot be known, never 0).
 *
 * - A Shelly poll gives the electric power (W), the electricity imported (the `energy_wh` counter in
 *   kWh) and, while its reading is fresh, whether the compressor runs: power at or above
 *   STARTING_POWER_W, the dashboard's rule.
 * - A heat pump poll gives the temperatures, the operating mode, the heat produced (the device's day
 *   counters for heating + hot water in kWh: they fall to 0 at its midnight, which Home Assistant's
 *   `total_increasing` reads as a new cycle, so its statistics keep adding up), the thermal power
 *   (flow x 1.163 x spread at the reading; without a flow sensor the newest interval's heat over its
 *   length) and COP now: the newest Viessmann interval's COP, the same function as the site's
 *   (core/src/metrics/interval-cop.ts), over the Shelly readings kept for that interval. Without a
 *   fresh Shelly reading the compressor state is the heat pump's own.
 *
 * Memory stays bounded: the last two heat pump readings and the Shelly readings since the older of
 * them (about 30 at a 10 s interval), never more than MAX_ELEC_SAMPLES.
 */
import { MEASUREMENT } from "../../../core/src/data/catalogue.ts";
import type { FieldValue, Point } from "../../../core/src/data/line-protocol.ts";
import {
  type IntervalHpField,
  type IntervalSamples,
  intervalCop,
  intervalEnergy,
} from "../../../core/src/metrics/interval-cop.ts";
import { thermalW } from "../../../core/src/metrics/thermal.ts";
import { binaryState, numberState, UNKNOWN } from "../../../core/src/mqtt/discovery.ts";

/** Shelly readings kept at most (a heat pump that stopped answering must not make this grow). */
export const MAX_ELEC_SAMPLES = 5000;
/** How old (ms) the Shelly's power may be to decide whether the compressor runs (as on the dashboard). */
const RUNNING_FRESH_MS = 60_000;

/** The operating modes, as the `enum` sensor lists them. */
export const MODES = ["heating", "hot_water", "defrosting", "standby"] as const;

export type LiveObject =
  | "electric_power"
  | "electricity_imported"
  | "compressor"
  | "thermal_power"
  | "cop_now"
  | "flow_temperature"
  | "return_temperature"
  | "outside_temperature"
  | "hot_water_temperature"
  | "operating_mode"
  | "heat_produced";

interface LiveOptions {
  /** STARTING_POWER_W */
  readonly thresholdW: number;
  /** SHELLY_INTERVAL, ms: a Shelly step longer than three of them is a gap (as in the reports). */
  readonly elecIntervalMs: number;
}

const HP_INTERVAL_FIELDS: readonly IntervalHpField[] = [
  "flow_lph",
  "flow_c",
  "return_c",
  "defrosting",
  "compressor_on",
  "heat_heating_day_kwh",
  "heat_dhw_day_kwh",
];

const num = (v: FieldValue | undefined): number =>
  typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : Number.NaN;

interface LiveState {
  /** The states the points of one poll give, by object; other objects keep their last state. */
  add(points: readonly Point[]): Map<LiveObject, string>;
  /** Shelly readings kept for the next COP now (bounded; for tests). */
  keptReadings(): number;
}

export function createLiveState(o: LiveOptions): LiveState {
  const maxElecGapMs = 3 * o.elecIntervalMs;
  const elec = { t: [] as number[], power: [] as number[], energy: [] as number[] };
  const hp = {
    t: [] as number[],
    f: Object.fromEntries(HP_INTERVAL_FIELDS.map((k) => [k, [] as number[]])) as Record<
      IntervalHpField,
      number[]
    >,
  };
  const samples: IntervalSamples = { elec, hp };
  let shellyPowerAt = -Infinity;

  /** Keeps the Shelly readings the next interval needs: from one gap before the newest heat pump reading. */
  const prune = () => {
    const from = hp.t.length > 0 ? hp.t.at(-1)! - maxElecGapMs : elec.t.at(-1)! - maxElecGapMs;
    let drop = 0;
    while (drop < elec.t.length - 1 && elec.t[drop + 1]! <= from) drop++;
    drop = Math.max(drop, elec.t.length - MAX_ELEC_SAMPLES);
    if (drop > 0) for (const col of [elec.t, elec.power, elec.energy]) col.splice(0, drop);
  };

  function addElectric(p: Point, out: Map<LiveObject, string>) {
    const power = num(p.fields.power_w);
    const energy = num(p.fields.energy_wh);
    // Each source polls in order; a repeated or older time (a clock set back) only replaces nothing.
    if (elec.t.length > 0 && p.timeMs <= elec.t.at(-1)!) return;
    elec.t.push(p.timeMs);
    elec.power.push(power);
    elec.energy.push(energy);
    prune();
    out.set("electric_power", numberState(power, 1));
    out.set("electricity_imported", numberState(energy / 1000, 3));
    if (!Number.isNaN(power)) {
      shellyPowerAt = p.timeMs;
      out.set("compressor", binaryState(power >= o.thresholdW));
    }
  }

  function addHeatpump(p: Point, out: Map<LiveObject, string>) {
    if (hp.t.length > 0 && p.timeMs <= hp.t.at(-1)!) return;
    const f = (k: string) => num(p.fields[k]);
    hp.t.push(p.timeMs);
    for (const k of HP_INTERVAL_FIELDS) hp.f[k].push(f(k));
    if (hp.t.length > 2) {
      hp.t.shift();
      for (const k of HP_INTERVAL_FIELDS) hp.f[k].shift();
    }
    out.set("flow_temperature", numberState(f("flow_c"), 1));
    out.set("return_temperature", numberState(f("return_c"), 1));
    out.set("outside_temperature", numberState(f("outside_c"), 1));
    out.set("hot_water_temperature", numberState(f("dhw_c"), 1));
    out.set("heat_produced", numberState(f("heat_heating_day_kwh") + f("heat_dhw_day_kwh"), 2));
    out.set("operating_mode", modeOf(f("compressor_on"), f("dhw_active"), f("defrosting")));
    const interval =
      hp.t.length === 2 ? intervalEnergy(samples, 1, { thresholdW: o.thresholdW, maxElecGapMs }) : null;
    out.set("cop_now", numberState(interval && intervalCop(interval), 2));
    const nowW = thermalW(f("flow_lph"), f("flow_c"), f("return_c"));
    const meanW =
      interval?.heatWh != null ? (interval.heatWh * 3_600_000) / (interval.t1 - interval.t0) : Number.NaN;
    out.set("thermal_power", numberState(Number.isNaN(nowW) ? meanW : nowW, 0));
    if (p.timeMs - shellyPowerAt > RUNNING_FRESH_MS) {
      const on = f("compressor_on");
      out.set("compressor", Number.isNaN(on) ? UNKNOWN : binaryState(on >= 0.5));
    }
    prune();
  }

  return {
    add(points) {
      const out = new Map<LiveObject, string>();
      for (const p of points) {
        if (p.measurement === MEASUREMENT.electric) addElectric(p, out);
        else if (p.measurement === MEASUREMENT.heatpump) addHeatpump(p, out);
      }
      return out;
    },
    keptReadings: () => elec.t.length,
  };
}

/** The operating mode from the heat pump's own readings; unknown without its compressor state. */
export function modeOf(compressorOn: number, dhwActive: number, defrosting: number): string {
  if (defrosting === 1) return "defrosting";
  if (Number.isNaN(compressorOn)) return UNKNOWN;
  if (compressorOn < 0.5) return "standby";
  return dhwActive === 1 ? "hot_water" : "heating";
}
